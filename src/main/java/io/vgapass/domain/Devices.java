package io.vgapass.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Keys that identify devices in a domain, so tuners find what is there before adding. */
final class Devices {
  private Devices() {}

  static String pciSource(XmlNode hostdev) {
    if (!"pci".equals(hostdev.get(DevicePaths.TYPE))) return null;
    XmlNode a = hostdev.find("./source/address");
    if (a == null) return null;
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", number(a.get("./@domain")), number(a.get("./@bus")),
        number(a.get("./@slot")), number(a.get("./@function")));
  }

  static String usbSource(XmlNode hostdev) {
    if (!"usb".equals(hostdev.get(DevicePaths.TYPE))) return null;
    String v = hostdev.get(DevicePaths.SOURCE_VENDOR_ID);
    String p = hostdev.get(DevicePaths.SOURCE_PRODUCT_ID);
    return v == null || p == null ? null : strip(v) + ":" + strip(p);
  }

  static String diskSource(XmlNode disk) {
    return Optional.ofNullable(disk.get(DevicePaths.SOURCE_FILE)).orElse(disk.get(DevicePaths.SOURCE_DEV));
  }

  static String interfaceKey(XmlNode nic) {
    String type = nic.get(DevicePaths.TYPE);
    if ("direct".equals(type)) return "direct:" + nic.get(DevicePaths.SOURCE_DEV);
    if ("network".equals(type)) return "network:" + nic.get(DevicePaths.SOURCE_NETWORK);
    return type;
  }

  /** A libvirt bitmap such as "1-3,^2" (ranges, single ids, ^exclusions); throws IllegalArgumentException if not one. */
  static TreeSet<Integer> bitmap(String text) {
    TreeSet<Integer> in = new TreeSet<>();
    TreeSet<Integer> out = new TreeSet<>();
    for (String part : (text == null ? "" : text).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      boolean not = p.startsWith("^");
      if (not) p = p.substring(1).trim();
      int dash = p.indexOf('-');
      int a = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
      int b = dash < 0 ? a : Integer.parseInt(p.substring(dash + 1).trim());
      if (b < a || b - a > 65536) throw new IllegalArgumentException("'" + text + "' is not a libvirt bitmap");
      for (int i = a; i <= b; i++) (not ? out : in).add(i);
    }
    in.removeAll(out);
    return in;
  }

  /**
   * An integer attribute as libvirt writes it: {@code 0x}-prefixed hexadecimal (PCI address parts) or plain decimal
   * (indexes, ids, counts); 0 when absent or blank. Throws NumberFormatException for anything else.
   */
  static int number(String s) {
    if (s == null || s.isBlank()) return 0;
    String t = s.trim().toLowerCase(Locale.ROOT);
    return t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
  }

  static String hex2(int v) {
    return String.format(Locale.ROOT, "0x%02x", v);
  }

  private static String strip(String id) {
    String t = id.toLowerCase(Locale.ROOT);
    return t.startsWith("0x") ? t.substring(2) : t;
  }
}
