package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, "Safety first": the commands a newcomer runs in the first hour never act on the wrong device or on the
 * wrong machine. Hardware comes from fixture roots; the libvirt cases (vm tune --out, plan --define) are in
 * {@code it.SafetyLibvirtTest} against the real libvirtd.
 */
class FirstHourSafetyTest {
  @TempDir Path dir;

  /** Exit 2, one line on stderr naming the input, nothing on stdout. */
  private static void refused(CliRunner.Result r, String... expected) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("vgapass: ").contains(expected).doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  /** Every file's bytes under a root, to show a refusal changed none. */
  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  // --- gpu release -------------------------------------------------------------------------------------------------

  /** asrock-z170: 00:1f.3 is the onboard audio; 1f.4 (SMBus) and 1f.6 (the host's Ethernet) share its slot. */
  @Test
  void gpuReleaseRefusesTheChipsetsAudioAndTouchesNoFunctionOfItsSlot() throws IOException {
    Path root = TranscribedHosts.host("asrock-z170", dir);
    Map<String, String> before = contents(root.resolve("sys"));
    for (String dry : List.of("--dry-run", "")) {
      CliRunner.Result r = dry.isEmpty() ? CliRunner.run("gpu", "release", "0000:00:1f.3", "--sysroot", root.toString())
          : CliRunner.run("gpu", "release", "0000:00:1f.3", dry, "--sysroot", root.toString());
      refused(r, "0000:00:1f.3 is an audio device (8086:a170, class 0x040300, driver snd_hda_intel), not a graphics "
          + "card");
    }
    assertThat(contents(root.resolve("sys"))).isEqualTo(before);
  }

  /** The address the issue names: a virtio disk controller (class 0x0180) at 0000:00:02.0, where an iGPU often sits. */
  @Test
  void gpuReleaseRefusesADiskControllerNamingWhatItIs() {
    Path root = TranscribedHosts.hostWith("asrock-z170", dir, "pci 0000:00:02.0 1af4:1001 class=018000 driver=virtio-pci group=2");
    refused(CliRunner.run("gpu", "release", "0000:00:02.0", "--dry-run", "--sysroot", root.toString()),
        "0000:00:02.0 is a storage device (1af4:1001, class 0x018000, driver virtio-pci)");
  }

