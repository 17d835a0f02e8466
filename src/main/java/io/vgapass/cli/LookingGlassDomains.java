package io.vgapass.cli;

import io.vgapass.doctor.Check;
import io.vgapass.doctor.LookingGlassCheck;
import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SharedMemoryFile;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The domains that ask for Looking Glass, for doctor: libvirt's saved definitions under etc/libvirt/qemu (read
 * through the root, so a --sysroot or capture works as the live host does) whose vgapass metadata plans it.
 */
final class LookingGlassDomains {
  static final String DEFINITIONS = "etc/libvirt/qemu";

  private LookingGlassDomains() {}

  /** Doctor's Looking Glass check, or none when no domain asks for it. */
  static List<Check> checks(SysRoot root) {
    List<LookingGlassCheck.Domain> domains = new ArrayList<>();
    for (String f : root.list(DEFINITIONS)) {
      if (!f.endsWith(".xml")) continue;
      XmlDoc doc;
      try {
        doc = XmlDoc.read(root.resolve(DEFINITIONS + "/" + f));
      } catch (RuntimeException e) {
        continue; // not ours to judge here; libvirt itself says what is wrong with it
      }
      VgapassMetadata m = VgapassMetadata.read(doc);
      if (m == null || m.lookingGlass() == null) continue;
      LookingGlassSpec lg = m.lookingGlass();
      boolean kvmfr = lg.mode() == LookingGlassSpec.Mode.KVMFR;
      domains.add(new LookingGlassCheck.Domain(doc.get(DomainPaths.NAME), lg.resolution(), lg.hdr(), kvmfr,
          LookingGlassSpec.sizeMiB(lg.width(), lg.height(), lg.hdr()), kvmfr ? null : shmemMiB(doc)));
    }
    if (domains.isEmpty()) return List.of();
    String size = root.read("sys/module/kvmfr/parameters/static_size_mb").orElse("").split(",")[0].strip();
    LookingGlassCheck.Facts facts = new LookingGlassCheck.Facts(
        SharedMemoryFile.read(root, LookingGlassSpec.KVMFR_DEVICE), SharedMemoryFile.read(root, LookingGlassSpec.SHM_FILE),
        size.matches("\\d+") ? Integer.valueOf(size) : null, root.read("etc/libvirt/qemu.conf").orElse(null));
    return List.of(new LookingGlassCheck(domains, facts));
  }

  /** The size of {@code <shmem name='looking-glass'>} in MiB (libvirt's scaled integer, bytes by default). */
  static Integer shmemMiB(XmlDoc doc) {
    String v = doc.get(DomainPaths.LOOKING_GLASS_SIZE);
    if (v == null || !v.strip().matches("\\d+")) return null;
    String unit = doc.get(DomainPaths.LOOKING_GLASS_SIZE_UNIT);
    long n = Long.parseLong(v.strip());
    double bytes = n * switch (unit == null ? "b" : unit.toLowerCase(Locale.ROOT)) {
      case "k", "kib" -> 1024.0;
      case "kb" -> 1e3;
      case "m", "mib" -> 1024.0 * 1024;
      case "mb" -> 1e6;
      case "g", "gib" -> 1024.0 * 1024 * 1024;
      case "gb" -> 1e9;
      default -> 1.0;
    };
    return (int) (bytes / (1024 * 1024));
  }
}
