package io.vgapass.setup;

import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.sketch.SizeParser;
import io.vgapass.plan.InputSpec;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.plan.Planner;
import io.vgapass.plan.SingleGpu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The VM's questions (name, memory, vCPUs, disk, sound, input), each with the default plan would take on this host
 * (or the earlier run's answer), each answer checked the way plan checks it so a typo is asked again, not carried
 * into a failed step.
 */
final class VmQuestions {
  /** The answers; empty strings for "none". */
  record Answers(String name, String memory, String vcpus, String disk, String iso, String drivers, String audio,
      String input) {
    /** The plan flags they make (what the user would type). */
    List<String> planArgs() {
      List<String> a = new ArrayList<>(List.of("--name", name, "--memory", memory, "--vcpus", vcpus));
      if (!disk.isEmpty()) a.addAll(List.of("--disk", disk));
      if (!iso.isEmpty()) a.addAll(List.of("--install-iso", iso));
      if (!drivers.isEmpty()) a.addAll(List.of("--drivers-iso", drivers));
      a.addAll(List.of("--audio", audio));
      if (!input.isEmpty() && !input.equals("none")) a.addAll(List.of("--input", input));
      return a;
    }

    Map<String, String> asState() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("memory", memory);
      m.put("vcpus", vcpus);
      m.put("disk", disk);
      m.put("iso", iso);
      m.put("drivers", drivers);
      m.put("audio", audio);
      m.put("input", input);
      return m;
    }
  }

  private final Dialogue dialogue;
  private final Host host;
  private final boolean rehearsal;
  private final Plan defaults;

  VmQuestions(Dialogue dialogue, Host host, boolean rehearsal, PciAddress gpu, boolean single) {
    this.dialogue = dialogue;
    this.host = host;
    this.rehearsal = rehearsal;
    this.defaults = Planner.plan(host, Intent.builder().gpu(gpu)
        .singleGpu(single ? new SingleGpu(SingleGpu.DEFAULT_LIMIT) : null).build());
  }

  Answers ask(SetupState earlier) {
    String name = dialogue.ask("Name of the VM", or(earlier, "name", defaults.name(), VmQuestions::name),
        VmQuestions::name);
    String memory = dialogue.ask("Memory for the guest (e.g. 16G)", or(earlier, "memory", size(defaults.memoryKiB()),
        VmQuestions::memory), VmQuestions::memory);
    int threads = host.cpu().cpus().size();
    Function<String, String> vcpuCheck = v -> vcpus(v, threads);
    String vcpus = dialogue.ask("vCPUs (the default keeps them within one L3 cache and NUMA node, and leaves the host "
        + "its core)", or(earlier, "vcpus", String.valueOf(defaults.cpu().vcpuToCpu().size()), vcpuCheck), vcpuCheck);
    String disk = dialogue.ask("Disk: an image file (qcow2/raw) or a whole disk (/dev/sdX); empty for none yet",
        or(earlier, "disk", "", this::disk), this::disk);
    String iso = dialogue.ask("Install ISO to boot the installer from (Windows 11, Linux; empty for none)",
        or(earlier, "iso", "", this::iso), this::iso);
    String drivers = iso.isEmpty() ? "" : dialogue.ask("virtio-win drivers ISO (Windows setup loads its disk driver "
        + "from it; empty for none)", or(earlier, "drivers", "", this::iso), this::iso);
    String audio = dialogue.ask("Sound: pulseaudio, pipewire or none", or(earlier, "audio", "pulseaudio",
        VmQuestions::audio), VmQuestions::audio);
    String input = dialogue.ask("Keyboard and mouse: none (switch them later with vgapass input toggle), "
        + "evdev:/dev/input/by-id/... or usb:VID:PID", or(earlier, "input", "none", VmQuestions::input),
        VmQuestions::input);
    return new Answers(name, memory, vcpus, disk, iso, drivers, audio, input);
  }

  /**
   * The earlier run's answer when it still passes the question's check (the state file is input: an answer that does
   * not is never passed on as a flag), else the default.
   */
  private static String or(SetupState earlier, String key, String def, Function<String, String> check) {
    String e = earlier.get(key);
    return e != null && check.apply(e) == null ? e : def;
  }

  static String size(long kib) {
    return kib % (1024 * 1024) == 0 ? kib / (1024 * 1024) + "G" : kib / 1024 + "M";
  }

  static String name(String n) {
    return n.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") ? null
        : "a name of letters, digits, '-', '_' and '.', at most 64 (e.g. win-gpu)";
  }

  static String memory(String m) {
    if (!m.matches("[0-9]+ ?([KMGT]|[KMGT]i?B)")) return "a size with its unit, e.g. 16G or 12288M";
    try {
      return SizeParser.kib(m) >= 1024 * 1024 ? null : "at least 1G";
    } catch (IllegalArgumentException e) {
      return "a size with its unit, e.g. 16G or 12288M";
    }
  }

  static String vcpus(String v, int threads) {
    if (!v.matches("[0-9]{1,4}")) return "a number of vCPUs, 1 to " + threads;
    int n = Integer.parseInt(v);
    return n >= 1 && n <= threads ? null : "1 to " + threads + " (this host's threads)";
  }

  private String disk(String d) {
    if (d.isEmpty()) return null;
    if (d.toLowerCase(Locale.ROOT).endsWith(".iso")) {
      return "an .iso is install media, not a disk: give it at the next question (install ISO); here the disk to "
          + "install onto";
    }
    if (!d.startsWith("/")) return "an absolute path (/var/lib/libvirt/images/win.qcow2 or /dev/sdb)";
    if (rehearsal || d.startsWith("/dev/")) return null; // another machine's files, or a whole disk plan checks
    Path p = Path.of(d);
    if (Files.isDirectory(p)) return "a directory; give the image file or a whole disk";
    return Files.exists(p) ? null : "no such file; create it first (qemu-img create -f qcow2 " + d + " 100G)";
  }

  private String iso(String i) {
    if (i.isEmpty()) return null;
    if (!i.startsWith("/")) return "an absolute path to the .iso";
    if (!i.toLowerCase(Locale.ROOT).endsWith(".iso")) return "an .iso file (install media); disks go to the disk question";
    if (rehearsal) return null; // another machine's files
    return Files.isRegularFile(Path.of(i)) ? null : "no such file; download it first or give the path it has";
  }

  static String audio(String a) {
    return List.of("pulseaudio", "pipewire", "none").contains(a) ? null : "pulseaudio, pipewire or none";
  }

  static String input(String i) {
    if (i.equals("none")) return null;
    try {
      InputSpec.parse(i);
      return null;
    } catch (IllegalArgumentException e) {
      return "none, evdev:/dev/input/by-id/NAME or usb:VID:PID (" + e.getMessage() + ")";
    }
  }
}