  /** The card itself still goes, with its HDMI audio and nothing else. */
  @Test
  void gpuReleaseOfACardNamesOnlyItsOwnFunctions() {
    Path root = TranscribedHosts.hostWith("asrock-z170", dir,
        "pci 0000:01:00.0 10de:1401 class=030000 rev=a1 driver=nouveau parent=0000:00:01.0 boot_vga=0 group=1",
        "pci 0000:01:00.1 10de:0fba class=040300 rev=a1 driver=snd_hda_intel parent=0000:00:01.0 group=1");
    CliRunner.Result r = CliRunner.run("gpu", "release", "0000:01:00.1", "--dry-run", "--sysroot", root.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("/sys/bus/pci/devices/0000:01:00.0/driver_override")
        .contains("/sys/bus/pci/devices/0000:01:00.1/driver_override").doesNotContain("0000:00:");
  }

  // --- host plan / apply on the boot VGA ---------------------------------------------------------------------------

  /** The reference machine's HD 4600 (00:02.0) is the boot VGA; the GTX 1060 is the card for the guest. */
  @Test
  void hostPlanAndApplyRefuseTheBootVgaUnlessAllowed() {
    refused(CliRunner.run("host", "plan", "--example", "--gpu", "0000:00:02.0"),
        "--gpu 0000:00:02.0 (Intel 8086:0412) is the boot VGA that drives this host's display",
        "--allow-host-display");
    refused(CliRunner.run("host", "apply", "--example", "--gpu", "0000:00:02.0", "--dry-run"), "is the boot VGA",
        "--allow-host-display");

    CliRunner.Result allowed = CliRunner.run("host", "plan", "--example", "--gpu", "0000:00:02.0", "--allow-host-display");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("8086:0412")
        .contains("note: 0000:00:02.0 is the boot VGA (--allow-host-display): after the reboot the host has no "
            + "console or desktop on it");

    CliRunner.Result guest = CliRunner.run("host", "plan", "--example");
    assertThat(guest.code()).as(guest.err()).isZero();
    assertThat(guest.out()).contains("10de:1c03").doesNotContain("8086:0412").doesNotContain("is the boot VGA");
  }

  /** asrock-z170 with the SATA controller in the GTX 960's group: the only card left is the HD 530, the boot VGA. */
  @Test
  void hostPlanDoesNotPickTheBootVgaWhenItIsTheOnlyCardLeft() {
    Path root = TranscribedHosts.hostWith("asrock-z170", dir,
        "pci 0000:00:17.0 8086:a102 class=010601 rev=31 driver=ahci group=1");
    refused(CliRunner.run("host", "plan", "--sysroot", root.toString()),
        "the only card that qualifies, 0000:00:02.0 (Intel 8086:1912) is the boot VGA", "--allow-host-display");
    CliRunner.Result allowed = CliRunner.run("host", "plan", "--sysroot", root.toString(), "--allow-host-display");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("8086:1912").contains("is the boot VGA (--allow-host-display)");
  }

  /** The report's groups picture of the reference machine: the HD 4600's group is the host's display. */
  @Test
  void theReportDoesNotCallTheHostsDisplayPassableAfterHostPrep() throws IOException {
    Path svg = dir.resolve("groups.svg");
    CliRunner.Result r = CliRunner.run("report", "--example", "--out", dir.resolve("r.html").toString(), "--svg-groups", svg.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String text = Files.readString(svg);
    String hd4600 = text.substring(text.lastIndexOf("<g", text.indexOf("data-addr=\"0000:00:02.0\"")));
    String card = text.substring(text.lastIndexOf("data-state=", text.indexOf("data-addr=\"0000:00:02.0\"")));
    assertThat(card).startsWith("data-state=\"host\"");
    assertThat(hd4600.substring(0, hd4600.indexOf("</g>"))).contains("boot VGA: the host&#39;s display")
        .doesNotContain("passable after host prep");
    assertThat(text).contains("the host&#39;s display (stays with the host)");
  }

  // --- macvtap on Wi-Fi --------------------------------------------------------------------------------------------

  /** modern-h97 with its wired eno1 unplugged and the default route on the Wi-Fi card wlp3s0. */
  private Path wifiHost() throws IOException {
    String text = TestHosts.text(TestHosts.MODERN)
        .replace("nic eno1 70:85:c2:3a:5b:19 default=yes", "nic eno1 70:85:c2:3a:5b:19\n"
            + "nic wlp3s0 a4:34:d9:12:6e:01 default=yes wireless=yes");
    assertThat(text).contains("wlp3s0");
    return SketchWriter.write(HostSketch.parse("modern-h97-wifi", text), dir.resolve("wifi"));
  }

  @Test
  void onAWifiDefaultRouteThePlanChoosesNatAndSaysWhy() throws IOException {
    Path root = wifiHost();
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", root.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("macvtap on wlp3s0").doesNotContain("<interface type='direct'>")
        .contains("NAT network default").contains("host-only network vgapass-hostonly")
        .contains("no macvtap, because the default route is on wlp3s0, a wireless NIC")
        .contains("<source network='default'/>");

    refused(CliRunner.run("plan", "--sysroot", root.toString(), "--nic", "macvtap:wlp3s0"),
        "--nic macvtap:wlp3s0: a wireless NIC does not accept the extra MAC address", "--nic nat");
    CliRunner.Result wired = CliRunner.run("plan", "--sysroot", root.toString(), "--nic", "macvtap:eno1", "--nic", "hostonly");
    assertThat(wired.code()).as(wired.err()).isZero();
    assertThat(wired.out()).contains("<interface type='direct'>").contains("<source dev='eno1' mode='bridge'/>");
  }

  @Test
  void onAWiredDefaultRouteThePlanKeepsMacvtap() {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("macvtap on eno1").doesNotContain("NAT network");
  }

  // --- plan --disk --------------------------------------------------------------------------------------------------

  @Test
  void planRefusesADiskImageThatIsNotThere() {
    Path missing = dir.resolve("no-such-dir/win11.qcow2");
    refused(CliRunner.run("plan", "--disk", missing.toString()), "--disk " + missing + ": no such file", "qemu-img create");
    refused(CliRunner.run("plan", "--disk", dir.toString()), "--disk " + dir + ": a directory");
  }

  @Test
  void planRefusesAnIsoAsADiskAndPointsAtInstallMedia() throws IOException {
    Path iso = Files.writeString(dir.resolve("Win11_24H2.iso"), "CD001");
    refused(CliRunner.run("plan", "--example", "--disk", iso.toString()), "--disk " + iso + ": an .iso is install media",
        "--install-iso");
    refused(CliRunner.run("plan", "--disk", iso.toString()), "an .iso is install media");
  }

  @Test
  void anExistingImageIsAccepted() throws IOException {
    Path image = Files.writeString(dir.resolve("win11.qcow2"), "QFI");
    // the live host of the test machine may have no card to plan for; the disk check passes before that
    CliRunner.Result r = CliRunner.run("plan", "--disk", image.toString());
    assertThat(r.err()).doesNotContain("--disk");
  }

  // --- plan --define -----------------------------------------------------------------------------------------------

  @Test
  void planDefineIsRefusedForAnotherMachine() {
    // an unreachable URI: a refusal that came after connecting would fail differently
    refused(CliRunner.run("plan", "--example", "--define", "--connect", "qemu+unix:///system?socket=/nonexistent"),
        "--define with --example: the domain is planned for another machine", "--xml-out");
    refused(CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(), "--define", "--connect",
        "qemu+unix:///system?socket=/nonexistent"), "--define with --sysroot ");
  }

  // --- vm tune --dry-run on a file ---------------------------------------------------------------------------------

  @Test
  void vmTuneDryRunShowsADiffAndWritesNothing() throws IOException {
    Path in = Files.writeString(dir.resolve("in.xml"), PlanBadInputTest.DOMAIN);
    Path out = dir.resolve("out.xml");
    CliRunner.Result r = CliRunner.run("vm", "tune", "--in", in.toString(), "--out", out.toString(), "--dry-run", "--hugepages", "off",
        "--sysroot", TestHosts.root(TestHosts.MODERN).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("--- a: " + in + "\n+++ b: " + in + "\n@@ ").contains("\n+  <cputune>")
        .contains("dry run: nothing was defined or written");
    assertThat(out).doesNotExist();
    assertThat(Files.readString(in)).isEqualTo(PlanBadInputTest.DOMAIN);
  }
}
