package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through {@link Main#run}: exit 2, one line on stderr that names the input and the fix, nothing on stdout
 * but what came before the error, and no file written for --xml-out / --out (not even a temporary one).
 */
class PlanBadInputTest {
  /** A minimal valid domain for the vm tune cases (LookingGlassBadInputTest uses it too). */
  static final String DOMAIN = """
      <domain type='kvm'>
        <name>ok</name>
        <memory unit='GiB'>8</memory>
        <vcpu>3</vcpu>
        <os><type arch='x86_64' machine='q35'>hvm</type></os>
        <devices/>
      </domain>
      """;

  @TempDir
  Path dir;

  private Path out;

  @BeforeEach
  void outputs() {
    out = dir.resolve("out.xml");
  }

  private CliRunner.Result plan(String... flags) {
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(TestHosts.REFERENCE).toString(),
        "--xml-out", out.toString()));
    args.addAll(List.of(flags));
    return CliRunner.run(args);
  }

  private CliRunner.Result tune(String xml, String... flags) throws IOException {
    Path in = dir.resolve("in.xml");
    Files.writeString(in, xml);
    return tuneFile(in, flags);
  }

  private CliRunner.Result tuneFile(Path in, String... flags) {
    List<String> args = new ArrayList<>(List.of("vm", "tune", "--in", in.toString(), "--out", out.toString(),
        "--sysroot", TestHosts.root(TestHosts.REFERENCE).toString()));
    args.addAll(List.of(flags));
    return CliRunner.run(args);
  }

  /** Exit 2, a single stderr line starting with "vgapass: " that contains every fragment, and no output file. */
  private void refused(CliRunner.Result r, String... fragments) throws IOException {
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).as("%s", r).startsWith("vgapass: ").endsWith("\n");
    assertThat(r.err().strip().lines()).as("one line: %s", r).hasSize(1);
    for (String f : fragments) assertThat(r.err()).as("%s", r).contains(f);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(out).as("nothing written for %s", r).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no temporary file left").allMatch(n -> n.equals("in.xml"));
    }
  }

  @Test
  void malformedXml() throws IOException {
    refused(tune("<domain type='kvm'>\n  <name>x</name>\n  <vcpu>2</vcpu>\n</domian>\n"),
        "in.xml", "line 4", "must be terminated by the matching end-tag", "virsh dumpxml");
  }

  @Test
  void emptyFile() throws IOException {
    refused(tune(""), "in.xml", "empty", "virsh dumpxml");
  }

  @Test
  void aNetworkIsNotADomain() throws IOException {
    refused(tune("<network>\n  <name>default</name>\n</network>\n"),
        "in.xml", "the root element is <network>, not libvirt's <domain>", "virsh dumpxml");
  }

  @Test
  void aDoctypeIsRefused() throws IOException {
    refused(tune("<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
        + "<domain type='kvm'><name>&x;</name></domain>\n"), "in.xml", "DOCTYPE");
  }

  @Test
  void missingInFile() throws IOException {
    refused(tuneFile(dir.resolve("nope.xml")), "--in " + dir.resolve("nope.xml"), "no such file", "virsh dumpxml");
  }

  @Test
  void anUnknownShieldModeIsRefused() throws IOException {
    refused(plan("--shield", "full"), "--shield full", "cgroup (default), deep or off");
    refused(tune(DOMAIN, "--shield", "Deep"), "--shield Deep", "cgroup (default), deep or off");
  }

  @Test
  void unknownGpu() throws IOException {
    refused(plan("--gpu", "0000:09:00.0"), "--gpu 0000:09:00.0", "no display device there", "0000:01:00.0");
    refused(tune(DOMAIN, "--gpu", "0000:09:00.0"), "--gpu 0000:09:00.0", "no display device there");
  }

  @Test
  void notAPciAddress() throws IOException {
    refused(plan("--gpu", "gtx1060"), "gtx1060", "0000:01:00.0");
  }

  @Test
  void zeroVcpus() throws IOException {
    refused(plan("--vcpus", "0"), "--vcpus 0", "at least 1");
    refused(tune(DOMAIN, "--vcpus", "0"), "--vcpus 0", "at least 1");
  }

  @Test
  void moreVcpusThanTheHostHas() throws IOException {
    refused(plan("--vcpus", "5"), "--vcpus 5", "only 4 online CPUs", "give 1 to 4");
    refused(tune(DOMAIN, "--vcpus", "99"), "--vcpus 99", "only 4 online CPUs", "give 1 to 4");
  }

  @Test
  void aDomainBiggerThanTheHostNamesItsOwnElements() throws IOException {
    refused(tune(DOMAIN.replace("<vcpu>3</vcpu>", "<vcpu>8</vcpu>")),
        "in.xml", "<vcpu>8</vcpu>", "4 online CPUs", "--vcpus");
    refused(tune(DOMAIN.replace("<memory unit='GiB'>8</memory>", "<memory unit='GiB'>32</memory>")),
        "in.xml", "32768 MiB of <memory>", "24576 MiB", "--memory");
    refused(tune(DOMAIN.replace("<memory unit='GiB'>8</memory>", "<memory unit='KiB'>1000000</memory>")),
        "in.xml", "1000000 KiB", "2 MiB page", "--hugepages off");
  }

  @Test
  void guestNumaCellsThatDoNotMatchTheVcpus() throws IOException {
    String numa = DOMAIN.replace("<vcpu>3</vcpu>", "<vcpu>4</vcpu>").replace("<devices/>", """
        <cpu>
          <numa>
            <cell id='0' cpus='0-1' memory='4' unit='GiB'/>
            <cell id='1' cpus='2-3' memory='4' unit='GiB'/>
          </numa>
        </cpu>
        <devices/>""");
    refused(tune(numa, "--vcpus", "3"), "in.xml", "guest NUMA cells", "vCPUs 0-3", "--vcpus 4");
    CliRunner.Result ok = tune(numa);
    assertThat(ok.code()).as("%s", ok).isZero();
  }

  @Test
  void aDomainVcpuThatIsNotANumber() throws IOException {
    refused(tune(DOMAIN.replace("<vcpu>3</vcpu>", "<vcpu>three</vcpu>")), "in.xml", "<vcpu> is 'three'", "--vcpus");
  }

  @Test
  void moreMemoryThanTheHostHas() throws IOException {
    refused(plan("--memory", "64G"), "--memory 65536M", "24576 MiB", "ask for less");
  }

  @Test
  void notASize() throws IOException {
    refused(plan("--memory", "lots"), "--memory lots", "16G");
  }

  @Test
  void aBareNumberIsAskedForItsUnit() throws IOException {
    refused(plan("--memory", "16000"), "--memory 16000: a number without a unit", "16000M or 16000G", "GiB");
  }

  @Test
  void badDeviceSyntax() throws IOException {
    refused(plan("--nic", "bridge:br0"), "--nic bridge:br0", "macvtap:IFACE");
    refused(plan("--input", "ps2"), "--input ps2", "usb:VID:PID");
    refused(plan("--audio", "alsa"), "--audio alsa", "pulseaudio");
    refused(plan("--disk", "win.qcow2"), "--disk win.qcow2", "absolute path");
    refused(plan("--hugepages", "4M"), "--hugepages 4M", "auto, 2M, 1G or off");
    refused(plan("--iothread-priority", "100"), "--iothread-priority 100", "1..99");
  }

  @Test
  void evdevOnTheReferenceMachinesOldLibvirt() throws IOException {
    refused(plan("--input", "evdev:/dev/input/by-id/usb-kbd-event-kbd"), "libvirt 3.7.0", "usb:VID:PID");
  }

  @Test
  void aMissingOutputDirectory() throws IOException {
    out = dir.resolve("no/such/dir/out.xml");
    refused(plan(), "--xml-out " + out, "does not exist");
  }

  @Test
  void anUnknownOption() throws IOException {
    refused(plan("--cpus", "4"), "--cpus", "vgapass plan --help");
  }

  @Test
  void goodInputWritesTheFile() throws IOException {
    CliRunner.Result r = tune(DOMAIN);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(out).exists();
    assertThat(r.err()).isEmpty();
  }
}
