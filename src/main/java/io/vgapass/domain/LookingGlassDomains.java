package io.vgapass.domain;

import io.vgapass.doctor.Check;
import io.vgapass.doctor.LookingGlassCheck;
import io.vgapass.host.SharedMemoryFile;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The domains that ask for Looking Glass, for doctor: libvirt's saved definitions under etc/libvirt/qemu (read
 * through the root, so a --sysroot or capture works as the live host does) whose vgapass metadata plans it.
 */
public final class LookingGlassDomains {
  public static final String DEFINITIONS = "etc/libvirt/qemu";

  private LookingGlassDomains() {}

  /** Doctor's Looking Glass check, or none when no domain asks for it. */
  public static List<Check> checks(SysRoot root) {
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

  /**
   * The size of {@code <shmem name='looking-glass'>} in MiB (libvirt's scaled integer, bytes by default), or null when
   * it is missing or not one libvirt would take: doctor reports on the domain, it does not judge its XML.
   */
  public static Integer shmemMiB(XmlDoc doc) {
    String v = doc.get(DomainPaths.LOOKING_GLASS_SIZE);
    if (v == null) return null;
    try {
      long mib = MemoryUnits.bytes(v, doc.get(DomainPaths.LOOKING_GLASS_SIZE_UNIT), "b") >> 20;
      return (int) Math.min(Integer.MAX_VALUE, mib);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
