package io.vgapass.testing;

import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixture hosts under src/test/resources/hosts/NAME.host, written out as sysroots with
 * {@link SketchWriter}. Each fixture says in its first line which real machine it was
 * transcribed from.
 */
public final class TranscribedHosts {
  /** Every fixture, so that tests over all of them notice a new one. */
  public static final List<String> ALL = List.of(
      "asrock-z170", "msi-b450m-mortar", "msi-b450m-mortar-max", "msi-mag-b550m-mortar",
      "msi-mag-b550m-mortar-acso", "gigabyte-x570", "skylake-two-gpus-one-group", "b560-single-gpu",
      "asus-f2a85-iommu-off", "lakefield-hybrid", "alderlake-hybrid", "dual-opteron-6328-numa");

  private TranscribedHosts() {}

  /** The sketch text of a fixture. */
  public static String text(String name) {
    return HostFixtures.text(HostFixtures.Folder.TRANSCRIBED, name);
  }

  /**
   * Writes the fixture as a sysroot under {@code tempDir/NAME} and returns that directory. A tree
   * already written there by an earlier call is reused (tests that share a static temp dir write
   * each fixture once); tests that change a tree should write their own.
   */
  public static Path host(String name, Path tempDir) {
    Path dir = tempDir.resolve(name);
    Path done = dir.resolve(".vgapass-fixture-written");
    if (Files.exists(done)) return dir;
    write(name, text(name), dir);
    try {
      Files.createFile(done);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /**
   * The fixture with extra sketch lines appended: a later {@code pci} line for the same address
   * replaces the earlier one, a later {@code modules} or {@code file} rewrites that file, a later
   * {@code iommu} wins. For variants ("the same host with vendor-reset loaded").
   */
  public static Path hostWith(String name, Path tempDir, String... extraLines) {
    String text = text(name) + "\n" + String.join("\n", extraLines) + "\n";
    try {
      Path dir = Files.createTempDirectory(tempDir, name + "-variant-");
      return write(name, text, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Host read(String name, Path tempDir) {
    return HostReader.read(new SysRoot(host(name, tempDir)));
  }

  public static Host readWith(String name, Path tempDir, String... extraLines) {
    return HostReader.read(new SysRoot(hostWith(name, tempDir, extraLines)));
  }

  private static Path write(String name, String text, Path dir) {
    return HostFixtures.write(name + ".host", text, dir);
  }

  /** The real CPU topologies, as captures vgapass made of them (src/test/resources/captures/cpu-topology). */
  public static final List<String> CPU_TOPOLOGIES = List.of(
      "hwloc-linux-amd-opteron-4p2n-modules", "hwloc-linux-intel-2s-4c-noSMT", "hwloc-linux-intel-4s2c2t-SMT",
      "hwloc-linux-lakefield-hybrid-noSMT", "utillinux-vmware_fpe", "utillinux-x86_64-64cpu");

  private static Path topologies;

  /**
   * The root of one real CPU topology: its capture, unpacked once per run with vgapass's own (hostile-capture-safe)
   * extraction. Fails, never skips, when the capture is missing.
   */
  public static synchronized Path cpuTopology(String name) {
    try {
      if (topologies == null) topologies = Files.createTempDirectory("vgapass-cpu-topologies-");
      Path root = topologies.resolve(name);
      if (!Files.isDirectory(root)) {
        Path archive = Files.createTempFile(topologies, name, ".tar.gz");
        try (InputStream in = TranscribedHosts.class.getResourceAsStream("/captures/cpu-topology/" + name + ".tar.gz")) {
          if (in == null) {
            throw new IllegalStateException("no capture of the CPU topology " + name
                + " in src/test/resources/captures/cpu-topology (restore it from git)");
          }
          Files.copy(in, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path unpacked = Files.createDirectory(topologies.resolve(name + ".partial"));
        io.vgapass.host.CaptureArchive.extract(archive, unpacked);
        Files.move(unpacked, root);
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public reference data beside the repository (/work/shared/reference), or null when absent. */
  public static Path reference() {
    Path p = Path.of("").toAbsolutePath().getParent().resolve("shared/reference");
    return Files.isDirectory(p) ? p : null;
  }
}
