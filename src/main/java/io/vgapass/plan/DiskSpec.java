package io.vgapass.plan;

/**
 * A guest disk on the virtio-scsi controller.
 *
 * @param block a whole block device passed as a raw LUN (e.g. /dev/sdb), else an image file
 * @param format "raw" or "qcow2" for files; "raw" for block devices
 */
public record DiskSpec(String path, boolean block, String format) {

  public static DiskSpec of(String path) {
    if (path == null || path.isBlank() || !path.startsWith("/")) {
      throw new IllegalArgumentException("--disk " + path + ": give an absolute path (an image file or /dev/...)");
    }
    boolean block = path.startsWith("/dev/");
    String format = !block && (path.endsWith(".qcow2") || path.endsWith(".qcow")) ? "qcow2" : "raw";
    return new DiskSpec(path, block, format);
  }
}
