package io.vgapass.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

  public boolean exists(String relative) {
    return existsAt(resolve(relative));
  }

  public boolean existsAt(Path p) {
    note(p);
    return Files.exists(p);
  }

  /** The trimmed content of a small text file, or empty when it is missing or unreadable. */
  public Optional<String> read(String relative) {
    return readAt(resolve(relative));
  }

  public Optional<String> readAt(Path p) {
    note(p);
    try {
      // one open and read; a directory or a missing file fails here, no separate stat needed
      return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public byte[] bytesAt(Path p, int max) {
    note(p);
    try {
      if (!Files.isRegularFile(p)) return new byte[0];
      byte[] b = Files.readAllBytes(p);
      return b.length > max ? new byte[0] : b;
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
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = new ArrayList<>();
      s.forEach(p -> names.add(p.getFileName().toString()));
      names.sort(null);
      return names;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Directory entries without recording (for the capture writer itself). */
  static List<String> listDirect(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The last element a symlink points to ("nvidia" for driver -> ../../bus/pci/drivers/nvidia). */
  public Optional<String> linkNameAt(Path link) {
    note(link);
    try {
      if (!Files.isSymbolicLink(link)) return Optional.empty();
      Path name = Files.readSymbolicLink(link).getFileName();
      return name == null ? Optional.empty() : Optional.of(name.toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The target a symlink holds, as written (relative for sysfs), or empty when it is not a link. */
  public Optional<Path> linkTargetAt(Path link) {
    note(link);
    try {
      return Optional.of(Files.readSymbolicLink(link));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The directory a sysfs link really is, or empty when it cannot be resolved. */
  public Optional<Path> realPathAt(Path p) {
    note(p);
    try {
      return Optional.of(p.toRealPath());
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
