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
import java.util.List;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code input evdev}, {@code net setup} and {@code audio setup --domain} against a real libvirtd, whose own
 * re-serialization is what a second run reads: each command redefines once and then changes nothing; a domain
 * vgapass never tuned gains the devices and an ownership record but no CPU or memory tuning; a later
 * {@code vm tune} keeps the devices once; {@code audio undo} takes the sound back out.
 */
class DeviceCommandsTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final String KBD = "/dev/input/by-id/usb-vgapass-i6-event-kbd";
  private static final String MOUSE = "/dev/input/by-id/usb-vgapass-i6-event-mouse";
  @TempDir Path dir;
  private String name;
  private String network;

  @BeforeEach
  void lab() throws IOException {
    LabAssumptions.assumeLab();
    byte[] b = new byte[3];
    ThreadLocalRandom.current().nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    name = "vgapass-i6-dev-" + id;
    network = "vgapass-i6-" + id;
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
    for (String d : new String[] {"etc", "sys", "proc"}) Files.createDirectories(dir.resolve("root/" + d));
    Files.writeString(dir.resolve("root/etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n"
        + "alex:x:1000:1000:Alex:/home/alex:/bin/bash\n");
  }

  @AfterEach
  void cleanUp() {
    if (name == null) return;
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", name);
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "net-destroy", network);
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "net-undefine", network);
  }

  @Test
  void eachCommandChangesTheDomainOnceRecordsOwnershipAndVmTuneKeepsItsDevices() {
    String untouched = inactive();

    io.vgapass.cli.CliRunner.Result evdev = UsbHotplugTest.vgapass("input", "evdev", "--domain", name, "--device", KBD,
        "--device", MOUSE, "--grab-toggle", "alt-alt", "--sysroot", inputs().toString());
    assertThat(evdev.code()).as(evdev.err()).isZero();
    assertThat(evdev.out()).contains("added evdev keyboard (grab all, toggle alt-alt): " + KBD)
        .contains("redefined " + name);
    String afterEvdev = inactive();
    io.vgapass.cli.CliRunner.Result evdev2 = UsbHotplugTest.vgapass("input", "evdev", "--domain", name, "--device", KBD,
        "--device", MOUSE, "--sysroot", inputs().toString());
    assertThat(evdev2.code()).as(evdev2.err()).isZero();
    assertThat(evdev2.out()).contains("already in the domain (added by vgapass, toggle alt-alt): " + KBD)
        .doesNotContain("redefined");
    assertThat(inactive()).isEqualTo(afterEvdev);

    int octet = 200 + ThreadLocalRandom.current().nextInt(50);
    // the lab has no dnsmasq, which a network with DHCP needs: the network is made here without it (DNS off), and
    // net setup finds it defined and running, as on a second run
    Path netXml = dir.resolve("net.xml");
    try {
      Files.writeString(netXml, "<network><name>" + network + "</name><dns enable='no'/><ip address='192.168." + octet
          + ".1' netmask='255.255.255.0'/></network>");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    virsh("net-define", netXml.toString());
    virsh("net-start", network);
    String[] net = {"net", "setup", "--domain", name, "--no-macvtap", "--hostonly", network, "--address",
        "192.168." + octet + ".1/24"};
    io.vgapass.cli.CliRunner.Result n1 = UsbHotplugTest.vgapass(net);
    assertThat(n1.code()).as(n1.err()).isZero();
    assertThat(n1.out()).contains("network " + network + " exists; kept as it is")
        .contains("added an interface on the network " + network).contains("redefined " + name)
        .contains("the switch-back service listens on 192.168." + octet + ".1:");
    String afterNet = inactive();
    io.vgapass.cli.CliRunner.Result n2 = UsbHotplugTest.vgapass(net);
    assertThat(n2.code()).as(n2.err()).isZero();
    assertThat(n2.out()).contains("already has an interface on the network " + network + " (added by vgapass)")
        .doesNotContain("redefined");
    assertThat(inactive()).isEqualTo(afterNet);

    String root = dir.resolve("root").toString();
    io.vgapass.cli.CliRunner.Result a1 = UsbHotplugTest.vgapass("audio", "setup", "--sysroot", root, "--domain", name);
    assertThat(a1.code()).as(a1.err()).isZero();
    assertThat(a1.out()).contains("redefined " + name);
    String afterAudio = inactive();
    assertThat(afterAudio).contains("type='pulseaudio' serverName='/tmp/vgapass-pulse'/>")
        .contains("<sound model='ich9'>");
    io.vgapass.cli.CliRunner.Result a2 = UsbHotplugTest.vgapass("audio", "setup", "--sysroot", root, "--domain", name);
    assertThat(a2.code()).as(a2.err()).isZero();
    assertThat(a2.out()).contains("already has vgapass's <sound> and <audio>").doesNotContain("redefined");
    assertThat(inactive()).isEqualTo(afterAudio);

    // what the three added is recorded; no CPU or memory tuning came with it
    assertThat(afterAudio).contains("<vgapass:owns kind=\"input\" key=\"" + KBD + "\" digest=\"sha256:")
        .contains("<vgapass:owns kind=\"interface\" key=\"network:" + network + "\" digest=\"sha256:")
        .contains("<vgapass:owns kind=\"audio\" key=\"sound\" digest=\"sha256:")
        .doesNotContain("<vgapass:cpu").doesNotContain("<cputune").doesNotContain("<memoryBacking")
        .doesNotContain("host-passthrough");
    assertThat(tag(afterAudio, "vcpu")).isEqualTo(tag(untouched, "vcpu"));
    assertThat(tag(afterAudio, "memory")).isEqualTo(tag(untouched, "memory"));

    // vm tune: the devices stay, once each, and stay vgapass's
    // (the planner wants a GPU, which this lab has not: the host is a fixture with one; no --gpu, so none is added)
    io.vgapass.cli.CliRunner.Result tune = UsbHotplugTest.vgapass("vm", "tune", "--domain", name, "--vcpus", "1",
        "--hugepages", "off", "--sysroot", TestHosts.root(TestHosts.MODERN).toString());
    assertThat(tune.code()).as(tune.err()).isZero();
    assertThat(tune.err()).as("every device vgapass added is still vgapass's after libvirt").doesNotContain("left the");
    String tuned = inactive();
    assertThat(count(tuned, "<input type='evdev'>")).isEqualTo(2);
    assertThat(count(tuned, "<source network='" + network + "'")).isEqualTo(1);
    assertThat(count(tuned, "<sound ")).isEqualTo(1);
    // libvirt's serialisation of what vgapass wrote keeps the digest the records carry
    assertThat(tuned).contains("grabToggle='alt-alt'").contains("<vgapass:owns kind=\"audio\" key=\"sound\" digest=")
        .contains("<vgapass:cpu");

    io.vgapass.cli.CliRunner.Result undo = UsbHotplugTest.vgapass("audio", "undo", "--domain", name);
    assertThat(undo.code()).as(undo.err()).isZero();
    String after = inactive();
    assertThat(after).doesNotContain("<sound ").doesNotContain("type='pulseaudio'")
        .doesNotContain("kind=\"audio\"").contains("<input type='evdev'>");
    io.vgapass.cli.CliRunner.Result undo2 = UsbHotplugTest.vgapass("audio", "undo", "--domain", name);
    assertThat(undo2.out()).contains("nothing to undo");

    io.vgapass.cli.CliRunner.Result off = UsbHotplugTest.vgapass("input", "evdev", "--domain", name, "--remove");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(off.out()).contains("removed evdev keyboard: " + KBD).contains("removed evdev input: " + MOUSE);
    assertThat(inactive()).doesNotContain("<input type='evdev'>").doesNotContain("kind=\"input\"")
        .contains("<source network='" + network + "'");
  }

  @Test
  void aMissingDomainChangesNothing() {
    String before = virsh("net-list", "--all", "--name");
    io.vgapass.cli.CliRunner.Result r = UsbHotplugTest.vgapass("net", "setup", "--domain", name + "-nope", "--no-macvtap",
        "--hostonly", network);
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("no such domain");
    assertThat(virsh("net-list", "--all", "--name")).isEqualTo(before);
    io.vgapass.cli.CliRunner.Result e = UsbHotplugTest.vgapass("input", "evdev", "--domain", name + "-nope", "--device", KBD,
        "--sysroot", inputs().toString());
    assertThat(e.code()).isEqualTo(ExitCode.USAGE);
  }

  /** A root holding the two event nodes the test names (evdev checks they exist on the domain's host). */
  private Path inputs() {
    try {
      Path by = java.nio.file.Files.createDirectories(dir.resolve("inputs/dev/input/by-id"));
      for (String d : List.of(KBD, MOUSE)) {
        Path f = by.resolve(Path.of(d).getFileName());
        if (!java.nio.file.Files.exists(f)) java.nio.file.Files.createFile(f);
      }
      return dir.resolve("inputs");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String tag(String xml, String tag) {
    Matcher m = Pattern.compile("<" + tag + "[ >][^\\n]*").matcher(xml);
    return m.find() ? m.group() : null;
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
    return n;
  }

  private String inactive() {
    return virsh("dumpxml", "--inactive", name);
  }

}
