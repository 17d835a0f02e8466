package io.vgapass.verify;

import io.vgapass.host.DeviceDrift;
import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.SysRoot;
import java.util.List;

/** The passed devices are the ones the domain recorded (ids, slot path, IOMMU group), not whatever took their address. */
public final class DeviceCheck {
  public static final String NAME = "devices";

  private DeviceCheck() {}

  public static VerifyCheck check(SysRoot root, String domain, List<String> hostdevs, List<DeviceIdentity> recorded) {
    if (hostdevs.isEmpty()) return new VerifyCheck(NAME, true, "no PCI devices passed through");
    if (recorded.isEmpty()) {
      return new VerifyCheck(NAME, true, "no identity recorded for " + String.join(", ", hostdevs) + " (planned before "
          + "vgapass kept one); vgapass vm tune --domain " + domain + " records it");
    }
    List<DeviceDrift> drift = DeviceDrift.check(root, recorded);
    if (!drift.isEmpty()) return new VerifyCheck(NAME, false, DeviceDrift.summary(domain, drift));
    return new VerifyCheck(NAME, true, recorded.size() + " passed device" + (recorded.size() == 1 ? " is" : "s are")
        + " the recorded one" + (recorded.size() == 1 ? "" : "s") + " (ids, slot path, IOMMU group)");
  }
}
