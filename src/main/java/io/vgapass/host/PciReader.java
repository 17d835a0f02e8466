package io.vgapass.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads PCI functions from {@code sys/bus/pci/devices}. */
final class PciReader {
  private final SysRoot root;
  private final RomReader roms;

  PciReader(SysRoot root, RomReader roms) {
    this.root = root;
    this.roms = roms;
  }

  List<PciDevice> read() {
    List<PciDevice> out = new ArrayList<>();
    for (String name : root.list("sys/bus/pci/devices")) {
      if (!PciAddress.looksLike(name)) continue;
      Path dir = root.resolve("sys/bus/pci/devices/" + name);
      Integer classCode = hex(dir.resolve("class"));
      if (classCode == null) continue; // not a usable device directory: skip rather than guess
      out.add(
          new PciDevice(
              PciAddress.parse(name),
              classCode,
              id(dir.resolve("vendor")),
              id(dir.resolve("device")),
              id(dir.resolve("subsystem_vendor")),
              id(dir.resolve("subsystem_device")),
              root.readAt(dir.resolve("revision")).map(PciReader::strip0x).orElse(null),
              root.linkNameAt(dir.resolve("driver")).orElse(null),
              root.readAt(dir.resolve("driver_override"))
                  .filter(s -> !s.isEmpty() && !s.equals("(null)"))
                  .orElse(null),
              root.readAt(dir.resolve("boot_vga")).map(s -> s.equals("1")).orElse(null),
              root.readAt(dir.resolve("reset_method"))
                  .map(s -> s.isBlank() ? List.<String>of() : Arrays.asList(s.trim().split("\\s+")))
                  .orElse(null),
              root.readAt(dir.resolve("numa_node")).map(PciReader::intOrNull).orElse(null),
              parentOf(dir),
              root.linkNameAt(dir.resolve("iommu_group")).map(PciReader::intOrNull).orElse(null),
              root.existsAt(dir.resolve("rom")) ? roms.read(dir.resolve("rom")) : null));
    }
    out.sort((a, b) -> a.address().compareTo(b.address()));
    return out;
  }

  /**
   * The upstream bridge is the parent directory of the device's real sysfs path; the
   * sys/bus/pci/devices link names it (../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0),
   * so one readlink does what a full path resolution would.
   */
  private PciAddress parentOf(Path dir) {
    Path target = root.linkTargetAt(dir).orElse(null);
    Path parent = target == null ? root.realPathAt(dir).map(Path::getParent).orElse(null) : target.getParent();
    if (parent != null && parent.getFileName() != null && PciAddress.looksLike(parent.getFileName().toString())) {
      return PciAddress.parse(parent.getFileName().toString());
    }
    return null;
  }

  private String id(Path p) {
    return root.readAt(p).map(PciReader::strip0x).map(s -> s.toLowerCase(Locale.ROOT)).orElse("????");
  }

  private static String strip0x(String s) {
    return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
  }

  private Integer hex(Path p) {
    Optional<String> s = root.readAt(p);
    if (s.isEmpty()) return null;
    try {
      return Integer.parseInt(strip0x(s.get()), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Integer intOrNull(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
