package io.vgapass.doctor;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One finding per display device: can it go to a VM alone, and if not, why. */
final class GpuChecks implements Check {
  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    List<Finding> out = new ArrayList<>();
    if (v.gpus().isEmpty()) {
      out.add(new Finding("gpu.none", Severity.ERROR, "no display device found on the PCI bus",
          "sys/bus/pci/devices: no class 0x03xxxx device", "install the graphics card the VM should own"));
      return out;
    }
    List<GpuCandidate> guest = GpuAnalyzer.guestCandidates(v.gpus());
    for (GpuCandidate g : v.gpus()) {
      String evidence = evidence(h, g);
      // the boot VGA stays with the host while another card goes to the guest: its group is no fault to fix
      if (Boolean.TRUE.equals(g.bootVga()) && !guest.isEmpty() && !guest.contains(g)) {
        out.add(Finding.ok("gpu.host-gpu", "GPU " + g.address() + " (" + g.vendor() + " " + g.ids()
            + ") drives the host's display (boot VGA) and stays with the host", evidence));
        continue;
      }
      if (g.passable()) {
        out.add(Finding.ok("gpu.passable", "GPU " + g.address() + " (" + g.vendor() + " " + g.ids()
            + ") can be passed to a VM with " + functions(g), evidence));
      } else if (g.plannable()) {
        out.add(new Finding("gpu.pending-iommu", Severity.INFO, "GPU " + g.address() + " (" + g.vendor() + " "
            + g.ids() + ") stands alone in its predicted group and can be passed once the IOMMU is on",
            evidence, "switch the IOMMU on (see iommu.inactive); then vgapass plan --gpu " + g.address()));
      } else {
        out.add(new Finding(blockerId(g), Severity.WARNING, "GPU " + g.address() + " (" + g.vendor() + " "
            + g.ids() + ") cannot be passed: " + String.join("; ", g.reasons()), evidence, fix(g)));
      }
    }
    if (h.iommu().acsOverride() != null) {
      out.add(new Finding("iommu.acs-override", Severity.WARNING,
          "pcie_acs_override splits IOMMU groups in software: the isolation is not real",
          "proc/cmdline: pcie_acs_override=" + h.iommu().acsOverride(),
          "prefer a slot whose root port isolates (the CPU's first x16 slot), or accept that the devices "
              + "of the real group can reach each other's memory; remove pcie_acs_override when not needed"));
    }
    return out;
  }

  static String functions(GpuCandidate g) {
    return g.functions().size() == 1 ? "no companion function"
        : "its " + g.functions().size() + " functions " + g.functions().stream().map(PciAddress::toString)
            .collect(Collectors.joining(", "));
  }

  private static String evidence(Host h, GpuCandidate g) {
    String groups = g.groups().isEmpty() ? "none" : g.groups().stream().map(String::valueOf)
        .collect(Collectors.joining(","));
    return (h.iommu().groupsPredicted() ? "predicted group " : "sys/kernel/iommu_groups/") + groups + ": "
        + g.groupMembers().stream().map(PciAddress::toString).collect(Collectors.joining(" "))
        + "; boot_vga=" + (g.bootVga() == null ? "unknown" : g.bootVga() ? "1" : "0")
        + "; driver=" + (g.driver() == null ? "none" : g.driver());
  }

  private static String blockerId(GpuCandidate g) {
    String r = String.join(" ", g.reasons());
    if (r.contains("only GPU")) return "gpu.only-display";
    if (r.contains("pcie_acs_override")) return "gpu.acs-isolation";
    if (r.contains("unknown")) return "gpu.group-unknown";
    return "gpu.shared-group";
  }

  private static String fix(GpuCandidate g) {
    String r = String.join(" ", g.reasons());
    if (r.contains("only GPU")) {
      return "give the host a display of its own (enable the iGPU in the firmware or add a second card), "
          + "or use a single-GPU passthrough setup that hands the card over while the host is headless";
    }
    if (r.contains("pcie_acs_override")) {
      return "move the card to a slot whose root port isolates (usually the CPU's first x16 slot)";
    }
    return "move the card to another slot (the CPU's x16 slots are usually isolated), "
        + "or check for a firmware update that enables ACS on the root ports";
  }
}
