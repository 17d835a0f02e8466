package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vm tune} without --gpu tunes CPU and memory on any host: no card has to qualify, and none is added. */
class VmTuneWithoutGpuTest {
  private static final String DOMAIN = """
      <domain type='kvm'>
        <name>work</name>
        <memory unit='GiB'>4</memory>
        <vcpu>2</vcpu>
        <os><type arch='x86_64' machine='q35'>hvm</type></os>
        <devices/>
      </domain>
      """;

  @TempDir Path dir;

  private CliRunner.Result tune(String host, String... extra) throws IOException {
    Path in = Files.writeString(dir.resolve("in.xml"), DOMAIN);
    Path root = TranscribedHosts.host(host, dir);
    String[] base = {"vm", "tune", "--in", in.toString(), "--out", dir.resolve(host + ".xml").toString(), "--sysroot",
        root.toString()};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
    return CliRunner.run(args);
  }

  @Test
  void aHostWhoseOnlyCardIsItsDisplayStillGetsItsVmTuned() throws IOException {
    CliRunner.Result r = tune("b560-single-gpu");
    assertThat(r.code()).as(r.err()).isZero();
    String xml = Files.readString(dir.resolve("b560-single-gpu.xml"));
    assertThat(xml).contains("<vcpupin ").contains("<vgapass:cpu ").doesNotContain("<hostdev");
  }

  @Test
  void twoCardsInOneGroupAreNoReasonToRefuseEither() throws IOException {
    CliRunner.Result r = tune("skylake-two-gpus-one-group");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(dir.resolve("skylake-two-gpus-one-group.xml"))).doesNotContain("<hostdev");
  }

  @Test
  void butANamedCardThatCannotGoIsStillRefused() throws IOException {
    CliRunner.Result r = tune("b560-single-gpu", "--gpu", "0000:00:02.0");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("0000:00:02.0");
  }
}
