package io.vgapass.doctor;

import io.vgapass.host.Host;
import java.util.ArrayList;
import java.util.List;

/** The IOMMU must be on, and VFIO wants interrupt remapping. */
final class IommuCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    List<Finding> out = new ArrayList<>();
    String cmdline = "proc/cmdline: " + (h.kernel().cmdline().isEmpty() ? "(empty)" : h.kernel().cmdline());
    if (h.iommu().active()) {
      out.add(Finding.ok("iommu.active", "the IOMMU is on (" + h.iommu().vendor() + ", "
          + h.iommuGroups().size() + " groups)",
          "sys/class/iommu: " + String.join(" ", h.iommu().units()) + "; sys/kernel/iommu_groups: "
              + h.iommuGroups().size()));
    } else {
      boolean amd = h.cpu().isAmd();
      String args = String.join(" ", h.missingIommuArguments());
      String why = amd
          ? "the AMD IOMMU is on by default in Linux: it is probably disabled in the firmware"
          : "intel_iommu=on is " + (h.kernel().argument("intel_iommu").isPresent()
              ? "set but no DMAR unit appeared: VT-d is off in the firmware" : "missing from the kernel command line");
      out.add(new Finding("iommu.inactive", Severity.ERROR,
          "the IOMMU is off, so no device can be given to a VM (" + why + ")",
          cmdline + "; sys/class/iommu: " + (h.iommu().units().isEmpty() ? "empty" : String.join(" ", h.iommu().units()))
              + "; sys/kernel/iommu_groups: none",
          (amd ? "enable IOMMU/AMD-Vi in the firmware setup" : "enable VT-d in the firmware setup")
              + (args.isEmpty() ? " and reboot (the kernel command line already has " + String.join(" ", h.iommuArguments()) + ")"
                  : "; then " + Fixes.kernelArgs(h, args))));
    }
    if (h.iommu().active()) {
      if (h.kernel().interruptRemapping()) {
        out.add(Finding.ok("iommu.interrupt-remapping", "interrupt remapping is on",
            "proc/interrupts: IR-* interrupt domains present"));
      } else if (h.kernel().unsafeInterrupts()) {
        out.add(new Finding("iommu.interrupt-remapping", Severity.WARNING,
            "interrupt remapping is not in use; allow_unsafe_interrupts lets VFIO take devices anyway, without "
                + "isolation from a malicious guest's interrupts",
            "proc/interrupts: no IR-IO-APIC / IR-PCI-MSI domains; vfio_iommu_type1 allow_unsafe_interrupts=1",
            "enable interrupt remapping (x2APIC) in the firmware, then remove allow_unsafe_interrupts"));
      } else {
        out.add(new Finding("iommu.interrupt-remapping", Severity.ERROR,
            "interrupt remapping is not in use: VFIO refuses the device (\"Failed to set iommu for container:"
                + " Operation not permitted\")",
            "proc/interrupts: no IR-IO-APIC / IR-PCI-MSI domains; allow_unsafe_interrupts not set",
            "enable interrupt remapping (x2APIC) in the firmware; as a last resort, at the cost of isolation "
                + "from malicious guests: echo 'options vfio_iommu_type1 allow_unsafe_interrupts=1' | sudo tee "
                + "/etc/modprobe.d/vfio-unsafe.conf"));
      }
    }
    return out;
  }
}
