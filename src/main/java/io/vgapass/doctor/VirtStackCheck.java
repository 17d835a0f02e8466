package io.vgapass.doctor;

import io.vgapass.host.Host;
import io.vgapass.host.VirtStack;
import java.util.ArrayList;
import java.util.List;

/** libvirt, QEMU and UEFI firmware (OVMF) must be installed. */
final class VirtStackCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    VirtStack s = h.virt();
    List<Finding> out = new ArrayList<>();
    if (s.libvirtDaemon() != null) {
      out.add(Finding.ok("virt.libvirt", "libvirt is installed" + (s.libvirtSocketActive() ? " and running" : ""),
          s.libvirtDaemon() + ": present; run/libvirt socket: " + (s.libvirtSocketActive() ? "present" : "absent")));
      if (!s.libvirtSocketActive()) {
        out.add(new Finding("virt.libvirt-running", Severity.INFO, "libvirt is installed but not running",
            "run/libvirt/libvirt-sock: absent", "sudo systemctl enable --now libvirtd"));
      }
    } else {
      out.add(new Finding("virt.libvirt", Severity.ERROR, "libvirt is not installed",
          "usr/sbin/libvirtd, usr/sbin/virtqemud: absent", Fixes.install(h, "libvirt")));
    }
    if (s.qemu() != null) {
      out.add(Finding.ok("virt.qemu", "QEMU is installed", s.qemu() + ": present"));
    } else {
      out.add(new Finding("virt.qemu", Severity.ERROR, "QEMU is not installed",
          "usr/bin/qemu-system-x86_64, usr/libexec/qemu-kvm: absent", Fixes.install(h, "qemu")));
    }
    if (!s.firmware().isEmpty()) {
      VirtStack.Firmware f = s.firmware().get(0);
      out.add(Finding.ok("virt.ovmf", "UEFI firmware for guests (OVMF) is installed",
          (f.descriptor() == null ? "" : f.descriptor() + " -> ") + f.executable()));
    } else {
      out.add(new Finding("virt.ovmf", Severity.ERROR, "no UEFI firmware (OVMF) for guests",
          "usr/share/qemu/firmware: no UEFI descriptor; usr/share/OVMF, usr/share/edk2: none",
          Fixes.install(h, "ovmf")));
    }
    return out;
  }
}
