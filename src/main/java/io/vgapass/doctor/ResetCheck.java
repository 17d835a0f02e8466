package io.vgapass.doctor;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.PciDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * A card that cannot be reset cannot be given to a VM a second time without a host reboot. Which cards have the
 * AMD reset bug, and which of them vendor-reset covers, comes from the card family table ({@link CardPolicy});
 * only a confirmed row changes the verdict, an unconfirmed one is named in the evidence.
 */
final class ResetCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    for (GpuCandidate g : GpuAnalyzer.guestCandidates(v.gpus())) {
      PciDevice d = v.host().device(g.address()).orElseThrow();
      CardPolicy policy = g.cardPolicy();
      String file = "sys/bus/pci/devices/" + g.address() + "/reset_method";
      String methods = d.resetMethods() == null ? "absent (kernel older than 5.15)"
          : d.resetMethods().isEmpty() ? "(empty)" : String.join(" ", d.resetMethods());
      String family = "; " + policy.describe();
      if (policy.confirmedResetBug() && policy.vendorReset()) {
        boolean loaded = v.host().kernel().hasModule("vendor_reset");
        out.add(new Finding("gpu.reset", loaded ? Severity.OK : Severity.WARNING,
            "GPU " + g.address() + " (AMD " + d.ids() + ") has the AMD reset bug"
                + (loaded ? "; vendor-reset is loaded" : ": after the VM stops it may hang until the host reboots"),
            file + ": " + methods + "; proc/modules: " + (loaded ? "vendor_reset" : "no vendor_reset") + family,
            loaded ? "" : "install vendor-reset (github.com/gnif/vendor-reset, DKMS; it lists " + policy.family()
                + "), load it before vfio-pci: "
                + "echo vendor-reset | sudo tee /etc/modules-load.d/vendor-reset.conf, and on kernels >= 5.15 "
                + "echo device_specific | sudo tee " + "/" + file));
      } else if (policy.confirmedResetBug()) {
        out.add(new Finding("gpu.reset", Severity.WARNING, "GPU " + g.address() + " (" + d.ids() + ", "
            + policy.family() + ") has the AMD reset bug and vendor-reset does not cover it: the VM can use it once "
            + "per host boot", file + ": " + methods + family,
            "shut the guest down cleanly; if it cannot be restarted, reboot the host between runs"));
      } else if (d.resetMethods() != null && d.resetMethods().isEmpty()) {
        out.add(new Finding("gpu.reset", Severity.WARNING, "GPU " + g.address() + " offers no reset method: "
            + "the VM can use it once per host boot", file + ": " + methods + family,
            "shut the guest down cleanly; if it cannot be restarted, reboot the host between runs"));
      } else if (d.resetMethods() == null) {
        out.add(new Finding("gpu.reset", Severity.INFO, "GPU " + g.address() + ": reset ability unknown "
            + "(this kernel does not expose reset_method)", file + ": " + methods + family,
            "nothing to do; if the card fails on the second VM start, reboot the host between runs"));
      } else {
        out.add(Finding.ok("gpu.reset", "GPU " + g.address() + " can be reset between VM runs",
            file + ": " + methods + family));
      }
    }
    return out;
  }
}
