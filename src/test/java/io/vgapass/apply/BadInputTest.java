package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/** Input vgapass cannot edit with certainty: one clear line, exit 2, not a byte changed. */
class BadInputTest {
  @TempDir Path tmp;

  private void refused(Path root, String host, String expected) {
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--yes");
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("vgapass: ").contains(expected).doesNotContain("\n")
        .doesNotContain("Exception");
    assertThat(Trees.hashes(root)).isEqualTo(before);
    assertThat(Files.exists(root.resolve(Journal.DIR))).isFalse();
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> oddLines() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("unclosed quote", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet", "does not close"),
        org.junit.jupiter.params.provider.Arguments.of("line continuation", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet \\", "backslash"),
        org.junit.jupiter.params.provider.Arguments.of("continued from above", "GRUB_FOO=bar \\\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"",
            "backslash-continued"),
        org.junit.jupiter.params.provider.Arguments.of("mixed quoting", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"'splash'", "unexpected text"),
        org.junit.jupiter.params.provider.Arguments.of("command substitution",
            "GRUB_CMDLINE_LINUX_DEFAULT=\"$(cat /etc/args) quiet\"", "command substitution"),
        org.junit.jupiter.params.provider.Arguments.of("escaped quote", "GRUB_CMDLINE_LINUX_DEFAULT=\"a=\\\"b c\\\"\"", "escapes"),
        org.junit.jupiter.params.provider.Arguments.of("set twice",
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX_DEFAULT=\"splash\"", "on 2 lines"));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("oddLines")
  void oddGrubDefaultsAreRefused(String name, String line, String expected) throws Exception {
    Path root = Trees.write("debian12", tmp);
    Path grub = root.resolve("etc/default/grub");
    String text = Files.readString(grub).replace("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"", line);
    Files.writeString(grub, text);
    refused(root, "debian12", expected);
  }

  @Test
  void missingGrubCmdlineLinuxOnFedoraIsRefused() throws Exception {
    Path root = Trees.write("fedora39", tmp);
    Path grub = root.resolve("etc/default/grub");
    Files.writeString(grub, Files.readString(grub).replace("GRUB_CMDLINE_LINUX=\"rhgb quiet\"\n", ""));
    refused(root, "fedora39", "has no GRUB_CMDLINE_LINUX= line");
  }

  @Test
  void neitherGrubKeyOnDebianIsRefused() throws Exception {
    Path root = Trees.write("debian12", tmp);
    Path grub = root.resolve("etc/default/grub");
    Files.writeString(grub, Files.readString(grub).replace("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n", "")
        .replace("GRUB_CMDLINE_LINUX=\"\"\n", ""));
    refused(root, "debian12", "has no GRUB_CMDLINE_LINUX_DEFAULT= line");
  }

  @Test
  void aReadOnlyFileIsRefused() throws Exception {
    Path root = Trees.write("debian12", tmp);
    Files.setPosixFilePermissions(root.resolve("etc/default/grub"), PosixFilePermissions.fromString("r--r--r--"));
    refused(root, "debian12", "/etc/default/grub is read-only (mode r--r--r--)");
  }

  @Test
  void aSymlinkedConfigIsRefused() throws Exception {
    Path root = Trees.write("debian12", tmp);
    Path grub = root.resolve("etc/default/grub");
    Files.move(grub, root.resolve("etc/default/grub.real"));
    Files.createSymbolicLink(grub, Path.of("grub.real"));
    refused(root, "debian12", "symbolic link");
  }

  @Test
  void aKernelWithoutVfioIsRefused() throws Exception {
    Path root = Trees.write("arch", tmp);
    Path dep = root.resolve("usr/lib/modules/6.6.36-1-lts/modules.dep");
    Files.writeString(dep, "kernel/drivers/vfio/vfio.ko.zst:\n");
    refused(root, "arch", "kernel 6.6.36-1-lts has no vfio_pci module");
  }

  @Test
  void odditiesAreHandledWhereTheMeaningIsCertain() throws Exception {
    Path root = Trees.write("debian12", tmp);
    Path grub = root.resolve("etc/default/grub");
    Files.writeString(grub, Files.readString(grub).replace("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"",
        "  GRUB_CMDLINE_LINUX_DEFAULT=quiet   # keep it quiet"));
    CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu("debian12"), "--yes");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(grub)).contains("  GRUB_CMDLINE_LINUX_DEFAULT=\"quiet iommu=pt\"   # keep it quiet\n");
  }

  @Test
  void badFlagsAreOneLine() {
    Path root = Trees.write("debian12", tmp);
    for (String[] args : new String[][] {{"--static-isolation", "0-3"}, {"--static-isolation", "2-99"},
        {"--boot-hugepages", "3G:2"}, {"--boot-hugepages", "1G:40"}, {"--gpu", "0000:00:03.1"}}) {
      String[] full = {"host", "plan", "--sysroot", root.toString(), "--gpu", Trees.gpu("debian12"), args[0], args[1]};
      CliRunner.Result r = Trees.cli(full);
      assertThat(r.code()).as(String.join(" ", args) + r.err()).isEqualTo(2);
      assertThat(r.err().strip()).doesNotContain("\n");
    }
  }
}
