package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.DeviceRecords;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.PciAddress;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.runtime.HookMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift guard on fixture roots (issue 17, "how it must be shown" 2): a domain planned on one layout of the PCI
 * tree, then the hook's prepare, {@code vm tune --follow-devices} and doctor on another. Twin cards (identity by slot
 * path, not ids alone), a card moved to another slot, the recorded address now held by an NVMe controller, and a
 * domain planned before the record existed.
 */
class DeviceDriftTest {
  @TempDir Path dir;

  /** A Debian 12 host (Ryzen, IOMMU on); PCI lines vary per test. */
  private static final String BASE = """
      source drift test host
      os PRETTY_NAME="Debian GNU/Linux 12 (bookworm)" NAME="Debian GNU/Linux" VERSION_ID="12" ID=debian
      kernel 6.1.0-18-amd64
      cmdline BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=0a1b ro quiet amd_iommu=on iommu=pt
      modules kvm_amd kvm amdgpu snd_hda_intel vfio_pci
      cpu-model AMD Ryzen 5 3600 6-Core Processor
      cpu-vendor AuthenticAMD
      cpu-flags fpu vme pse msr pae svm pdpe1gb lm sse4_2 avx2
      topology packages=1 cores=6 threads=2 numbering=adjacent
      memory 32GiB available=28GiB
      iommu amd
      pci 0000:00:00.0 1022:1480 class=060000 group=0
      pci 0000:00:01.1 1022:1483 class=060400 driver=pcieport group=1
      pci 0000:00:01.2 1022:1483 class=060400 driver=pcieport group=5
      pci 0000:00:03.1 1022:1483 class=060400 driver=pcieport group=2
      pci 0000:00:03.2 1022:1483 class=060400 driver=pcieport group=6
      touch dev/kvm
      """;

  /** The host's GT 710 and the guest's RX 6800 as planned: the RX 6800 at 0c:00.0 behind 00:03.1. */
  private static final String PLANNED = """
      pci 0000:0b:00.0 10de:128b class=030000 sub=1043:8576 driver=nouveau parent=0000:00:01.1 boot_vga=1 group=3
      pci 0000:0b:00.1 10de:0e0f class=040300 sub=1043:8576 driver=snd_hda_intel parent=0000:00:01.1 group=3
      pci 0000:0c:00.0 1002:73bf class=030000 sub=1002:0e3a driver=amdgpu parent=0000:00:03.1 boot_vga=0 group=4
      pci 0000:0c:00.1 1002:ab28 class=040300 sub=1002:ab28 driver=snd_hda_intel parent=0000:00:03.1 group=4
      """;

  /** An NVMe drive on 00:01.2 takes bus 0c: the card's buses move up by one, its slot stays. */
  private static final String NVME = """
      pci 0000:0b:00.0 10de:128b class=030000 sub=1043:8576 driver=nouveau parent=0000:00:01.1 boot_vga=1 group=3
      pci 0000:0b:00.1 10de:0e0f class=040300 sub=1043:8576 driver=snd_hda_intel parent=0000:00:01.1 group=3
      pci 0000:0c:00.0 144d:a808 class=010802 sub=144d:a801 driver=nvme parent=0000:00:01.2 group=7
      pci 0000:0d:00.0 1002:73bf class=030000 sub=1002:0e3a driver=amdgpu parent=0000:00:03.1 boot_vga=0 group=4
      pci 0000:0d:00.1 1002:ab28 class=040300 sub=1002:ab28 driver=snd_hda_intel parent=0000:00:03.1 group=4
      """;

  /** The RX 6800 moved to the slot behind 00:03.2 (bus 0d); nothing is at 0c now. */
  private static final String MOVED = """
      pci 0000:0b:00.0 10de:128b class=030000 sub=1043:8576 driver=nouveau parent=0000:00:01.1 boot_vga=1 group=3
      pci 0000:0b:00.1 10de:0e0f class=040300 sub=1043:8576 driver=snd_hda_intel parent=0000:00:01.1 group=3
      pci 0000:0d:00.0 1002:73bf class=030000 sub=1002:0e3a driver=amdgpu parent=0000:00:03.2 boot_vga=0 group=8
      pci 0000:0d:00.1 1002:ab28 class=040300 sub=1002:ab28 driver=snd_hda_intel parent=0000:00:03.2 group=8
      """;

