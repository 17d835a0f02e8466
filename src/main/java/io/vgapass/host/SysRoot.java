package io.vgapass.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one root under which every host file is resolved: {@code /} in production, a fixture or
 * a replayed capture in tests. Paths are given relative ("sys/bus/pci/devices"), so nothing in
 * vgapass reads {@code /sys} or {@code /etc} by a literal absolute path.
 *
 * <p>Reads never throw: a missing or unreadable file is a fact about the host ("unknown"). A
 * recording root remembers every path it was asked about, which is exactly what {@code vgapass
 * capture} must save for a replay to yield the same model.
 */
public final class SysRoot {
  private final Path root;
  private final Set<String> touched;

  public SysRoot(Path root) {
    this(root, null);
  }

  private SysRoot(Path root, Set<String> touched) {
    this.root = root.toAbsolutePath().normalize();
    this.touched = touched;
  }

  public static SysRoot live() {
    return new SysRoot(Path.of("/"));
  }

  /** A root over the same tree that records every relative path read, listed or tested. */
  public SysRoot recording() {
    return new SysRoot(root, Collections.synchronizedSet(new LinkedHashSet<>()));
  }

  /** The relative paths asked about so far (empty unless recording). */
  public List<String> touched() {
    return touched == null ? List.of() : List.copyOf(touched);
  }

  public Path root() {
    return root;
  }

  public boolean isLive() {
    return root.equals(Path.of("/"));
  }

  public Path resolve(String relative) {
    String rel = relative.startsWith("/") ? relative.substring(1) : relative;
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /**
   * {@code relative} with every link on the way followed inside the root ({@link InRoot#follow}): the file to
   * open. Throws on a link loop.
   */
  public Path follow(String relative) throws IOException {
    return InRoot.follow(root, relative);
  }

  /** {@code relative} with its directories' links followed inside the root, the last name kept ({@link InRoot#entry}). */
  public Path entry(String relative) throws IOException {
    return InRoot.entry(root, relative);
  }

  /**
   * A host file's bytes for a change to it, read inside the root: null when no regular file is there (missing,
   * a directory, a FIFO or a device, which is never opened); an IOException when it is longer than
   * {@link InRoot#MAX_FILE} or its path loops.
   */
  public byte[] fileOrNull(String relative) throws IOException {
    Path p = follow(relative);
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return null;
    return InRoot.readRegular(p, InRoot.MAX_FILE);
  }

  private Path followAt(Path p) throws IOException {
    return InRoot.follow(root, InRoot.relative(root, p));
  }

  public boolean exists(String relative) {
    return existsAt(resolve(relative));
  }

  public boolean existsAt(Path p) {
    note(p);
    try {
      return Files.exists(followAt(p), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The trimmed content of a small text file, or empty when it is missing, unreadable, not a file or too big. */
  public Optional<String> read(String relative) {
    return readAt(resolve(relative));
  }

  public Optional<String> readAt(Path p) {
    note(p);
    try {
      return Optional.of(new String(InRoot.readRegular(followAt(p), InRoot.MAX_FILE), StandardCharsets.ISO_8859_1)
          .trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The bytes of a regular file of at most {@code max} bytes; empty when it is anything else. */
  public byte[] bytesAt(Path p, int max) {
    note(p);
    try {
      return InRoot.readRegular(followAt(p), max);
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  public List<String> lines(String relative) {
    return read(relative).map(s -> s.lines().toList()).orElse(List.of());
  }

  /** Names of the entries of a directory, sorted; empty when it is missing. */
  public List<String> list(String relative) {
    return listAt(resolve(relative));
  }

  public List<String> listAt(Path dir) {
    note(dir);
    try {
      return listDirect(followAt(dir));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * The most names one directory listing returns. The largest directories vgapass lists are sysfs device
   * and IOMMU group lists and {@code /proc} (a few thousand entries); a flooded directory stops here.
   */
  static final int MAX_LIST = 100_000;

  /** Directory entries without recording (for the capture writer itself); {@code dir} is a resolved path. */
  static List<String> listDirect(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = new ArrayList<>(s.limit(MAX_LIST).map(p -> p.getFileName().toString()).toList());
      names.sort(null);
      return names;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The last element a symlink points to ("nvidia" for driver -> ../../bus/pci/drivers/nvidia). */
  public Optional<String> linkNameAt(Path link) {
    return linkTargetAt(link).map(Path::getFileName).map(Path::toString);
  }

  /** The target a symlink holds, as written (relative for sysfs), or empty when it is not a link. */
  public Optional<Path> linkTargetAt(Path link) {
    note(link);
    try {
      // the link itself is data: read where it points, never go there
      Path entry = InRoot.entry(root, InRoot.relative(root, link));
      return Files.isSymbolicLink(entry) ? Optional.of(Files.readSymbolicLink(entry)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The file a path really is, inside the root, or empty when it does not exist (or loops). */
  public Optional<Path> realPathAt(Path p) {
    note(p);
    try {
      Path real = followAt(p);
      return Files.exists(real, LinkOption.NOFOLLOW_LINKS) ? Optional.of(real) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void note(Path p) {
    if (touched == null) return;
    Path abs = p.toAbsolutePath().normalize();
    if (abs.startsWith(root) && !abs.equals(root)) touched.add(root.relativize(abs).toString());
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
