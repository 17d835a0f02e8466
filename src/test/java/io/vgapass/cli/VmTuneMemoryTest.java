package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm tune sizes memory in the domain's terms: a small domain is told about its own {@code <memory>} (not about a
 * --memory it was never given), and guest NUMA cells, which libvirt sizes the guest by, must agree with the plan.
 */
class VmTuneMemoryTest {
  @TempDir Path tmp;

  private Path domain(String memory, String cells) throws IOException {
    Path f = tmp.resolve("domain.xml");
    Files.writeString(f, "<domain type='kvm'>\n  <name>small</name>\n  <memory unit='KiB'>" + memory + "</memory>\n"
        + "  <vcpu>2</vcpu>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n"
        + (cells == null ? "" : "  <cpu>\n    <numa>\n" + cells + "    </numa>\n  </cpu>\n") + "</domain>\n");
    return f;
  }

  private CliRunner.Result tune(Path in, String... extra) {
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("vm", "tune", "--in", in.toString(),
        "--sysroot", TranscribedHosts.host("asrock-z170", tmp).toString()));
    args.addAll(java.util.List.of(extra));
    return CliRunner.run(args);
  }

  @Test
  void aSmallDomainIsToldAboutItsOwnMemoryNotAboutAMissingFlag() throws IOException {
    CliRunner.Result r = tune(domain("131072", null), "--vcpus", "2");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("the domain has 128 MiB of <memory>").contains("pass --memory SIZE")
        .doesNotContain("--memory: at least");
  }

  @Test
  void aSmallDomainTunesWithMemoryGiven() throws IOException {
    CliRunner.Result r = tune(domain("131072", null), "--vcpus", "2", "--memory", "1G");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("<memory unit='KiB'>1048576</memory>");
  }

  @Test
  void memoryThatTheNumaCellsWouldIgnoreIsRefused() throws IOException {
    Path in = domain("1048576", "      <cell id='0' cpus='0-1' memory='1048576' unit='KiB'/>\n");
    CliRunner.Result r = tune(in, "--memory", "2G");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("NUMA cells").contains("hold 1024 MiB").contains("resize the cells to 2048 MiB")
        .contains("--memory 1024M");
  }

  @Test
  void cellsInAnyUnitThatDisagreeWithMemoryAreRefused() throws IOException {
    Path in = domain("2097152", "      <cell id='0' cpus='0' memory='512' unit='MiB'/>\n"
        + "      <cell id='1' cpus='1' memory='1' unit='GiB'/>\n");
    CliRunner.Result r = tune(in);
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("hold 1536 MiB").contains("vgapass would plan 2048 MiB");
  }

  @Test
  void cellsThatHoldThePlannedMemoryAreKept() throws IOException {
    String cell = "      <cell id='0' cpus='0-1' memory='2097152' unit='KiB'/>\n";
    CliRunner.Result r = tune(domain("1048576", cell), "--memory", "2G");
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("<cell id='0' cpus='0-1' memory='2097152' unit='KiB'/>")
        .contains("<memory unit='KiB'>2097152</memory>");
  }
}
