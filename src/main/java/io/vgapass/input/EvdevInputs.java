package io.vgapass.input;

import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * evdev passthrough: QEMU reads the host's keyboard and mouse event nodes itself; the keyboard is grabbed whole
 * ({@code grab='all'}, so the mouse follows it) and a key combination ({@code grabToggle}) moves both between host
 * and guest. The elements have the shape {@code vm tune --input evdev:...} writes.
 */
public final class EvdevInputs {
  /** libvirt's grabToggle values. */
  public static final Set<String> TOGGLES = Set.of("ctrl-ctrl", "alt-alt", "shift-shift", "meta-meta", "scrolllock",
      "ctrl-scrolllock");

  private EvdevInputs() {}

  /** The host's keyboards and mice in /dev/input/by-id (event nodes only). */
  public static List<String> defaults(SysRoot root) {
    List<String> out = new ArrayList<>();
    for (String n : root.list("dev/input/by-id")) {
      if (n.endsWith("-event-kbd") || n.endsWith("-event-mouse")) out.add("/dev/input/by-id/" + n);
    }
    return out;
  }

  public static boolean keyboard(String dev) {
    return dev.endsWith("-event-kbd");
  }

  /** Adds the missing evdev inputs to the domain; returns one line per device. */
  public static List<String> add(XmlDoc doc, List<String> devices, String toggle) {
    if (!TOGGLES.contains(toggle)) {
      throw new IllegalArgumentException("--grab-toggle " + toggle + ": use one of " + String.join(", ",
          TOGGLES.stream().sorted().toList()));
    }
    List<String> lines = new ArrayList<>();
    for (String dev : devices) {
      if (!dev.startsWith("/dev/input/")) {
        throw new IllegalArgumentException("--device " + dev + ": give an event node under /dev/input (by-id "
            + "names such as /dev/input/by-id/usb-...-event-kbd survive reboots)");
      }
      XmlNode present = doc.list("./devices/input[@type='evdev']").stream()
          .filter(i -> dev.equals(i.get("./source/@dev"))).findFirst().orElse(null);
      if (present != null) {
        lines.add("already in the domain: " + dev);
        continue;
      }
      XmlNode i = doc.add("./devices/input[@type='evdev']");
      i.set("./source/@dev", dev);
      if (keyboard(dev)) {
        i.set("./source/@grab", "all");
        i.set("./source/@grabToggle", toggle);
        i.set("./source/@repeat", "on");
      }
      lines.add("added evdev " + (keyboard(dev) ? "keyboard (grab all, toggle " + toggle + ")" : "input") + ": " + dev);
    }
    return lines;
  }

  /** What the user presses. */
  public static String explain(String toggle) {
    String keys = switch (toggle) {
      case "ctrl-ctrl" -> "both Ctrl keys (left and right) together";
      case "alt-alt" -> "both Alt keys together";
      case "shift-shift" -> "both Shift keys together";
      case "meta-meta" -> "both Windows/Super keys together";
      case "scrolllock" -> "Scroll Lock";
      default -> "Ctrl and Scroll Lock together";
    };
    return "press " + keys + " to move keyboard and mouse between host and guest; the guest has them when it starts";
  }
}
