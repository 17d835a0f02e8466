package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The device nodes of a card's functions and the processes that hold them, found by reading every
 * {@code /proc/PID/fd} link (never guessed from process names): DRM ({@code /dev/dri/card*}, {@code renderD*}), the
 * framebuffer ({@code /dev/fb*}), NVIDIA's nodes when the card runs on nvidia, and the ALSA nodes of its audio
 * function.
 */
public final class CardHolders {
  /** A process holding one node open. */
  public record Holder(int pid, String name, int uid, String node) {
    @Override
    public String toString() {
      return "pid " + pid + " (" + name + ") holds " + node;
    }
  }

  private CardHolders() {}

  /** The nodes as absolute paths ("/dev/dri/card0"), for the functions given by address. */
  public static List<String> nodes(SysRoot root, List<String> functions) {
    List<String> nodes = new ArrayList<>();
    for (String f : functions) {
      String dir = "sys/bus/pci/devices/" + f;
      for (String d : root.list(dir + "/drm")) {
        if (d.matches("card[0-9]+|renderD[0-9]+")) nodes.add("/dev/dri/" + d);
      }
      for (String g : root.list(dir + "/graphics")) {
        if (g.matches("fb[0-9]+")) nodes.add("/dev/" + g);
      }
      for (String s : root.list(dir + "/sound")) {
        if (!s.matches("card[0-9]+")) continue;
        String n = s.substring(4);
        for (String dev : root.list("dev/snd")) {
          if (dev.equals("controlC" + n) || dev.matches("(pcm|hw)C" + n + "D[0-9]+[pc]?")) nodes.add("/dev/snd/" + dev);
        }
      }
      if ("nvidia".equals(root.linkNameAt(root.resolve(dir + "/driver")).orElse(null))) {
        for (String d : root.list("dev")) if (d.matches("nvidia[a-z0-9-]*")) nodes.add("/dev/" + d);
      }
    }
    return nodes.stream().distinct().toList();
  }

  /** The nodes of the card's audio function(s) alone. */
  public static List<String> audioNodes(SysRoot root, List<String> functions) {
    return nodes(root, functions).stream().filter(n -> n.startsWith("/dev/snd/")).toList();
  }

  /** Every process holding one of the nodes, one entry per process and node, by pid. */
  public static List<Holder> holders(SysRoot root, List<String> nodes) {
    List<Holder> out = new ArrayList<>();
    if (nodes.isEmpty()) return out;
    for (int pid : HostProcess.pids(root)) {
      List<String> open = HostProcess.openFiles(root, pid);
      List<String> held = nodes.stream().filter(open::contains).toList();
      if (held.isEmpty()) continue;
      HostProcess p = HostProcess.read(root, pid);
      for (String n : held) out.add(new Holder(pid, p.name(), p.uid(), n));
    }
    return out;
  }
}
