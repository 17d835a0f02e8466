package io.vgapass.doctor;

import io.vgapass.host.GpuCandidate;
import io.vgapass.host.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A card that cannot be reset cannot be given to a VM a second time without a host reboot. */
final class ResetCheck implements Check {
  /** AMD Polaris, Vega and Navi 1x device ids: the cards with the reset bug vendor-reset fixes. */
  static final Set<String> AMD_RESET_BUG = Set.of(
      "67df", "67ef", "67ff", "6fdf", "67c0", "67c4", "67c7", "67e0", "67e3", "67e8", "67eb", // Polaris 10/11/12
      "687f", "6860", "6861", "6862", "6863", "6864", "6867", "6868", "686c", "66af", // Vega 10/20
      "731f", "7310", "7312", "7340", "7341", "7347", "734f", "7360", "7362"); // Navi 10/12/14

  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    for (GpuCandidate g : io.vgapass.host.GpuAnalyzer.guestCandidates(v.gpus())) {
      PciDevice d = v.host().device(g.address()).orElseThrow();
      String file = "sys/bus/pci/devices/" + g.address() + "/reset_method";
      String methods = d.resetMethods() == null ? "absent (kernel older than 5.15)"
          : d.resetMethods().isEmpty() ? "(empty)" : String.join(" ", d.resetMethods());
      if (d.vendorId().equals("1002") && AMD_RESET_BUG.contains(d.deviceId())) {
        boolean loaded = v.host().kernel().hasModule("vendor_reset");
        out.add(new Finding("gpu.reset", loaded ? Severity.OK : Severity.WARNING,
            "GPU " + g.address() + " (AMD " + d.ids() + ") has the AMD reset bug"
                + (loaded ? "; vendor-reset is loaded" : ": after the VM stops it may hang until the host reboots"),
            file + ": " + methods + "; proc/modules: " + (loaded ? "vendor_reset" : "no vendor_reset"),
            loaded ? "" : "install vendor-reset (github.com/gnif/vendor-reset, DKMS), load it before vfio-pci: "
                + "echo vendor-reset | sudo tee /etc/modules-load.d/vendor-reset.conf, and on kernels >= 5.15 "
                + "echo device_specific | sudo tee " + "/" + file));
      } else if (d.resetMethods() != null && d.resetMethods().isEmpty()) {
        out.add(new Finding("gpu.reset", Severity.WARNING, "GPU " + g.address() + " offers no reset method: "
            + "the VM can use it once per host boot", file + ": " + methods,
            "shut the guest down cleanly; if it cannot be restarted, reboot the host between runs"));
      } else if (d.resetMethods() == null) {
        out.add(new Finding("gpu.reset", Severity.INFO, "GPU " + g.address() + ": reset ability unknown "
            + "(this kernel does not expose reset_method)", file + ": " + methods,
            "nothing to do; if the card fails on the second VM start, reboot the host between runs"));
      } else {
        out.add(Finding.ok("gpu.reset", "GPU " + g.address() + " can be reset between VM runs",
            file + ": " + methods));
      }
    }
    return out;
  }
}
