package io.vgapass.plan;

/**
 * The CD-ROMs a guest is installed from: the operating system's ISO (booted first) and the virtio-win drivers ISO,
 * whose vioscsi driver Windows setup needs to see a disk on virtio-scsi. Either may be null.
 */
public record InstallMedia(String installIso, String driversIso) {
  public static final InstallMedia NONE = new InstallMedia(null, null);

  /** Neither ISO (named so that JSON does not take it for a field). */
  public boolean absent() {
    return installIso == null && driversIso == null;
  }
}
