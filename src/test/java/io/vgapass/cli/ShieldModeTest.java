package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.plan.ShieldMode;
import io.vgapass.plan.TestHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan}/{@code vm tune --shield}: the mode lands in the metadata the hook reads (the default is not written,
 * so domains planned before stay byte-identical), and a word vgapass does not write there is refused on reading.
 */
class ShieldModeTest {
  @TempDir Path dir;

  private String plan(String... flags) throws Exception {
    Path out = dir.resolve("out-" + flags.length + ".xml");
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(TestHosts.REFERENCE).toString(),
        "--xml-out", out.toString()));
    args.addAll(List.of(flags));
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s", r).isZero();
    return Files.readString(out);
  }

  @Test
  void eachModeIsRecordedAndReadBackAndTheDefaultIsNotWritten() throws Exception {
    String plain = plan();
    assertThat(plain).doesNotContain("shield=");
    assertThat(VgapassMetadata.read(plain, "plain").shield()).isEqualTo(ShieldMode.CGROUP);
    assertThat(plan("--shield", "cgroup")).isEqualTo(plain);
    for (ShieldMode m : List.of(ShieldMode.DEEP, ShieldMode.OFF)) {
      String xml = plan("--shield", m.word(), "--name", "x");
      assertThat(xml).contains("shield='" + m.word() + "'");
      assertThat(VgapassMetadata.read(xml, "planned").shield()).isEqualTo(m);
    }
  }

  @Test
  void vmTuneChangesTheModeOfADomain() throws Exception {
    Path in = dir.resolve("in.xml");
    Files.writeString(in, PlanBadInputTest.DOMAIN);
    Path out = dir.resolve("out.xml");
    CliRunner.Result r = CliRunner.run("vm", "tune", "--in", in.toString(), "--out", out.toString(), "--sysroot",
        TestHosts.root(TestHosts.REFERENCE).toString(), "--shield", "deep");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(VgapassMetadata.read(Files.readString(out), "tuned").shield()).isEqualTo(ShieldMode.DEEP);
    // a later run for something else keeps it; --shield changes it
    Path again = dir.resolve("again.xml");
    r = CliRunner.run("vm", "tune", "--in", out.toString(), "--out", again.toString(), "--sysroot",
        TestHosts.root(TestHosts.REFERENCE).toString(), "--vcpus", "2");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(VgapassMetadata.read(Files.readString(again), "retuned").shield()).isEqualTo(ShieldMode.DEEP);
    Files.delete(out);
    r = CliRunner.run("vm", "tune", "--in", again.toString(), "--out", out.toString(), "--sysroot",
        TestHosts.root(TestHosts.REFERENCE).toString(), "--shield", "cgroup");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(Files.readString(out)).doesNotContain("shield=");
  }

  @Test
  void aModeVgapassDoesNotWriteIsRefusedOnReading() throws Exception {
    String xml = plan("--shield", "deep").replace("shield='deep'", "shield='deeper'");
    assertThatThrownBy(() -> VgapassMetadata.read(xml, "edited")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<cpu shield='deeper'>").hasMessageContaining("vgapass vm tune");
  }
}
