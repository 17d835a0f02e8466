package io.vgapass.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What identifies a PCI function beyond its address, which firmware, a new card or a BIOS option can renumber: its ids,
 * subsystem and class, where it sits (its sysfs device path: the bridges above it), and the members of its IOMMU group.
 * Recorded in a domain's metadata for every hostdev vgapass adds, and compared with what sysfs shows at the address
 * before the VM starts ({@link DeviceDrift}).
 *
 * @param ids vendor:device ("1002:5046")
 * @param subsystem subsystem vendor:device ("1af4:1100"), "" when sysfs shows none
 * @param classCode the class as sysfs writes it ("0x030000")
 * @param path the device's path under sys/devices ("pci0000:00/0000:00:03.0/0000:01:00.0")
 * @param group the members of its IOMMU group, sorted; empty when the IOMMU is off
 */
public record DeviceIdentity(PciAddress address, String ids, String subsystem, String classCode, String path,
    List<PciAddress> group) {

  /** At most this many members of a group are read or recorded (a hostile tree may hold any number). */
  static final int MAX_GROUP = 64;

  public DeviceIdentity {
    group = List.copyOf(group);
  }

  /** What sysfs shows at the address now, or null when no device is there. */
  public static DeviceIdentity read(SysRoot root, PciAddress address) {
    String dir = "sys/bus/pci/devices/" + address;
    String vendor = id(root, dir + "/vendor");
    String device = id(root, dir + "/device");
    String cls = root.read(dir + "/class").map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse(null);
    if (vendor == null || device == null || cls == null) return null;
    String sv = id(root, dir + "/subsystem_vendor");
    String sd = id(root, dir + "/subsystem_device");
    List<PciAddress> group = new ArrayList<>();
    String g = root.linkNameAt(root.resolve(dir + "/iommu_group")).orElse(null);
    if (g != null && g.matches("[0-9]{1,9}")) {
      for (String m : root.list("sys/kernel/iommu_groups/" + g + "/devices")) {
        if (PciAddress.looksLike(m) && group.size() < MAX_GROUP) group.add(PciAddress.parse(m));
      }
    }
    group.sort(null);
    return new DeviceIdentity(address, vendor + ":" + device, sv == null || sd == null ? "" : sv + ":" + sd, cls,
        path(root, dir, address), group);
  }

  /** Every function sysfs lists now, with its identity (to find where a recorded device went). */
  public static List<DeviceIdentity> all(SysRoot root) {
    List<DeviceIdentity> out = new ArrayList<>();
    for (String name : root.list("sys/bus/pci/devices")) {
      if (!PciAddress.looksLike(name)) continue;
      DeviceIdentity d = read(root, PciAddress.parse(name));
      if (d != null) out.add(d);
    }
    return out;
  }

  /** Same ids, subsystem and class: the same kind of device (twin cards are the same kind). */
  public boolean sameKind(DeviceIdentity o) {
    return ids.equals(o.ids) && subsystem.equals(o.subsystem) && classCode.equals(o.classCode);
  }

  /**
   * Where the device sits, without bus numbers: the root bus, then device.function of every bridge above it and of the
   * device itself ("pci0000:00/03.0/00.0"). Renumbering buses (a new card in front of it) leaves this as it is; moving
   * the card to another slot changes it; twin cards always differ in it.
   */
  public String slotPath() {
    StringBuilder b = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) continue;
      if (b.length() > 0) b.append('/');
      b.append(PciAddress.looksLike(part) ? part.substring(part.length() - 4) : part);
    }
    return b.toString();
  }

  /** The bridges above the device, by address, outermost first. */
  public List<String> bridges() {
    List<String> out = new ArrayList<>();
    String[] parts = path.split("/");
    for (int i = 0; i < parts.length - 1; i++) if (PciAddress.looksLike(parts[i])) out.add(parts[i]);
    return out;
  }

  /** "1002:5046 (class 0x030000, subsystem 1af4:1100) behind 0000:00:03.0": for one-line messages. */
  public String describe() {
    List<String> bridges = bridges();
    return ids + " (" + PciClasses.describe(classValue()) + ", class " + classCode
        + (subsystem.isEmpty() ? "" : ", subsystem " + subsystem) + ")"
        + (bridges.isEmpty() ? " on the root bus" : " behind " + bridges.get(bridges.size() - 1));
  }

  int classValue() {
    try {
      return Integer.decode(classCode);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String path(SysRoot root, String dir, PciAddress address) {
    Path target = root.linkTargetAt(root.resolve(dir)).orElse(null);
    if (target == null) {
      Path real = root.realPathAt(root.resolve(dir)).orElse(null);
      Path devices = root.resolve("sys/devices");
      target = real != null && real.startsWith(devices) ? devices.relativize(real) : Path.of(address.toString());
    }
    List<String> parts = new ArrayList<>();
    boolean on = false;
    for (Path p : target) {
      String s = p.toString();
      if (!on && s.startsWith("pci") && s.contains(":")) on = true;
      if (on) parts.add(s);
    }
    return parts.isEmpty() ? address.toString() : String.join("/", parts);
  }

  private static String id(SysRoot root, String file) {
    return root.read(file).map(String::trim).map(s -> s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s)
        .map(s -> s.toLowerCase(Locale.ROOT)).filter(s -> s.matches("[0-9a-f]{4}")).orElse(null);
  }
}
