package io.vgapass.apply;

import io.vgapass.cli.CliRunner;
import io.vgapass.testing.HostFixtures;
import io.vgapass.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Fixture trees for the apply tests: sketches written out, hashed, and the CLI run over them. */
final class Trees {
  private Trees() {}

  static final String[] DISTROS = {"fedora39", "debian12", "ubuntu2204", "arch", "endeavouros-sdboot", "popos",
      "silverblue", "twin-rx580", "polaris-vendor-reset", "polaris-no-vendor-reset", "navi31-late"};

  /** The --gpu for each fixture's guest card. */
  static String gpu(String host) {
    return switch (host) {
      case "fedora39" -> "0000:01:00.0";
      case "debian12" -> "0000:0c:00.0";
      case "ubuntu2204" -> "0000:04:00.0";
      case "arch" -> "0000:01:00.0";
      case "endeavouros-sdboot" -> "0000:01:00.0";
      case "popos" -> "0000:0a:00.0";
      case "silverblue" -> "0000:03:00.0";
      case "twin-rx580" -> "0000:0b:00.0";
      case "polaris-vendor-reset", "polaris-no-vendor-reset", "navi31-late" -> "0000:0c:00.0";
      default -> throw new IllegalArgumentException(host);
    };
  }

  static Path write(String host, Path dir) {
    return HostFixtures.write(HostFixtures.Folder.DISTROS, host, dir.resolve(host));
  }

  /** SHA-256 of every file (and the target of every link) under root, outside the journal. */
  static Map<String, String> hashes(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String rel = root.relativize(p).toString();
        if (rel.startsWith("var/lib/vgapass") || rel.equals("var") || rel.equals("var/lib")) continue;
        if (p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) continue;
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          out.put(rel, HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel + "/", "dir");
        }
      }
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static CliRunner.Result cli(String... args) {
    return CliRunner.run(args);
  }

  static String read(Path root, String rel) {
    try {
      return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
