package io.vgapass.input;

import io.vgapass.host.SysRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host's USB devices from {@code sys/bus/usb/devices} (root hubs and hubs left out), each marked keyboard or
 * mouse from two sources: a HID interface with the boot keyboard/mouse protocol, and the {@code /dev/input/by-id}
 * names ({@code ...-event-kbd}, {@code ...-event-mouse}) whose event node sits below the device in sysfs (gaming mice
 * and many receivers use no boot protocol, so the second source matters).
 */
public final class UsbDevices {
  private static final Pattern DEVICE = Pattern.compile("\\d+-[0-9.]+");
  private static final Pattern INTERFACE = Pattern.compile("(\\d+-[0-9.]+):\\d+\\.\\d+");
  private static final Pattern HEX4 = Pattern.compile("[0-9a-fA-F]{4}");

  private UsbDevices() {}

  public static List<UsbDevice> read(SysRoot root) {
    Map<String, Set<UsbDevice.Role>> roles = new LinkedHashMap<>();
    Map<String, List<String>> byId = new LinkedHashMap<>();
    String base = "sys/bus/usb/devices/";
    List<String> names = root.list(base);
    for (String n : names) {
      var m = INTERFACE.matcher(n);
      if (!m.matches()) continue;
      if (!"03".equals(root.read(base + n + "/bInterfaceClass").orElse(""))) continue;
      String proto = root.read(base + n + "/bInterfaceProtocol").orElse("");
      if (proto.equals("01")) roles.computeIfAbsent(m.group(1), k -> EnumSet.noneOf(UsbDevice.Role.class))
          .add(UsbDevice.Role.KEYBOARD);
      if (proto.equals("02")) roles.computeIfAbsent(m.group(1), k -> EnumSet.noneOf(UsbDevice.Role.class))
          .add(UsbDevice.Role.MOUSE);
    }
    for (String link : root.list("dev/input/by-id")) {
      UsbDevice.Role role = link.endsWith("-event-kbd") ? UsbDevice.Role.KEYBOARD
          : link.endsWith("-event-mouse") ? UsbDevice.Role.MOUSE : null;
      if (role == null) continue;
      Optional<String> event = root.linkNameAt(root.resolve("dev/input/by-id/" + link));
      if (event.isEmpty()) continue;
      usbDeviceOf(root, "sys/class/input/" + event.get()).ifPresent(dev -> {
        roles.computeIfAbsent(dev, k -> EnumSet.noneOf(UsbDevice.Role.class)).add(role);
        byId.computeIfAbsent(dev, k -> new ArrayList<>()).add("/dev/input/by-id/" + link);
      });
    }
    List<UsbDevice> out = new ArrayList<>();
    for (String n : names) {
      if (!DEVICE.matcher(n).matches()) continue;
      String d = base + n + "/";
      if ("09".equals(root.read(d + "bDeviceClass").orElse(""))) continue; // hubs
      String vid = root.read(d + "idVendor").orElse("");
      String pid = root.read(d + "idProduct").orElse("");
      if (!HEX4.matcher(vid).matches() || !HEX4.matcher(pid).matches()) continue;
      int bus = intOr(root.read(d + "busnum").orElse(""), Integer.parseInt(n.substring(0, n.indexOf('-'))));
      int dev = intOr(root.read(d + "devnum").orElse(""), 0);
      out.add(new UsbDevice(n, bus, dev, vid, pid, root.read(d + "manufacturer").orElse(null),
          root.read(d + "product").orElse(null), roles.getOrDefault(n, Set.of()), byId.getOrDefault(n, List.of())));
    }
    return out;
  }

  /**
   * Keyboards that are not USB devices (a laptop's PS/2 keyboard, {@code platform-i8042-serio-0-event-kbd}), from
   * {@code /dev/input/by-path}: the host keeps these whatever goes to the guest.
   */
  public static List<String> otherKeyboards(SysRoot root) {
    List<String> out = new ArrayList<>();
    for (String link : root.list("dev/input/by-path")) {
      if (link.endsWith("-event-kbd") && !link.contains("-usb-")) out.add("/dev/input/by-path/" + link);
    }
    return out;
  }

  /** The USB device ({@code 1-2}) whose interface holds this input node, from the node's real sysfs path. */
  static Optional<String> usbDeviceOf(SysRoot root, String classPath) {
    Path p = root.resolve(classPath);
    try {
      Path real = root.realPathAt(p).orElseThrow(); // resolved inside the root, never out of it
      for (Path part : real) {
        var m = INTERFACE.matcher(part.toString());
        if (m.matches()) return Optional.of(m.group(1));
      }
    } catch (RuntimeException e) {
      // not a USB input (or gone): no role from it
    }
    return Optional.empty();
  }

  private static int intOr(String s, int fallback) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
