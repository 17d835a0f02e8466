package io.vgapass.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * A file or device node that Looking Glass's client and QEMU share ({@code /dev/kvmfr0}, {@code /dev/shm/looking-glass}),
 * as the host shows it: who may open it and how large it is.
 *
 * @param uid its owner, or -1 when unknown (a capture, where device nodes are markers)
 * @param groupAccess the group may read and write
 * @param otherAccess everyone may read and write
 */
public record SharedMemoryFile(String path, boolean exists, int uid, int gid, boolean ownerAccess,
    boolean groupAccess, boolean otherAccess, long size) {

  /** Reads {@code path} (absolute, as on the host) under the root. */
  public static SharedMemoryFile read(SysRoot root, String path) {
    Path p = root.resolve(path.substring(1));
    if (!root.existsAt(p)) return new SharedMemoryFile(path, false, -1, -1, false, false, false, 0);
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode,size", LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      return new SharedMemoryFile(path, true, (Integer) a.get("uid"), (Integer) a.get("gid"),
          perms.contains(PosixFilePermission.OWNER_READ) && perms.contains(PosixFilePermission.OWNER_WRITE),
          perms.contains(PosixFilePermission.GROUP_READ) && perms.contains(PosixFilePermission.GROUP_WRITE),
          perms.contains(PosixFilePermission.OTHERS_READ) && perms.contains(PosixFilePermission.OTHERS_WRITE),
          (Long) a.get("size"));
    } catch (IOException | UnsupportedOperationException | ClassCastException e) {
      return new SharedMemoryFile(path, true, -1, -1, false, false, false, 0);
    }
  }
}
