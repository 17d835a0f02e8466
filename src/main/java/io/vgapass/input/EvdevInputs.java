package io.vgapass.input;

import io.vgapass.domain.DeviceEdits;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.InputSpec;
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

  /**
   * The inputs to add, checked: keyboards carry the toggle (mice follow the grabbed keyboard; null keeps an entry's
   * own and gives new ones ctrl-ctrl). They go into the
   * domain through the domain engine ({@code DeviceEdits.inputs}), which records them as vgapass's.
   */
  public static List<InputSpec> specs(List<String> devices, String toggle) {
    if (toggle != null) checkToggle(toggle);
    List<InputSpec> out = new ArrayList<>();
    for (String dev : devices) {
      if (!dev.startsWith("/dev/input/")) {
        throw new IllegalArgumentException("--device " + dev + ": give an event node under /dev/input (by-id "
            + "names such as /dev/input/by-id/usb-...-event-kbd survive reboots)");
      }
      InputSpec in = InputSpec.parse("evdev:" + dev);
      out.add(in.keyboard() ? in.withGrabToggle(toggle) : in);
    }
    return out;
  }

  public static void checkToggle(String toggle) {
    if (!TOGGLES.contains(toggle)) {
      throw new IllegalArgumentException("--grab-toggle " + toggle + ": use one of " + String.join(", ",
          TOGGLES.stream().sorted().toList()));
    }
  }

  /** One line for what became of a device: "added evdev keyboard (grab all, toggle ctrl-ctrl): /dev/...". */
  public static String line(String dev, String toggle, DeviceEdits.Result result) {
    return switch (result) {
      case ADDED -> "added evdev " + (keyboard(dev) ? "keyboard (grab all, toggle " + toggle + ")" : "input") + ": "
          + dev;
      case OURS -> "already in the domain (added by vgapass" + (keyboard(dev) ? ", toggle " + toggle : "") + "): "
          + dev;
      case USERS -> "already in the domain as your own entry; left as it is: " + dev;
    };
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
