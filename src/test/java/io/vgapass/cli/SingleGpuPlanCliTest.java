package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan --single-gpu on a transcribed one-card desktop (B560 + RX 7600), as the user types it. */
class SingleGpuPlanCliTest {
  @TempDir Path tmp;

  @Test
  void withoutTheFlagPlanRefusesTheOnlyCardAndNamesTheFlag() {
    Cli r = Cli.run("plan", "--sysroot", Fixtures.host("b560-single-gpu", tmp).toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("0000:03:00.0").contains("add --single-gpu");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void withTheFlagThePlanRecordsSingleModeAndSaysWhatTheHandOverDoesHere() throws Exception {
    Path root = Fixtures.host("b560-single-gpu", tmp);
    Path xml = tmp.resolve("single.xml");
    Cli r = Cli.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "45", "--xml-out",
        xml.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("single-GPU mode: 0000:03:00.0")
        .contains("single-GPU hand-over on this host at VM start (given back in reverse at stop; limit 45 s): "
            + "unbind 0000:03:00.0 from amdgpu and bind it to vfio-pci");
    assertThat(Files.readString(xml)).contains("handover='single' start-limit='45'").contains("managed='no'");
  }

  @Test
  void theLimitAloneOrOutOfRangeIsRefusedInOneLine() {
    Path root = Fixtures.host("b560-single-gpu", tmp);
    Cli alone = Cli.run("plan", "--sysroot", root.toString(), "--single-gpu-limit", "45");
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err()).contains("--single-gpu-limit 45: only with --single-gpu; add --single-gpu");
    Cli zero = Cli.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "0");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("--single-gpu-limit 0: give whole seconds from 1 to 3600 (default 60)");
  }

  @Test
  void vmTuneSetsTheModeWithTheFlagAndKeepsItWithout() throws Exception {
    Path root = Fixtures.host("b560-single-gpu", tmp);
    Path planned = tmp.resolve("planned.xml");
    assertThat(Cli.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "45",
        "--xml-out", planned.toString()).exit()).isZero();
    Path vcpus = tmp.resolve("vcpus.xml");
    Cli keep = Cli.run("vm", "tune", "--sysroot", root.toString(), "--in", planned.toString(), "--vcpus", "4",
        "--out", vcpus.toString());
    assertThat(keep.exit()).as(keep.err()).isZero();
    assertThat(Files.readString(vcpus)).contains("handover='single' start-limit='45'");
    Path again = tmp.resolve("again.xml");
    Cli retune = Cli.run("vm", "tune", "--sysroot", root.toString(), "--in", planned.toString(), "--single-gpu",
        "--out", again.toString());
    assertThat(retune.exit()).as(retune.err()).isZero();
    assertThat(Files.readString(again)).contains("handover='single' start-limit='60'");
    assertThat(retune.err()).contains("vgapass: single-GPU hand-over on this host at VM start");
  }
}
