package io.vgapass.plan;

import io.vgapass.host.Host;
import io.vgapass.host.VirtStack;
import java.util.List;
import java.util.Optional;

/**
 * What a Windows 11 guest needs before setup starts: UEFI with Secure Boot and Microsoft's keys, a TPM 2.0, and the
 * install and drivers media. Part of {@link Planner}; notes say what the user must still do.
 */
final class GuestSetup {
  /** libvirt chooses the firmware by the features the domain asks for from this version on. */
  static final int[] FIRMWARE_FEATURES_SINCE = {7, 2};
  /** The swtpm emulator backend and the tpm-crb model came with this version. */
  static final int[] TPM_EMULATOR_SINCE = {4, 5};
  static final String VIRTIO_WIN_URL =
      "https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/stable-virtio/virtio-win.iso";

  private GuestSetup() {}

  /**
   * UEFI; with Secure Boot the domain asks libvirt for a secure-boot build with Microsoft's keys enrolled where
   * libvirt can choose by features (its own descriptor order then picks what {@link VirtStack#pick} picks), and
   * names the descriptor's code and variables template otherwise. Without Secure Boot, the bare build by path.
   */
  static Firmware firmware(Host host, boolean secureBoot, List<String> notes) {
    Optional<VirtStack.Firmware> f = host.virt().pick(secureBoot); // doctor reads the same pick's keys
    if (secureBoot && host.virt().libvirtAtLeast(FIRMWARE_FEATURES_SINCE[0], FIRMWARE_FEATURES_SINCE[1])) {
      if (f.isEmpty()) {
        notes.add("secure boot: no firmware descriptor with the secure-boot feature on the host: libvirt cannot "
            + "start the domain until OVMF with Secure Boot is installed (ovmf / edk2-ovmf); --no-secure-boot for none");
      }
      return new Firmware(null, null, true, f.map(VirtStack.Firmware::descriptor).orElse(null));
    }
    String version = host.virt().libvirtVersion();
    Optional<VirtStack.Firmware> bare = host.virt().pick(false);
    if (secureBoot && f.isEmpty() && version != null && bare.isPresent()) {
      // libvirt before 7.2 cannot be asked for Secure Boot by features: without a build to name, none is had
      notes.add("secure boot: off, because the host has no OVMF build with Secure Boot and libvirt " + version
          + " cannot choose one by its features (7.2 and later); Windows 11 wants it: install OVMF with Secure Boot "
          + "(edk2-ovmf / ovmf) and plan again");
      return new Firmware(bare.get().executable(), bare.get().nvramTemplate(), false, bare.get().descriptor());
    }
    if (f.isEmpty()) {
      notes.add("no OVMF firmware found on the host: the domain asks libvirt to pick one (firmware='efi'); "
          + "install OVMF (edk2-ovmf / ovmf) before starting it");
      return new Firmware(null, null, secureBoot, null);
    }
    return new Firmware(f.get().executable(), f.get().nvramTemplate(), secureBoot, f.get().descriptor());
  }

  /** A TPM 2.0 when asked and the host's libvirt has the emulator backend; notes when swtpm is missing. */
  static boolean tpm(Host host, boolean asked, List<String> notes) {
    if (!asked) return false;
    String version = host.virt().libvirtVersion();
    if (version != null && !host.virt().libvirtAtLeast(TPM_EMULATOR_SINCE[0], TPM_EMULATOR_SINCE[1])) {
      notes.add("tpm: libvirt " + version + " has no TPM emulator (it came with 4.5): the guest gets no TPM, and "
          + "Windows 11 setup refuses to install without one");
      return false;
    }
    if (host.virt().swtpm() == null) {
      notes.add("tpm: swtpm is not installed, and the domain's TPM 2.0 needs it to start: install swtpm and "
          + "swtpm-tools (or plan with --no-tpm)");
    }
    return true;
  }

  /** Which drivers Windows setup needs from the virtio-win CD, and how the media leave again. */
  static void installNotes(String name, InstallMedia media, List<DiskSpec> disks, List<NicSpec> nics,
      List<String> notes) {
    if (media.absent()) return;
    if (media.installIso() != null) {
      notes.add("install: " + media.installIso() + " boots first (SATA CD-ROM); once Windows is installed, "
          + "vgapass vm tune --domain " + name + " --no-install-media takes the CD-ROMs out");
    }
    if (media.driversIso() == null) {
      notes.add("install: no --drivers-iso: Windows setup finds no disk on virtio-scsi without the vioscsi driver; "
          + "add --drivers-iso virtio-win.iso (" + VIRTIO_WIN_URL + ")");
      return;
    }
    if (!disks.isEmpty()) {
      notes.add("install: Windows setup lists no disk until you load the virtio-scsi driver: Load driver, browse to "
          + "the virtio-win CD, vioscsi\\w11\\amd64");
    }
    if (!nics.isEmpty()) {
      notes.add("install: the network (virtio) needs NetKVM: load NetKVM\\w11\\amd64 from the virtio-win CD the same "
          + "way, or run virtio-win-guest-tools.exe from it after setup");
    }
  }
}
