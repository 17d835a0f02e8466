package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.HostFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vgapass setup in-process: its no-terminal path as golden files (the reference machine, the one-card B560), that
 * this path changes nothing, and --yes through the host preparation, the reboot (the prepared root's /proc/cmdline
 * edited as a boot would) and the plan, never repeating the apply. Rewrite the goldens with
 * -Dvgapass.golden.update=true. (As a person uses it, in a terminal: SetupTerminalTest.)
 */
class SetupPathTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/setup");

  @TempDir Path tmp;

  @Test
  void withoutATerminalTheReferenceMachinesWholePathIsPrintedAsTheGoldenFile() throws IOException {
    CliRunner.Result r = CliRunner.run("setup", "--example");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    golden("example-no-terminal.txt", r.out());
    assertThat(r.out()).contains("$ vgapass host apply --example --gpu 0000:01:00.0 --dry-run",
        "dry run: nothing was changed", "$ vgapass host apply --example --gpu 0000:01:00.0 --yes",
        "$ vgapass plan --example --gpu 0000:01:00.0 --name win-gpu --memory 16G --vcpus 3",
        "$ sudo vgapass hooks install", "$ sudo vgapass selftest", "sudo vgapass vm start win-gpu");
  }

  @Test
  void withoutATerminalNothingUnderTheRootChanges() throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    Map<String, String> before = tree(root);
    CliRunner.Result r = CliRunner.run("setup", "--sysroot", root.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("No terminal: this is the whole path", "setup asks: Apply these changes?");
    assertThat(tree(root)).isEqualTo(before);
    // --no-input on a terminal is the same: nothing asked, nothing changed
    CliRunner.Result typed = CliRunner.typing("y\ny\n", "setup", "--no-input", "--sysroot", root.toString());
    assertThat(typed.out()).contains("No terminal: this is the whole path").doesNotContain("[1/7]");
    assertThat(tree(root)).isEqualTo(before);
  }

  @Test
  void aOneCardHostHearsWhatSingleGpuModeMeansAndNothingChanges() throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.TRANSCRIBED, "b560-single-gpu", tmp.resolve("b560"));
    Map<String, String> before = tree(root);
    CliRunner.Result r = CliRunner.run("setup", "--sysroot", root.toString());
    golden("b560-single-gpu-no-terminal.txt", r.out().replace(root.toString(), "ROOT"));
    assertThat(r.out()).contains("one graphics card, 0000:03:00.0", "the host has NO display",
        "unbind 0000:03:00.0 from amdgpu and bind it to vfio-pci", "sudo vgapass gpu reclaim --force",
        "Use single-GPU mode (no host display while the VM runs)? [y/N]; on yes the path goes on:",
        "--audio pulseaudio --single-gpu --xml-out win-gpu.xml");
    assertThat(tree(root)).isEqualTo(before);
    // --yes never takes the host's display
    CliRunner.Result yes = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(yes.code()).isEqualTo(1);
    assertThat(yes.out()).contains("--yes never chooses single-GPU mode").doesNotContain("4. The VM");
    assertThat(tree(root)).isEqualTo(before);
  }

  @Test
  void withYesItPreparesStopsForTheRebootResumesAfterItAndNeverAppliesTwice() throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    String grub = Files.readString(root.resolve("etc/default/grub"));
    CliRunner.Result first = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.out()).contains("[7/7]", "4. Reboot", "add them to proc/cmdline").doesNotContain("5. The VM");
    assertThat(Files.readString(root.resolve("etc/default/grub"))).isNotEqualTo(grub).contains("intel_iommu=on");
    assertThat(journalEntries(root)).hasSize(1);
    assertThat(Files.readString(root.resolve("var/lib/vgapass/setup.state"))).contains("gpu=0000:01:00.0");

    CliRunner.Result notBooted = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(notBooted.out()).contains("the reboot is still to come").doesNotContain("[1/7]", "5. The VM");
    assertThat(journalEntries(root)).hasSize(1);

    Path cmdline = root.resolve("proc/cmdline");
    Files.writeString(cmdline, Files.readString(cmdline).strip() + " intel_iommu=on iommu=pt\n");
    CliRunner.Result booted = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(booted.code()).as(booted.toString()).isZero();
    assertThat(booted.out()).contains("chosen in the earlier run", "done: the running kernel carries intel_iommu=on iommu=pt", "5. The VM",
        "--memory 16G --vcpus 3 --audio pulseaudio --xml-out", "domain XML written to", "Every day")
        .doesNotContain("[1/7]");
    assertThat(journalEntries(root)).hasSize(1);
    Path xml = root.resolve("var/lib/vgapass/setup/win-gpu.xml");
    assertThat(Files.readString(xml)).contains("<name>win-gpu</name>", "<vcpu placement='static'>3</vcpu>");
  }

  @Test
  void aDamagedStateFileIsSaidAndTheHostDecides() throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    Path state = root.resolve("var/lib/vgapass/setup.state");
    Files.createDirectories(state.getParent());
    Files.writeString(state, "gpu=0000:01:00.0\nrm -rf /=yes\n");
    CliRunner.Result r = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("/var/lib/vgapass/setup.state is damaged (line 2: unknown key 'rm -rf /')",
        "[7/7]");
    assertThat(Files.readString(state)).contains("gpu=0000:01:00.0").doesNotContain("rm -rf");
  }

  @Test
  void anEarlierAnswerThatFailsItsQuestionsCheckIsNeverPassedOnAsAFlag() throws IOException {
    Path root = HostFixtures.write(HostFixtures.Folder.BUILT_IN, "reference-h97", tmp.resolve("h97"));
    assertThat(CliRunner.run("setup", "--yes", "--sysroot", root.toString()).code()).isZero();
    Path cmdline = root.resolve("proc/cmdline");
    Files.writeString(cmdline, Files.readString(cmdline).strip() + " intel_iommu=on iommu=pt\n");
    Files.writeString(root.resolve("var/lib/vgapass/setup.state"),
        "gpu=0000:01:00.0\nname=--define\nmemory=lots\nvcpus=2\ndisk=/dev/sdc\n");
    CliRunner.Result r = CliRunner.run("setup", "--yes", "--sysroot", root.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("--name win-gpu --memory 16G --vcpus 2 --disk /dev/sdc --audio pulseaudio")
        .doesNotContain("--name --define", "lots");
  }

  private static List<Path> journalEntries(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("var/lib/vgapass/journal"))) {
      return s.filter(Files::isDirectory).toList();
    }
  }

  /** Every regular file under the root with its content: what "nothing changed" compares. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return m;
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("vgapass.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
      return;
    }
    assertThat(file).as("no golden " + file + " (run once with -Dvgapass.golden.update=true and review it)").exists();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
