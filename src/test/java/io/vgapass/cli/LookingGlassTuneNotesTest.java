package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vm tune --looking-glass} tells what is left to do on the host, and what the domain could not get. */
class LookingGlassTuneNotesTest {
  @TempDir Path dir;

  @Test
  void onTheReferenceMachinesLibvirtTheVideoStaysAndTheUserIsTold() throws IOException {
    Path in = Files.writeString(dir.resolve("in.xml"), """
        <domain type='kvm'>
          <name>lg</name>
          <memory unit='GiB'>8</memory>
          <vcpu>3</vcpu>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <devices><video><model type='qxl'/></video></devices>
        </domain>
        """);
    Path out = dir.resolve("out.xml");
    CliRunner.Result r = CliRunner.run("vm", "tune", "--example", "--in", in.toString(), "--out", out.toString(), "--looking-glass");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("libvirt 3.7.0 has no video model 'none'")
        .contains("vgapass looking-glass setup --resolution 1920x1080");
    assertThat(Files.readString(out)).contains("<model type='qxl'/>");
  }
}
