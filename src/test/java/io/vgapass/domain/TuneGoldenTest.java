package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden in/out tests for each tuner, through {@code vgapass vm tune} as a user runs it: a hand-written domain
 * ({@code tune/NAME.in.xml}) tuned for a fixture host with some flags must give {@code tune/NAME.out.xml} (whitespace
 * aside), be valid against libvirt's schema (the command checks it), and give the same bytes when tuned again.
 *
 * <p>After a deliberate change, rewrite the expected files with {@code -Dvgapass.golden.update=true} and review the diff.
 */
class TuneGoldenTest {
  private static final String DIR = "/io/vgapass/domain/tune/";

  @TempDir
  Path tmp;

  record Case(String name, String host, List<String> flags) {
    @Override
    public String toString() {
      return name + " on " + host + " " + String.join(" ", flags);
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        // CpuTuner: pins and FIFO I/O thread replace the old pins; shares/period/quota stay;
        // custom CPU model becomes host-passthrough with topology; numatune dropped on one node
        new Case("cputune", TestHosts.MODERN, List.of("--vcpus", "3")),
        // MemoryTuner: --memory sets memory/currentMemory; 1 GiB pages reserved at boot replace the 2M ones;
        // the rest of memoryBacking stays
        new Case("memory-1g", TestHosts.GIG_PAGES, List.of("--memory", "16G")),
        // CpuTuner + MemoryTuner on two NUMA nodes: vCPUs, numatune and hugepages on the GPU's node 1
        new Case("numatune-two-node", TestHosts.TWO_NODE, List.of("--vcpus", "8")),
        // CpuTuner: explicit <iothreadids> without 1 get I/O thread 1, which the pin and FIFO policy name
        new Case("iothreadids", TestHosts.MODERN, List.of()),
        // CpuTuner on AMD with SMT: threads=2 and topoext
        new Case("amd-topoext", TestHosts.AMD_2CCX, List.of()),
        // HostdevTuner: four functions mirrored on one slot of a new pcie-root-port, index 5 (past the last, 4)
        new Case("hostdev", TestHosts.GIG_PAGES, List.of("--gpu", "0000:01:00.0")),
        // HostdevTuner: the user's own hostdevs for the card stay as they are, no duplicates
        new Case("hostdev-user", TestHosts.MODERN, List.of("--gpu", "0000:01:00.0")),
        // HostdevTuner: the user passed only function 0; the audio function is added with no guest
        // address (alone on a slot of a new port it would have no function 0 and stay invisible)
        new Case("hostdev-partial", TestHosts.MODERN, List.of("--gpu", "0000:01:00.1")),
        // DiskTuner: qcow2 image as disk, /dev/sdb as a raw LUN, on the existing virtio-scsi controller
        new Case("disks", TestHosts.MODERN,
            List.of("--disk", "/var/lib/libvirt/images/win11.qcow2", "--disk", "/dev/sdb")),
        // NetworkTuner: macvtap + host-only beside the user's bridge and NAT interfaces
        new Case("nics", TestHosts.MODERN, List.of("--nic", "macvtap:eno1", "--nic", "hostonly")),
        // AudioTuner, libvirt 9.0: ich9 + <audio type='pulseaudio'> on a free audio id
        new Case("audio-modern", TestHosts.MODERN, List.of("--audio", "pulseaudio:/run/user/1000/pulse/native")),
        // AudioTuner, libvirt 3.7 (the reference machine): qemu:env in the user's qemu:commandline
        new Case("audio-legacy", TestHosts.REFERENCE, List.of("--audio", "pulseaudio")),
        // InputTuner: evdev keyboard grabbed with both-Ctrl toggle, evdev mouse, USB receiver as hostdev
        new Case("input", TestHosts.MODERN, List.of(
            "--input", "evdev:/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd",
            "--input", "evdev:/dev/input/by-id/usb-Logitech_USB_Optical_Mouse-event-mouse",
            "--input", "usb:046d:c52b")),
        // GuestFeaturesTuner: --nvidia-hide-kvm adds vendor_id and kvm hidden to the user's features
        new Case("hide-kvm", TestHosts.MODERN, List.of("--nvidia-hide-kvm")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tunedAsExpected(Case c) throws IOException {
    String input = DomainSamples.text(DIR + c.name() + ".in.xml");
    String out = tune(c, input, "once");
    String expectedName = c.name() + ".out.xml";
    DomainSamples.assertGolden(expectedName, out, c);

    String again = tune(c, out, "twice");
    assertThat(again).as("%s tuned twice", c).isEqualTo(out);
  }

  static Stream<Case> newDomains() {
    return Stream.of(
        // the reference machine with every default: libvirt 3.7 (legacy audio, older Hyper-V set)
        new Case("create-reference", TestHosts.REFERENCE, List.of()),
        // a prepared Debian 12 host with every device kind
        new Case("create-modern", TestHosts.MODERN, List.of("--name", "win11", "--vcpus", "3", "--memory", "12G",
            "--disk", "/var/lib/libvirt/images/win11.qcow2", "--disk", "/dev/sdb",
            "--nic", "macvtap:eno1", "--nic", "hostonly",
            "--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd", "--input", "usb:046d:c52b",
            "--iothread-priority", "20", "--nvidia-hide-kvm", "--secure-boot")),
        // Windows 11 setup: install and drivers ISOs as SATA CD-ROMs, the install ISO booted first
        new Case("create-install-media", TestHosts.MODERN, List.of("--name", "win11",
            "--disk", "/var/lib/libvirt/images/win11.qcow2",
            "--install-iso", "/srv/iso/Win11_24H2_English_x64.iso",
            "--drivers-iso", "/srv/iso/virtio-win.iso")),
        // two NUMA nodes, 1 GiB pages asked for, on the GPU's node
        new Case("create-two-node", TestHosts.TWO_NODE, List.of("--vcpus", "8", "--memory", "16G",
            "--hugepages", "1G", "--audio", "none")));
  }

  /** {@code vgapass plan --xml-out}: DomainWriter.create with every tuner, against an expected file. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("newDomains")
  void createdAsExpected(Case c) throws IOException {
    Path xml = tmp.resolve(c.name() + ".xml");
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(c.host()).toString(),
        "--xml-out", xml.toString()));
    args.addAll(c.flags());
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s: exit code; stderr: %s", c, r.err()).isZero();
    String out = Files.readString(xml);
    String expectedName = c.name() + ".xml";
    DomainSamples.assertGolden(expectedName, out, c);
  }

  /** Runs {@code vgapass vm tune} on the text and returns what it wrote to --out. */
  private String tune(Case c, String xml, String label) throws IOException {
    return DomainSamples.vmTune(tmp, TestHosts.root(c.host()), xml, c.flags(), c + " (" + label + ")");
  }
}
