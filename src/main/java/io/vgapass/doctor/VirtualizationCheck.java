package io.vgapass.doctor;

import io.vgapass.host.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/** CPU virtualization extensions (VT-x / AMD-V) and the /dev/kvm device. */
final class VirtualizationCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    CpuTopology cpu = v.host().cpu();
    String ext = cpu.hasVmx() ? "vmx (Intel VT-x)" : cpu.hasSvm() ? "svm (AMD-V)" : null;
    if (ext != null) {
      out.add(Finding.ok("cpu.virtualization", "CPU has hardware virtualization: " + ext,
          "proc/cpuinfo flags: " + (cpu.hasVmx() ? "vmx" : "svm")));
    } else if (cpu.cpus().isEmpty()) {
      out.add(new Finding("cpu.virtualization", Severity.WARNING, "CPU virtualization support is unknown",
          "proc/cpuinfo: missing or unreadable", "run vgapass on the host itself (not in a container)"));
    } else {
      boolean guest = cpu.flags().contains("hypervisor");
      out.add(new Finding("cpu.virtualization", Severity.ERROR,
          "the CPU shows neither vmx nor svm: KVM cannot run" + (guest ? " (this host is itself a VM)" : ""),
          "proc/cpuinfo flags: no vmx, no svm" + (guest ? ", hypervisor" : ""),
          guest ? "enable nested virtualization on the outer hypervisor"
              : "enable Intel VT-x / AMD SVM in the firmware setup (UEFI/BIOS), then reboot"));
    }
    if (v.host().virt().kvmDevice()) {
      out.add(Finding.ok("kvm.device", "/dev/kvm exists", "dev/kvm: present"));
    } else {
      String module = cpu.isAmd() ? "kvm_amd" : "kvm_intel";
      out.add(new Finding("kvm.device", Severity.ERROR, "/dev/kvm is missing: QEMU cannot use KVM",
          "dev/kvm: absent; proc/modules " + (v.host().kernel().hasModule(module) ? "has " : "lacks ") + module,
          "sudo modprobe " + module + " (and enable virtualization in the firmware if that fails)"));
    }
    return out;
  }
}
