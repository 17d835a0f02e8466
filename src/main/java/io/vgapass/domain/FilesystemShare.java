package io.vgapass.domain;

/**
 * A host directory shared with the guest by virtiofs.
 *
 * @param source the host directory
 * @param tag what the guest mounts ({@code mount -t virtiofs TAG /mnt}); at most 36 bytes
 */
public record FilesystemShare(String source, String tag, boolean readOnly) {
  /** virtio-fs's tag field is 36 bytes. */
  public static final int MAX_TAG = 36;
}
