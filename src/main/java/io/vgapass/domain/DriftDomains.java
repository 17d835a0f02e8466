package io.vgapass.domain;

import io.vgapass.doctor.Check;
import io.vgapass.doctor.DeviceDriftCheck;
import io.vgapass.host.DeviceDrift;
import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.SysRoot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The domains with recorded passed devices, for doctor's drift check: libvirt's saved definitions under
 * etc/libvirt/qemu, read through the root (as {@link LookingGlassDomains} does), each compared with the host.
 */
public final class DriftDomains {
  private DriftDomains() {}

  /** Doctor's drift check, or none when no domain records its devices' identity. */
  public static List<Check> checks(SysRoot root) {
    Map<String, List<DeviceDrift>> domains = new LinkedHashMap<>();
    for (String f : root.list(LookingGlassDomains.DEFINITIONS)) {
      if (!f.endsWith(".xml")) continue;
      List<DeviceIdentity> recorded;
      String name;
      try {
        XmlDoc doc = XmlDoc.read(root.resolve(LookingGlassDomains.DEFINITIONS + "/" + f));
        recorded = DeviceRecords.read(doc);
        name = doc.get(DomainPaths.NAME);
      } catch (RuntimeException e) {
        continue; // not ours to judge here: libvirt, and the hook, say what is wrong with it
      }
      if (recorded.isEmpty() || name == null) continue;
      domains.put(name, DeviceDrift.check(root, recorded));
    }
    return domains.isEmpty() ? List.of() : List.of(new DeviceDriftCheck(domains));
  }
}
