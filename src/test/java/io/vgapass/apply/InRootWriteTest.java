package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code host apply} writes under {@code --sysroot} by the same rule as the reads: a link to a directory is
 * followed inside the root, as a chroot would, never out of it (issue 16, item 4).
 */
class InRootWriteTest {
  static final String HOST = "fedora39";
  static final String CONF = "etc/modprobe.d/vgapass-vfio.conf";

  @TempDir Path tmp;

  private static long count(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.count();
    }
  }

  /** Replaces {@code etc/modprobe.d} by a link holding {@code target}; returns the root. */
  private Path rootWithModprobeLink(String target) throws IOException {
    Path root = Trees.write(HOST, tmp);
    Path modprobe = root.resolve("etc/modprobe.d");
    if (Files.isDirectory(modprobe)) {
      try (Stream<Path> s = Files.list(modprobe)) {
        for (Path p : s.toList()) Files.delete(p);
      }
      Files.delete(modprobe);
    }
    Files.createSymbolicLink(modprobe, Path.of(target));
    return root;
  }

  private void appliesInsideAndUndoes(Path root, Path outside, Path expectedInside) throws IOException {
    long outsideBefore = count(outside);
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(count(outside)).as("files outside the root").isEqualTo(outsideBefore);
    assertThat(expectedInside.resolve("vgapass-vfio.conf")).isRegularFile();
    assertThat(Files.readString(expectedInside.resolve("vgapass-vfio.conf"))).contains("vfio-pci");
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(before);
    assertThat(count(outside)).isEqualTo(outsideBefore);
  }

  @Test
  void anAbsoluteLinkToAnotherDirectoryIsTheRootsOwn() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("elsewhere/modprobe.d"));
    Path root = rootWithModprobeLink(outside.toString());
    Path inside = Files.createDirectories(root.resolve(outside.toString().substring(1)));
    appliesInsideAndUndoes(root, tmp.resolve("elsewhere"), inside);
  }

  @Test
  void aDotDotLinkThatClimbsOutStopsAtTheRoot() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("elsewhere/modprobe.d"));
    Path root = rootWithModprobeLink("../".repeat(tmp.getNameCount() + 4) + tmp.toString().substring(1)
        + "/elsewhere/modprobe.d");
    // to the kernel the link is tmp/elsewhere/modprobe.d: what apply wrote through before
    assertThat(root.resolve("etc/modprobe.d").toRealPath()).isEqualTo(outside.toRealPath());
    Path inside = Files.createDirectories(root.resolve(tmp.toString().substring(1) + "/elsewhere/modprobe.d"));
    appliesInsideAndUndoes(root, tmp.resolve("elsewhere"), inside);
  }

  @Test
  void aLinkToADirectoryTheRootLacksIsRefusedNotMade() throws IOException {
    // outside it exists; inside the root, where the link leads, it does not: nothing is made there
    Path outside = Files.createDirectories(tmp.resolve("elsewhere/modprobe.d"));
    Path root = rootWithModprobeLink(outside.toString());
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isEqualTo(2);
    assertThat(a.err().strip()).startsWith("vgapass: /" + CONF).contains("symbolic link", "does not exist")
        .doesNotContain("\n");
    assertThat(Trees.hashes(root)).isEqualTo(before);
    assertThat(count(tmp.resolve("elsewhere"))).isEqualTo(2);
  }

  @Test
  void aLinkLoopIsRefusedInOneLineAndNothingChanges() throws IOException {
    Path root = rootWithModprobeLink("/etc/modprobe.d"); // inside the root: itself
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isEqualTo(2);
    assertThat(a.err().strip()).startsWith("vgapass: ").contains("/" + CONF).doesNotContain("\n")
        .doesNotContain("Exception");
    assertThat(Trees.hashes(root)).isEqualTo(before);
    assertThat(Files.exists(root.resolve(Journal.DIR))).isFalse();
  }

  @Test
  void theJournalFollowsItsLinksInsideTheRootToo() throws IOException {
    Path root = Trees.write(HOST, tmp);
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createDirectories(root.resolve("var/lib"));
    Files.createSymbolicLink(root.resolve("var/lib/vgapass"), outside);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(count(outside)).isEqualTo(1);
    assertThat(root.resolve(outside.toString().substring(1) + "/journal")).isDirectory();
  }
}
