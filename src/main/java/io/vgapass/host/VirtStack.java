package io.vgapass.host;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
 * @param nvramTemplates the OVMF variables templates the firmware entries name, each with the Secure Boot keys
 *     it holds (read, not assumed from the file name)
 * @param swtpm path of the swtpm TPM emulator (Windows 11 wants a TPM 2.0), null when absent
 */
public record VirtStack(
    String libvirtDaemon,
    String libvirtVersion,
    boolean libvirtSocketActive,
    String qemu,
    List<Firmware> firmware,
    boolean kvmDevice,
    List<String> qemuConfCgroupControllers,
    List<NvramTemplate> nvramTemplates,
    String swtpm) {

  /**
   * The firmware a domain gets: without secure boot unless asked; with it, the descriptor that sorts
   * first (the distros name the one with Microsoft's keys enrolled before the bare one).
   */
  public Optional<Firmware> pick(boolean secureBoot) {
    return firmware.stream()
        .filter(x -> secureBoot ? x.secureBoot() : !x.secureBoot() && !x.features().contains("enrolled-keys"))
        .filter(x -> x.executable() != null)
        .min(Comparator.comparing(x -> x.descriptor() == null ? "" : x.descriptor()));
  }

  /** The read template at this path (as a firmware entry names it), if any. */
  public Optional<NvramTemplate> template(String path) {
    return nvramTemplates.stream().filter(t -> t.path().equals(path)).findFirst();
  }

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

  /**
   * One OVMF variables template as read from the host.
   *
   * @param path as the firmware entry names it (/usr/share/OVMF/OVMF_VARS_4M.ms.fd)
   * @param keys the Secure Boot keys it holds, null when it could not be read
   * @param error why it could not be read (one line), null when read
   */
  public record NvramTemplate(String path, SecureBootKeys keys, String error) {}
}
