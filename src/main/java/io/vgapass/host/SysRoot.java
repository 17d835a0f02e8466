package io.vgapass.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one root under which every host file is resolved: {@code /} in production, a fixture or
 * a replayed capture in tests. Paths are given relative ("sys/bus/pci/devices"), so nothing in
 * vgapass reads {@code /sys} or {@code /etc} by a literal absolute path.
 *
 * <p>Reads never throw: a missing or unreadable file is a fact about the host ("unknown").
 */
public record SysRoot(Path root) {

  public static SysRoot live() {
    return new SysRoot(Path.of("/"));
  }

  public boolean isLive() {
    return root.toAbsolutePath().normalize().equals(Path.of("/"));
  }

  public Path resolve(String relative) {
    String rel = relative.startsWith("/") ? relative.substring(1) : relative;
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  public boolean exists(String relative) {
    return Files.exists(resolve(relative));
  }

  /** The trimmed content of a small text file, or empty when it is missing or unreadable. */
  public Optional<String> read(String relative) {
    return readPath(resolve(relative));
  }

  public static Optional<String> readPath(Path p) {
    try {
      if (!Files.isRegularFile(p)) return Optional.empty();
      return Optional.of(Files.readString(p, StandardCharsets.ISO_8859_1).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public List<String> lines(String relative) {
    return read(relative).map(s -> s.lines().toList()).orElse(List.of());
  }

  /** Names of the entries of a directory, sorted; empty when it is missing. */
  public List<String> list(String relative) {
    return listPath(resolve(relative));
  }

  public static List<String> listPath(Path dir) {
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

  /** The last path element a symlink points to ("nvidia" for driver -> ../../bus/pci/drivers/nvidia). */
  public static Optional<String> linkName(Path link) {
    try {
      if (!Files.isSymbolicLink(link)) return Optional.empty();
      Path target = Files.readSymbolicLink(link);
      Path name = target.getFileName();
      return name == null ? Optional.empty() : Optional.of(name.toString());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
