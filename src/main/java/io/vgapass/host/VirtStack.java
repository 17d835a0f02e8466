package io.vgapass.host;

import java.util.List;

/**
 * The virtualization stack installed on the host.
 *
 * @param libvirtDaemon path of libvirtd or virtqemud, null when absent
 * @param libvirtSocketActive a libvirt socket exists under run/libvirt
 * @param qemu path of the QEMU system emulator, null when absent
 * @param firmware OVMF firmware descriptors (usr/share/qemu/firmware/*.json)
 * @param kvmDevice /dev/kvm exists
 * @param qemuConfCgroupControllers the cgroup_controllers list in /etc/libvirt/qemu.conf, null when unset
 */
public record VirtStack(
    String libvirtDaemon,
    boolean libvirtSocketActive,
    String qemu,
    List<Firmware> firmware,
    boolean kvmDevice,
    List<String> qemuConfCgroupControllers) {

  /** One firmware descriptor: what executable it maps and which features it declares. */
  public record Firmware(String descriptor, String executable, String nvramTemplate, List<String> features) {
    public boolean secureBoot() {
      return features.contains("secure-boot");
    }
  }
}
