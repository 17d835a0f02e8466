package io.vgapass.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files written whole or not at all, the one implementation every floor uses (the journal's host files, the hook,
 * the hook's state file, captures, the CLI's output files): a temporary file in the same directory, fsync, rename
 * over the target, fsync of the directory. A crash at any point leaves either the old or the new bytes under the
 * name (and at worst a stray {@code .vgapass-*.tmp} file, which {@link #sweepTemps} removes).
 */
public final class AtomicFiles {
  public static final String TEMP_PREFIX = ".vgapass-";
  public static final String TEMP_SUFFIX = ".tmp";
  public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-r--r--");
  /** Programs (libvirt's hook): everyone may run them, root writes them. */
  public static final Set<PosixFilePermission> PROGRAM_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
  /** Credentials: root reads them, nobody else. */
  public static final Set<PosixFilePermission> SECRET_MODE = PosixFilePermissions.fromString("rw-------");

  /** Writes a file's content into the temporary file's stream (a capture's tar, a copied jar). */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code bytes}. An existing file keeps its permissions and owner; a new one
   * gets {@code mode}. {@code hook} is called between the steps (crash injection in tests).
   */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode, Runnable hook)
      throws IOException {
    write(target, out -> out.write(bytes), mode, true, hook);
  }

  /**
   * Replaces {@code target} with what {@code body} writes, the file then having {@code mode} whatever it had before
   * (an executable hook stays executable, a capture stays root's).
   */
  public static void write(Path target, Body body, Set<PosixFilePermission> mode) throws IOException {
    write(target, body, mode, false, () -> { });
  }

  private static void write(Path target, Body body, Set<PosixFilePermission> mode, boolean keepOld, Runnable hook)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    PosixFileAttributes old = keepOld ? attributes(target) : null;
    Path tmp = Files.createTempFile(dir, TEMP_PREFIX + target.getFileName() + "-", TEMP_SUFFIX);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream out = Channels.newOutputStream(ch);
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      if (view != null) {
        view.setPermissions(old != null ? old.permissions() : mode);
        if (old != null) {
          try {
            view.setOwner(old.owner());
            view.setGroup(old.group());
          } catch (IOException | SecurityException e) {
            // not root: the file stays ours, which is what a non-root run can do
          }
        }
      }
      hook.run();
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically (" + e.getMessage() + ")", e);
      }
      tmp = null;
      syncDir(dir);
    } finally {
      if (tmp != null) Files.deleteIfExists(tmp);
    }
  }

  public static void delete(Path target) throws IOException {
    if (Files.deleteIfExists(target)) syncDir(target.getParent());
  }

  /** Creates the missing directories up to {@code dir}, each synced into its parent. */
  public static void createDirs(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    createDirs(dir.getParent());
    Files.createDirectory(dir);
    syncDir(dir.getParent());
  }

  public static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (NoSuchFileException e) {
      throw e;
    } catch (IOException e) {
      // some file systems refuse fsync on a directory; the rename is still atomic there
    }
  }

  /** Removes temporary files a killed write left beside {@code target}. */
  public static void sweepTemps(Path target) throws IOException {
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) return;
    String prefix = TEMP_PREFIX + target.getFileName() + "-";
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.endsWith(TEMP_SUFFIX)) Files.deleteIfExists(p);
      }
    }
  }

  public static PosixFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
