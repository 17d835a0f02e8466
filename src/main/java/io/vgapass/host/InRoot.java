package io.vgapass.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path under a root the way a chroot (or {@code openat2(RESOLVE_IN_ROOT)}) does: every symbolic
 * link met on the way is followed as if the root were {@code /}, so an absolute target starts again at the
 * root and a {@code ..} chain stops at it. Whatever links a root holds (a stranger's capture, a fixture, a
 * {@code --sysroot} tree), the path returned names a file inside the root. Reads and writes of host files
 * both go through here ({@link SysRoot}, and {@code apply} for the files it replaces).
 *
 * <p>The links are read with {@code lstat}/{@code readlink} one component at a time and never handed to the
 * operating system to follow; what the caller then opens has no link left in it except, for {@link #entry},
 * the last name itself (which is what an atomic rename replaces, not follows). The check and the open are
 * two steps, so a root that another process rewrites in between is not covered: the roots vgapass reads
 * are trees at rest (a capture it unpacked, a fixture) or the live {@code /}, where every path is inside.
 */
public final class InRoot {
  /** Linux gives up after 40 links in one lookup (ELOOP); a root with a longer chain is a loop or an attack. */
  static final int MAX_LINKS = 40;

  /**
   * The largest host file vgapass reads whole (16 MiB). The biggest real ones are a GPU option ROM (usually
   * 64 KiB to 1 MiB; {@code RomReader} takes up to 16 MiB, the largest ROM BAR it accepts), the
   * {@code /proc/PID/smaps} of a large QEMU that {@code verify} reads (some MB) and {@code /proc/cpuinfo} of a
   * large server (about 1.5 KiB per logical CPU: under 1 MiB for 512 CPUs); a {@code /dev/zero} or a flooded
   * file stops here instead of filling the memory.
   */
  public static final int MAX_FILE = 16 * 1024 * 1024;

  private InRoot() {}

  /** {@code relative} under {@code root} with every link, the last name's included, followed in the root. */
  public static Path follow(Path root, String relative) throws IOException {
    return resolve(root, relative, true);
  }

  /**
   * {@code relative} under {@code root} with the links of its directories followed in the root and the last
   * name kept as it is: the entry to lstat, replace by rename or delete (a link there is not followed).
   */
  public static Path entry(Path root, String relative) throws IOException {
    return resolve(root, relative, false);
  }

  /** A path under the root, relative to it ("sys/bus/pci"); a path outside is taken as the root's own (chroot). */
  public static String relative(Path root, Path p) {
    Path abs = p.toAbsolutePath().normalize();
    if (abs.startsWith(root)) return root.relativize(abs).toString();
    return abs.getRoot() == null ? abs.toString() : abs.getRoot().relativize(abs).toString();
  }

  private static Path resolve(Path root, String relative, boolean followLast) throws IOException {
    // on the live root / this is the kernel's own lookup, done here too: the callers lstat and open what it
    // returns without following a link (sysfs is made of them), so none may be left in it
    Path base = root.toAbsolutePath().normalize();
    Deque<String> todo = new ArrayDeque<>(components(relative));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.equals("..")) {
        if (!done.isEmpty()) done.remove(done.size() - 1); // every element of done is a real directory
        continue;
      }
      Path at = join(base, done).resolve(c);
      if ((!todo.isEmpty() || followLast) && Files.isSymbolicLink(at)) {
        if (++links > MAX_LINKS) {
          throw new FileSystemException(base.relativize(at).toString(), null, "too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(at).toString();
        if (target.startsWith("/")) done.clear();
        List<String> more = components(target);
        for (int i = more.size() - 1; i >= 0; i--) todo.addFirst(more.get(i));
      } else {
        done.add(c);
      }
    }
    return join(base, done);
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) out.add(c);
    }
    return out;
  }

  private static Path join(Path base, List<String> names) {
    Path p = base;
    for (String n : names) p = p.resolve(n);
    return p;
  }

  /**
   * The bytes of a regular file, at most {@code max} of them. A FIFO, a device or a socket is refused before
   * it is opened (opening a FIFO blocks; {@code /dev/zero} never ends), and a file longer than {@code max} is
   * refused after reading {@code max + 1} bytes: the size a file reports is not trusted (sysfs says 4096,
   * {@code /proc} says 0). {@code real} must be a path this class resolved (no link left in it).
   */
  public static byte[] readRegular(Path real, int max) throws IOException {
    BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) throw new FileSystemException(real.toString(), null, "not a regular file");
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) throw new FileSystemException(real.toString(), null, "larger than " + max + " bytes");
      return b;
    }
  }
}
