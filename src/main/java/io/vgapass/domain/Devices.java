package io.vgapass.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Keys that identify devices in a domain, so tuners find what is there before adding. */
final class Devices {
  private Devices() {}

  static String pciSource(XmlNode hostdev) {
    if (!"pci".equals(hostdev.get("./@type"))) return null;
    XmlNode a = hostdev.find("./source/address");
    if (a == null) return null;
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", hex(a.get("./@domain")), hex(a.get("./@bus")),
        hex(a.get("./@slot")), hex(a.get("./@function")));
  }

  static String usbSource(XmlNode hostdev) {
    if (!"usb".equals(hostdev.get("./@type"))) return null;
    String v = hostdev.get("./source/vendor/@id");
    String p = hostdev.get("./source/product/@id");
    return v == null || p == null ? null : strip(v) + ":" + strip(p);
  }

  static String diskSource(XmlNode disk) {
    return Optional.ofNullable(disk.get("./source/@file")).orElse(disk.get("./source/@dev"));
  }

  static String interfaceKey(XmlNode nic) {
    String type = nic.get("./@type");
    if ("direct".equals(type)) return "direct:" + nic.get("./source/@dev");
    if ("network".equals(type)) return "network:" + nic.get("./source/@network");
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

  static int hex(String s) {
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
