package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.ExitCode;
import io.vgapass.cli.Main;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.LabAssumptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, "Safety first", against the real libvirtd: {@code vm tune --domain NAME --out FILE} writes the file and
 * leaves the defined domain as it was; {@code --dry-run} shows the diff and defines nothing; {@code plan --define}
 * for another machine ({@code --example}, {@code --sysroot}) defines nothing.
 */
class SafetyLibvirtTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  @TempDir Path dir;
  private String name;

  @BeforeEach
  void lab() throws IOException {
    LabAssumptions.assumeLab();
    byte[] b = new byte[3];
    ThreadLocalRandom.current().nextBytes(b);
    name = "vgapass-h7-safety-" + HexFormat.of().formatHex(b);
    Path xml = dir.resolve("domain.xml");
    Files.writeString(xml, """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>512</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <devices>
            <memballoon model='none'/>
          </devices>
        </domain>
        """.formatted(name));
    virsh("define", xml.toString());
  }

  @AfterEach
  void cleanUp() {
    if (name == null) return;
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", name);
  }

  private String inactive() {
    return virsh("dumpxml", "--inactive", name);
  }

  private String[] tune(String... extra) {
    String[] base = {"vm", "tune", "--domain", name, "--vcpus", "1", "--hugepages", "off", "--sysroot",
        TestHosts.root(TestHosts.TWO_CPU).toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void vmTuneOutWritesOnlyTheFileAndDryRunOnlyShowsTheDiff() throws IOException {
    String before = inactive();
    Path out = dir.resolve("tuned.xml");

    io.vgapass.cli.CliRunner.Result toFile = UsbHotplugTest.vgapass(tune("--out", out.toString()));
    assertThat(toFile.code()).as(toFile.err()).isZero();
    assertThat(toFile.out()).contains("tuned " + name + " -> " + out + " (the domain on " + URI + " is unchanged)")
        .doesNotContain("redefined");
    assertThat(Files.readString(out)).contains("<cputune>").contains("vgapass:cpu");
    assertThat(inactive()).isEqualTo(before);

    io.vgapass.cli.CliRunner.Result dry = UsbHotplugTest.vgapass(tune("--dry-run"));
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).startsWith("--- a: domain " + name + " (inactive XML)\n+++ b: domain " + name)
        .contains("\n+  <cputune>").contains("dry run: nothing was defined or written");
    assertThat(inactive()).isEqualTo(before);

    // without either, the domain is redefined: the two above held back a real change
    io.vgapass.cli.CliRunner.Result real = UsbHotplugTest.vgapass(tune());
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(real.out()).contains("tuned and redefined " + name);
    assertThat(inactive()).isNotEqualTo(before).contains("<cputune>");
  }

  @Test
  void planDefineForAnotherMachineDefinesNothing() {
    String before = virsh("list", "--all", "--name");
    String planned = name + "-planned";
    io.vgapass.cli.CliRunner.Result example = UsbHotplugTest.vgapass("plan", "--example", "--define", "--name", planned);
    assertThat(example.code()).as(example.out() + example.err()).isEqualTo(ExitCode.USAGE);
    assertThat(example.err().strip()).startsWith("vgapass: --define with --example: the domain is planned for another "
        + "machine").doesNotContain("\n");
    io.vgapass.cli.CliRunner.Result sysroot = UsbHotplugTest.vgapass("plan", "--sysroot",
        TestHosts.root(TestHosts.MODERN).toString(), "--define", "--name", planned);
    assertThat(sysroot.code()).as(sysroot.out() + sysroot.err()).isEqualTo(ExitCode.USAGE);
    assertThat(sysroot.err()).contains("--define with --sysroot ");
    assertThat(virsh("list", "--all", "--name")).isEqualTo(before).doesNotContain(planned);
  }
}
