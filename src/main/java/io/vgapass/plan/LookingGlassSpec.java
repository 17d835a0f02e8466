package io.vgapass.plan;

import java.util.Locale;

/**
 * Looking Glass in the plan: the guest's frames go to the host through shared memory sized for the resolution.
 *
 * @param mode the kvmfr module's device when the host has the module, else plain IVSHMEM on /dev/shm
 * @param sizeMiB the shared memory, by {@link #sizeMiB(int, int, boolean)}
 * @param video the emulated display the guest keeps beside the GPU
 */
public record LookingGlassSpec(int width, int height, boolean hdr, Video video, Mode mode, int sizeMiB) {

  public enum Mode {
    /** {@code /dev/kvmfr0} of the kvmfr module, through qemu:commandline (libvirt has no element for it). */
    KVMFR,
    /** {@code <shmem name='looking-glass'>}: a file in /dev/shm. */
    IVSHMEM;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Video {
    /**
     * No emulated display (Looking Glass's advice): the GPU is the guest's only display, so the desktop the host
     * sees is the one the guest draws on, and the mouse cannot wander onto a screen Looking Glass does not show.
     */
    NONE,
    /** A minimal VGA adapter, for reaching the guest (virt-manager, SPICE) before its GPU driver works. */
    VGA;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Video parse(String text) {
      if (text == null) return NONE;
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "none" -> NONE;
        case "vga" -> VGA;
        default -> throw new IllegalArgumentException("--looking-glass-video " + text + ": use none (default) or vga");
      };
    }
  }

  /** The device QEMU maps for kvmfr, and the file for IVSHMEM. */
  public static final String KVMFR_DEVICE = "/dev/kvmfr0";
  public static final String SHM_FILE = "/dev/shm/looking-glass";

  public static LookingGlassSpec of(LookingGlassRequest r, Mode mode) {
    return new LookingGlassSpec(r.width(), r.height(), r.hdr(), r.video(), mode, sizeMiB(r.width(), r.height(), r.hdr()));
  }

  /**
   * Looking Glass's documented rule: width x height x bytes per pixel (4, or 8 for HDR) x 2 frames, in MiB, plus
   * 10 MiB for the cursor and headers, rounded up to the next power of two.
   */
  public static int sizeMiB(int width, int height, boolean hdr) {
    long bytes = (long) width * height * (hdr ? 8 : 4) * 2;
    long mib = (bytes + (1 << 20) - 1 >> 20) + 10;
    return (int) Long.highestOneBit(mib - 1) << 1;
  }

  public long sizeBytes() {
    return (long) sizeMiB << 20;
  }

  public String resolution() {
    return String.format(Locale.ROOT, "%dx%d", width, height);
  }
}