  /** Twin RX 580s: the host's behind 00:01.1 (bus 0b), the guest's behind 00:03.1 (bus 0c). */
  private static final String TWINS = """
      pci 0000:0b:00.0 1002:67df class=030000 sub=1da2:e366 driver=amdgpu parent=0000:00:01.1 boot_vga=1 group=3
      pci 0000:0b:00.1 1002:aaf0 class=040300 sub=1da2:aaf0 driver=snd_hda_intel parent=0000:00:01.1 group=3
      pci 0000:0c:00.0 1002:67df class=030000 sub=1da2:e366 driver=amdgpu parent=0000:00:03.1 boot_vga=0 group=4
      pci 0000:0c:00.1 1002:aaf0 class=040300 sub=1da2:aaf0 driver=snd_hda_intel parent=0000:00:03.1 group=4
      """;

  /** The host's twin moved from 00:01.1 to 00:01.2 (bus 0c): the guest's twin behind 00:03.1 is at bus 0d now. */
  private static final String TWINS_SHIFTED = """
      pci 0000:0c:00.0 1002:67df class=030000 sub=1da2:e366 driver=amdgpu parent=0000:00:01.2 boot_vga=1 group=3
      pci 0000:0c:00.1 1002:aaf0 class=040300 sub=1da2:aaf0 driver=snd_hda_intel parent=0000:00:01.2 group=3
      pci 0000:0d:00.0 1002:67df class=030000 sub=1da2:e366 driver=amdgpu parent=0000:00:03.1 boot_vga=0 group=4
      pci 0000:0d:00.1 1002:aaf0 class=040300 sub=1da2:aaf0 driver=snd_hda_intel parent=0000:00:03.1 group=4
      """;

  private Path host(String name, String pci) throws Exception {
    return SketchWriter.write(HostSketch.parse(name, BASE + pci), dir.resolve(name));
  }

