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
 * @param libvirtVersion from the library's soname (libvirt.so.0.9000.0 is 9.0.0), null when unknown
 * @param qemuConfCgroupControllers the cgroup_controllers list in /etc/libvirt/qemu.conf, null when unset
 */
public record VirtStack(
    String libvirtDaemon,
    String libvirtVersion,
    boolean libvirtSocketActive,
    String qemu,
    List<Firmware> firmware,
    boolean kvmDevice,
    List<String> qemuConfCgroupControllers) {

  /** True when the known libvirt version is at least major.minor; false when unknown. */
  public boolean libvirtAtLeast(int major, int minor) {
    return libvirtVersion != null && versionAtLeast(libvirtVersion, major, minor);
  }

  /** Compares a "MAJOR.MINOR[.MICRO]" version with major.minor. */
  public static boolean versionAtLeast(String version, int major, int minor) {
    String[] p = version.split("\\.");
    int ma = Integer.parseInt(p[0]);
    int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
    return ma > major || ma == major && mi >= minor;
  }

  /** One firmware descriptor: what executable it maps and which features it declares. */
  public record Firmware(String descriptor, String executable, String nvramTemplate, List<String> features) {
    public boolean secureBoot() {
      return features.contains("secure-boot");
    }
  }
}
