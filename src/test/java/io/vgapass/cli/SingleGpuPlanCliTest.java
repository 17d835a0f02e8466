package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan --single-gpu on a transcribed one-card desktop (B560 + RX 7600), as the user types it. */
class SingleGpuPlanCliTest {
  @TempDir Path tmp;

  @Test
  void withoutTheFlagPlanRefusesTheOnlyCardAndNamesTheFlag() {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TranscribedHosts.host("b560-single-gpu", tmp).toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("0000:03:00.0").contains("add --single-gpu");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }

  @Test
  void withTheFlagThePlanRecordsSingleModeAndSaysWhatTheHandOverDoesHere() throws Exception {
    Path root = TranscribedHosts.host("b560-single-gpu", tmp);
    Path xml = tmp.resolve("single.xml");
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "45", "--xml-out",
        xml.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("single-GPU mode: 0000:03:00.0")
        .contains("single-GPU hand-over on this host at VM start (given back in reverse at stop; limit 45 s): "
            + "unbind 0000:03:00.0 from amdgpu and bind it to vfio-pci");
    assertThat(Files.readString(xml)).contains("handover='single' start-limit='45'").contains("managed='no'");
  }

  @Test
  void theLimitAloneOrOutOfRangeIsRefusedInOneLine() {
    Path root = TranscribedHosts.host("b560-single-gpu", tmp);
    CliRunner.Result alone = CliRunner.run("plan", "--sysroot", root.toString(), "--single-gpu-limit", "45");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err()).contains("--single-gpu-limit 45: only with --single-gpu; add --single-gpu");
    CliRunner.Result zero = CliRunner.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--single-gpu-limit 0: give whole seconds from 1 to 3600 (default 60)");
  }

  @Test
  void vmTuneSetsTheModeWithTheFlagAndKeepsItWithout() throws Exception {
    Path root = TranscribedHosts.host("b560-single-gpu", tmp);
    Path planned = tmp.resolve("planned.xml");
    assertThat(CliRunner.run("plan", "--sysroot", root.toString(), "--single-gpu", "--single-gpu-limit", "45",
        "--xml-out", planned.toString()).code()).isZero();
    Path vcpus = tmp.resolve("vcpus.xml");
    CliRunner.Result keep = CliRunner.run("vm", "tune", "--sysroot", root.toString(), "--in", planned.toString(), "--vcpus", "4",
        "--out", vcpus.toString());
    assertThat(keep.code()).as(keep.err()).isZero();
    assertThat(Files.readString(vcpus)).contains("handover='single' start-limit='45'");
    Path again = tmp.resolve("again.xml");
    CliRunner.Result retune = CliRunner.run("vm", "tune", "--sysroot", root.toString(), "--in", planned.toString(), "--single-gpu",
        "--out", again.toString());
    assertThat(retune.code()).as(retune.err()).isZero();
    assertThat(Files.readString(again)).contains("handover='single' start-limit='60'");
    assertThat(retune.err()).contains("vgapass: single-GPU hand-over on this host at VM start");
  }
}