  private Path plan(Path root) throws Exception {
    Path xml = dir.resolve("planned.xml");
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", root.toString(), "--gpu", "0000:0c:00.0", "--vcpus", "2", "--memory", "2G",
        "--hugepages", "off", "--audio", "none", "--name", "drift", "--xml-out", xml.toString());
    assertThat(r.code()).as("%s", r).isZero();
    return xml;
  }

  record Hook(int code, String err) {}

  private static Hook hook(Path root, Path xml) throws Exception {
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = HookMain.run(new String[] {"hook", "--sysroot", root.toString(), "qemu", "drift", "prepare", "begin",
        "-"}, new ByteArrayInputStream(Files.readAllBytes(xml)), new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Hook(code, e.toString(StandardCharsets.UTF_8));
  }

  private static String snapshot(Path root) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(root.resolve("sys"))) {
      for (Path p : s.sorted().toList()) {
        b.append(root.relativize(p));
        if (Files.isSymbolicLink(p)) b.append(" -> ").append(Files.readSymbolicLink(p));
        else if (Files.isRegularFile(p)) b.append(" = ").append(Files.readString(p, StandardCharsets.ISO_8859_1));
        b.append('\n');
      }
    }
    return b.toString();
  }

  private CliRunner.Result follow(Path root, Path xml, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("vm", "tune", "--in", xml.toString(), "--sysroot",
        root.toString(), "--follow-devices", "--out", out.toString()));
    args.addAll(List.of(extra));
    return CliRunner.run(args);
  }

  @Test
  void planRecordsTheIdentityOfEveryPassedFunction() throws Exception {
    Path xml = plan(host("planned", PLANNED));
    List<DeviceIdentity> recorded = DeviceRecords.read(XmlDoc.read(xml));
    assertThat(recorded).extracting(d -> d.address().toString()).containsExactly("0000:0c:00.0", "0000:0c:00.1");
    DeviceIdentity card = recorded.get(0);
    assertThat(card.ids()).isEqualTo("1002:73bf");
    assertThat(card.subsystem()).isEqualTo("1002:0e3a");
    assertThat(card.classCode()).isEqualTo("0x030000");
    assertThat(card.path()).isEqualTo("pci0000:00/0000:00:03.1/0000:0c:00.0");
    assertThat(card.slotPath()).isEqualTo("pci0000:00/03.1/00.0");
    assertThat(card.group()).extracting(PciAddress::toString).containsExactly("0000:0c:00.0", "0000:0c:00.1");
    assertThat(Files.readString(xml)).contains("ids='1002:73bf'").contains("path='pci0000:00/0000:00:03.1/0000:0c:00.0'");
  }

  @Test
  void theHookStartsTheDomainOnTheHostItWasPlannedFor() throws Exception {
    Path root = host("planned", PLANNED);
    Hook h = hook(root, plan(root));
    assertThat(h.code()).as(h.err()).isZero();
    assertThat(Files.readString(root.resolve("var/log/vgapass/hooks.log"))).contains("devices: 2 where recorded");
  }

  @Test
  void anNvmeControllerAtTheRecordedAddressIsRefusedAndTheCardIsFound() throws Exception {
    Path xml = plan(host("planned", PLANNED));
    Path root = host("nvme", NVME);
    String before = snapshot(root);
    Hook h = hook(root, xml);
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err().lines().count()).isEqualTo(1);
    assertThat(h.err()).contains("drift: refused to start")
        .contains("0000:0c:00.0 should hold 1002:73bf (VGA, class 0x030000, subsystem 1002:0e3a) behind 0000:00:03.1")
        .contains("0000:0c:00.0 is now 144d:a808 (NVMe, class 0x010802, subsystem 144d:a801) behind 0000:00:01.2")
        .contains("the recorded device is at 0000:0d:00.0 now")
        .contains("vgapass vm tune --domain drift --follow-devices").contains("nothing was changed");
    // every device stays where it was: the NVMe on nvme, the card on amdgpu, no override written
    assertThat(snapshot(root)).isEqualTo(before);
    assertThat(Files.readSymbolicLink(root.resolve("sys/bus/pci/devices/0000:0c:00.0/driver")).toString()).endsWith("nvme");
    // vm tune --follow-devices moves the domain to 0d, and the hook then starts it
    Path moved = dir.resolve("moved.xml");
    CliRunner.Result r = follow(root, xml, moved);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).contains("follow-devices: 0000:0c:00.0 -> 0000:0d:00.0")
        .contains("follow-devices: 0000:0c:00.1 -> 0000:0d:00.1");
    String x = Files.readString(moved);
    assertThat(x).contains("<address domain='0x0000' bus='0x0d' slot='0x00' function='0x0'/>")
        .doesNotContain("bus='0x0c'").contains("address='0000:0d:00.0'").doesNotContain("0000:0c:00");
    Hook again = hook(root, moved);
    assertThat(again.code()).as(again.err()).isZero();
    // and a second tune still knows the hostdevs for vgapass's own (the ownership records moved with them)
    CliRunner.Result twice = CliRunner.run("vm", "tune", "--in", moved.toString(), "--sysroot", root.toString(), "--gpu", "0000:0d:00.0",
        "--hugepages", "off", "--out", dir.resolve("twice.xml").toString());
    assertThat(twice.code()).as("%s", twice).isZero();
    assertThat(twice.err()).doesNotContain("left the PCI hostdev");
    assertThat(Files.readString(dir.resolve("twice.xml")).split("<hostdev ", -1)).hasSize(3);
  }

  @Test
  void aCardMovedToAnotherSlotIsFoundByItsIdentity() throws Exception {
    Path xml = plan(host("planned", PLANNED));
    Path root = host("moved", MOVED);
    Hook h = hook(root, xml);
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err()).contains("nothing is at 0000:0c:00.0 now; the recorded device is at 0000:0d:00.0 now");
    CliRunner.Result dry = follow(root, xml, dir.resolve("unused.xml"), "--dry-run");
    assertThat(dry.code()).as("%s", dry).isZero();
    assertThat(dry.out()).contains("follow-devices: 0000:0c:00.0 -> 0000:0d:00.0")
        .contains("dry run: nothing was defined or written");
    // the diff moves the devices and nothing else: every changed line names the card's address or path
    List<String> changed = dry.out().lines().filter(l -> l.matches("^[-+] .*")).toList();
    assertThat(changed).isNotEmpty().allMatch(l -> l.contains("0x0c") || l.contains("0x0d") || l.contains("0c:00")
        || l.contains("0d:00") || l.contains("digest="));
    CliRunner.Result mixed = follow(root, xml, dir.resolve("unused.xml"), "--vcpus", "4");
    assertThat(mixed.code()).isEqualTo(2);
    assertThat(mixed.err()).contains("--follow-devices moves the passed devices and changes nothing else; run it "
        + "without --vcpus");
    assertThat(dir.resolve("unused.xml")).doesNotExist();
    Path moved = dir.resolve("moved.xml");
    assertThat(follow(root, xml, moved).code()).isZero();
    List<DeviceIdentity> now = DeviceRecords.read(XmlDoc.read(moved));
    assertThat(now.get(0).path()).isEqualTo("pci0000:00/0000:00:03.2/0000:0d:00.0");
    assertThat(hook(root, moved).code()).isZero();
  }

  @Test
  void twinCardsAreToldApartByWhereTheySit() throws Exception {
    Path xml = plan(host("twins", TWINS));
    Path root = host("shifted", TWINS_SHIFTED);
    Hook h = hook(root, xml);
    // the same ids at the recorded address: the host's own twin, which must not go to the guest
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err()).contains("0000:0c:00.0 now holds another 1002:67df (the same ids) at "
        + "pci0000:00/0000:00:01.2/0000:0c:00.0, not the one recorded at pci0000:00/0000:00:03.1/0000:0c:00.0")
        .contains("the recorded device is at 0000:0d:00.0 now");
    Path moved = dir.resolve("moved.xml");
    CliRunner.Result r = follow(root, xml, moved);
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(Files.readString(moved)).contains("bus='0x0d'").doesNotContain("bus='0x0c'");
    assertThat(hook(root, moved).code()).isZero();
  }

  @Test
  void aTwinMovedToAnotherSlotCannotBeToldApartAndIsNotFollowed() throws Exception {
    Path xml = plan(host("twins", TWINS));
    Path root = host("twin-moved", TWINS.replace("0000:0c:00", "0000:0d:00").replace("parent=0000:00:03.1",
        "parent=0000:00:03.2"));
    Hook h = hook(root, xml);
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err()).contains("devices of the same kind are at 0000:0b:00.0, 0000:0d:00.0 (cannot tell which")
        .contains("plan the card again");
    Path out = dir.resolve("out.xml");
    CliRunner.Result r = follow(root, xml, out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("nothing was changed");
    assertThat(out).doesNotExist();
  }

  @Test
  void aDomainWithoutARecordStartsAndGetsOneOnTheNextTune() throws Exception {
    Path root = host("planned", PLANNED);
    Path xml = plan(root);
    // as vgapass wrote it before the record came: hostdev records with an address only
    String old = String.join("\n", Files.readString(xml).lines().map(l -> l.contains("vgapass:hostdev")
        ? l.replaceAll(" (ids|subsystem|class|path|group)='[^']*'", "") : l).toList());
    Path legacy = dir.resolve("legacy.xml");
    Files.writeString(legacy, old);
    assertThat(DeviceRecords.read(XmlDoc.read(legacy))).isEmpty();
    assertThat(hook(root, legacy).code()).isZero(); // nothing recorded: nothing to compare
    CliRunner.Result refused = follow(root, legacy, dir.resolve("x.xml"));
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("has no record of its passed devices' identity");
    Path tuned = dir.resolve("tuned.xml");
    CliRunner.Result r = CliRunner.run("vm", "tune", "--in", legacy.toString(), "--sysroot", root.toString(), "--hugepages", "off",
        "--out", tuned.toString());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(DeviceRecords.read(XmlDoc.read(tuned))).extracting(d -> d.address().toString())
        .containsExactly("0000:0c:00.0", "0000:0c:00.1");
    // on a host where the planned card is no longer at its address the record is not made from what is there
    CliRunner.Result elsewhere = CliRunner.run("vm", "tune", "--in", legacy.toString(), "--sysroot", host("nvme", NVME).toString(),
        "--hugepages", "off", "--out", dir.resolve("elsewhere.xml").toString());
    assertThat(elsewhere.code()).as("%s", elsewhere).isZero();
    assertThat(elsewhere.err()).contains("the passed devices' identity is not recorded: 0000:0c:00.0 holds 144d:a808");
    assertThat(DeviceRecords.read(XmlDoc.read(dir.resolve("elsewhere.xml")))).isEmpty();
  }

  @Test
  void doctorReportsADriftedDomain() throws Exception {
    Path xml = plan(host("planned", PLANNED));
    Path root = host("nvme", NVME);
    Files.createDirectories(root.resolve("etc/libvirt/qemu"));
    Files.copy(xml, root.resolve("etc/libvirt/qemu/drift.xml"));
    CliRunner.Result r = CliRunner.run("doctor", "--sysroot", root.toString(), "--json");
    assertThat(r.out()).contains("\"id\" : \"domain.device-drift\"").contains("\"severity\" : \"warning\"")
        .contains("0000:0c:00.0 is now 144d:a808").contains("--follow-devices");
    Path fine = host("planned", PLANNED);
    Files.createDirectories(fine.resolve("etc/libvirt/qemu"));
    Files.copy(xml, fine.resolve("etc/libvirt/qemu/drift.xml"));
    assertThat(CliRunner.run("doctor", "--sysroot", fine.toString(), "--json").out())
        .contains("the passed devices of drift are where they were recorded");
  }

  @Test
  void aRecordThatIsNotWhatVgapassWritesIsRefusedByTheHook() throws Exception {
    Path root = host("planned", PLANNED);
    Path xml = plan(root);
    Path bad = dir.resolve("bad.xml");
    Files.writeString(bad, Files.readString(xml).replace("path='pci0000:00/0000:00:03.1/0000:0c:00.0'",
        "path='../../etc/shadow'"));
    Hook h = hook(root, bad);
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err()).contains("is not what vgapass writes there");
  }
}
