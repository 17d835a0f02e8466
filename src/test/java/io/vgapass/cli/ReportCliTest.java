package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vgapass report} through {@link Main#run}: the files it writes, and bad input (exit 2, one line, no file). */
class ReportCliTest {
  @TempDir Path dir;
  @TempDir static Path hosts;

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void assertBadInput(CliRunner.Result r, String... mentions) throws IOException {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("vgapass: ").contains(mentions).doesNotContain("Exception");
    assertThat(names(dir)).as("nothing written").isEmpty();
  }

  @Test
  void writesThePageAndBothPictures() throws IOException {
    Path out = dir.resolve("report.html");
    CliRunner.Result r = CliRunner.run("report", "--example", "--out", out.toString(), "--svg-groups", dir.resolve("groups.svg").toString(),
        "--svg-cpus", dir.resolve("cpus.svg").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("report written to " + out).contains("12 IOMMU groups, 16 PCI functions, 4 CPUs")
        .contains("plan win-gpu: GPU 0000:01:00.0, 3 vCPUs");
    assertThat(names(dir)).containsExactly("cpus.svg", "groups.svg", "report.html");
    String html = Files.readString(out);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("GP106 [GeForce GTX 1060 6GB]")
        .contains("iommu.inactive").contains("&lt;domain type=");
    assertThat(Files.readString(dir.resolve("groups.svg"))).startsWith("<?xml").contains("data-group=\"1\"");
    assertThat(Files.readString(dir.resolve("cpus.svg"))).startsWith("<?xml").contains("data-role=\"vcpu\"");
  }

  @Test
  void replacesAnEarlierReport() throws IOException {
    Path out = dir.resolve("report.html");
    Files.writeString(out, "old");
    CliRunner.Result r = CliRunner.run("report", "--example", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>");
    assertThat(names(dir)).containsExactly("report.html");
  }

  @Test
  void aCardThatCannotGoStillGetsAReportWithoutPlan() throws IOException {
    Path root = TranscribedHosts.host("b560-single-gpu", hosts);
    CliRunner.Result doctor = CliRunner.run("doctor", "--sysroot", root.toString(), "--json");
    String gpu = doctor.out().replaceAll("(?s).*\"gpus\"\\s*:\\s*\\[\\s*\\{\\s*\"address\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Path out = dir.resolve("r.html");
    CliRunner.Result r = CliRunner.run("report", "--sysroot", root.toString(), "--gpu", gpu, "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("no plan: --gpu " + gpu);
    assertThat(Files.readString(out)).contains("No plan").contains("data-state=\"blocked\"").contains("<svg");
  }

  @Test
  void aPlanRefusedForOtherReasonsAlsoLeavesAReport() throws IOException {
    Path out = dir.resolve("r.html");
    CliRunner.Result r = CliRunner.run("report", "--example", "--memory", "900G", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("no plan: --memory");
    assertThat(Files.readString(out)).contains("No plan");
  }

  @Test
  void unknownGpu() throws IOException {
    CliRunner.Result r = CliRunner.run("report", "--example", "--gpu", "0000:05:00.0", "--out", dir.resolve("r.html").toString(),
        "--svg-cpus", dir.resolve("c.svg").toString());
    assertBadInput(r, "--gpu 0000:05:00.0", "no display device", "0000:01:00.0");
  }

  @Test
  void gpuThatIsNoAddress() throws IOException {
    assertBadInput(CliRunner.run("report", "--example", "--gpu", "nvidia", "--out", dir.resolve("r.html").toString()),
        "nvidia", "0000:01:00.0");
  }

  @Test
  void badPlanFlag() throws IOException {
    assertBadInput(CliRunner.run("report", "--example", "--memory", "lots", "--out", dir.resolve("r.html").toString()),
        "--memory lots");
  }

  @Test
  void outInAMissingDirectory() throws IOException {
    assertBadInput(CliRunner.run("report", "--example", "--out", dir.resolve("no/such/r.html").toString()),
        "--out", "does not exist");
  }

  @Test
  void outIsADirectory() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    CliRunner.Result r = CliRunner.run("report", "--example", "--out", sub.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("--out", "is a directory");
    assertThat(names(sub)).isEmpty();
  }

  @Test
  void outWhereNothingCanBeCreated() throws IOException {
    // /proc takes no new files, not even from root
    CliRunner.Result r = CliRunner.run("report", "--example", "--out", "/proc/vgapass-report.html");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).contains("--out /proc/vgapass-report.html", "cannot write");
    assertThat(Path.of("/proc/vgapass-report.html")).doesNotExist();
  }

  @Test
  void anUnwritablePictureStopsThePageToo() throws IOException {
    assertBadInput(CliRunner.run("report", "--example", "--out", dir.resolve("r.html").toString(), "--svg-groups",
        dir.resolve("missing/g.svg").toString()), "--svg-groups", "does not exist");
  }

  @Test
  void theSameFileTwice() throws IOException {
    String p = dir.resolve("r.html").toString();
    assertBadInput(CliRunner.run("report", "--example", "--out", p, "--svg-cpus", p), "--svg-cpus", "named twice");
  }

  @Test
  void outIsRequired() throws IOException {
    CliRunner.Result r = CliRunner.run("report", "--example");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines().get(0)).contains("--out");
  }

  @Test
  void missingSysroot() throws IOException {
    assertBadInput(CliRunner.run("report", "--sysroot", dir.resolve("nope").toString(), "--out",
        dir.resolve("r.html").toString()), "--sysroot");
  }

  @Test
  void listedInHelp() {
    CliRunner.Result r = CliRunner.run("--help");
    assertThat(r.out()).contains("report");
    List<String> args = new ArrayList<>(List.of("report", "--help"));
    CliRunner.Result h = CliRunner.run(args.toArray(String[]::new));
    assertThat(h.code()).isZero();
    assertThat(h.out()).contains("--out", "--svg-groups", "--svg-cpus", "--gpu", "--sysroot", "--example");
  }
}
