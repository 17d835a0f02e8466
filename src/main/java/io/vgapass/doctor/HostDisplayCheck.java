package io.vgapass.doctor;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import java.util.ArrayList;
import java.util.List;

/** The host needs a GPU of its own, and should boot on it. */
final class HostDisplayCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    if (v.gpus().isEmpty()) return out;
    List<GpuCandidate> guest = GpuAnalyzer.guestCandidates(v.gpus());
    if (v.gpus().size() < 2) {
      out.add(new Finding("gpu.host-display", Severity.ERROR,
          "only one GPU: the host has nothing left to drive its display while the VM owns the card",
          "sys/bus/pci/devices: one display device, " + v.gpus().get(0).address(),
          "enable the integrated GPU in the firmware (and plug a monitor into it) or add a second card; or use "
              + "single-GPU mode (vgapass plan --single-gpu): the host has no display while the VM runs"));
      return out;
    }
    out.add(Finding.ok("gpu.host-display", "the host keeps a GPU of its own (" + v.gpus().size()
        + " display devices)", "sys/bus/pci/devices: " + v.gpus().stream()
            .map(g -> g.address() + " " + g.ids()).reduce((a, b) -> a + ", " + b).orElse("")));
    GpuCandidate boot = v.gpus().stream().filter(g -> Boolean.TRUE.equals(g.bootVga())).findFirst().orElse(null);
    if (boot == null) {
      out.add(new Finding("gpu.boot-vga", Severity.INFO, "no device reports boot_vga=1",
          "sys/bus/pci/devices/*/boot_vga: none is 1", "nothing to do unless the wrong card shows the firmware"));
    } else if (guest.size() == 1 && guest.get(0).address().equals(boot.address())) {
      out.add(new Finding("gpu.boot-vga", Severity.WARNING,
          "the card meant for the VM (" + boot.address() + ") is the boot VGA: the firmware and the host's early "
              + "console use it, which can leave it in a state the guest driver rejects",
          "sys/bus/pci/devices/" + boot.address() + "/boot_vga: 1",
          "set the primary display to the other GPU (e.g. \"IGFX\"/\"Onboard\") in the firmware setup; "
              + "or add video=efifb:off and give the VM a clean copy of the card's ROM (romfile)"));
    } else {
      out.add(Finding.ok("gpu.boot-vga", "the host boots on " + boot.address() + " (" + boot.ids()
          + "), not on the card meant for the VM", "sys/bus/pci/devices/" + boot.address() + "/boot_vga: 1"));
    }
    return out;
  }
}
