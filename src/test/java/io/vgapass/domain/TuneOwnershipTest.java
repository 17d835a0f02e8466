package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.Intents;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmlunit.diff.Diff;

/**
 * {@code vm tune} owns only what it tunes: on a domain with comments, other tools' metadata, unknown elements,
 * graphics and the user's own disks and interfaces, everything outside the owned parts comes out untouched; tuning
 * twice gives the same bytes; dropping a flag removes only what vgapass had added for it.
 */
class TuneOwnershipTest {
  private static final String RICH = "/io/vgapass/domain/ownership/rich.xml";
  private static final String DATA = "/var/lib/libvirt/images/data.qcow2";
  private static final List<String> ALL_FLAGS = List.of("--gpu", "0000:01:00.0", "--memory", "8G",
      "--disk", DATA, "--disk", "/dev/sdb", "--nic", "macvtap:eno1", "--nic", "hostonly",
      "--audio", "pulseaudio", "--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd",
      "--input", "usb:046d:c52b", "--nvidia-hide-kvm");

  @TempDir
  Path tmp;

  @Test
  void everythingOutsideTheOwnedPartsIsUntouched() throws IOException {
    String in = DomainSamples.text(RICH);
    String out = tune(in, ALL_FLAGS);
    XmlDoc tuned = XmlDoc.parse("out", out);
    List<Ownership.Owned> owned = OwnedParts.owned(tuned);
    assertThat(owned).extracting(Ownership.Owned::kind).contains(HostdevTuner.KIND, HostdevTuner.PORT,
        DiskTuner.KIND, DiskTuner.CONTROLLER, NetworkTuner.KIND, AudioTuner.KIND, AudioTuner.BACKEND,
        InputTuner.KIND);

    String before = OwnedParts.strip(XmlDoc.parse("in", in), owned, true).serialize();
    String after = OwnedParts.strip(tuned, owned, true).serialize();
    Diff diff = DomainSamples.diffIgnoringWhitespace(before, after);
    assertThat(diff.hasDifferences()).as("outside vgapass's parts:%n%s%n--- tuned:%n%s", diff, out).isFalse();
    // the XML declaration, the comments and the foreign metadata are there, byte for byte
    assertThat(out).startsWith("<?xml version='1.0' encoding='UTF-8'?>\n<!-- a workstation VM")
        .contains("    <!-- state of the backup tool -->\n    <bk:backup xmlns:bk='http://example.org/backup/2'"
            + " schedule='daily'>\n      <bk:last when='2024-01-01T03:00:00Z'/>\n    </bk:backup>\n")
        .contains("<libosinfo:os id='http://microsoft.com/win/11'/>")
        .contains("<qemu:arg value='opt/ovmf/X-PciMmio64Mb,string=65536'/>");
  }

  @Test
  void tuningTwiceGivesTheSameBytes() throws IOException {
    String once = tune(DomainSamples.text(RICH), ALL_FLAGS);
    assertThat(tune(once, ALL_FLAGS)).isEqualTo(once);
  }

  @Test
  void tuningWithoutDeviceFlagsKeepsTheDevicesAddedBefore() throws IOException {
    String once = tune(DomainSamples.text(RICH), ALL_FLAGS);
    // no --memory either: the domain's own size (8 GiB) is the default
    assertThat(tune(once, List.of("--nvidia-hide-kvm"))).isEqualTo(once);
    String bare = tune(once, List.of());
    assertThat(OwnedParts.owned(XmlDoc.parse("bare", bare))).isEqualTo(OwnedParts.owned(XmlDoc.parse("once", once)));
    assertThat(bare).isEqualTo(once);
  }

  @Test
  void droppingADiskRemovesOnlyThatDisk() throws IOException {
    String both = tune(DomainSamples.text(RICH), ALL_FLAGS);
    List<String> fewer = new ArrayList<>(ALL_FLAGS);
    int i = fewer.indexOf("/dev/sdb");
    fewer.remove(i);
    fewer.remove(i - 1);
    String one = tune(both, fewer);

    XmlDoc expected = XmlDoc.parse("expected", both);
    assertThat(expected.list("./devices/disk").stream().filter(d -> "/dev/sdb".equals(Devices.diskSource(d)))
        .peek(XmlNode::remove).count()).isEqualTo(1);
    assertThat(expected.remove("./metadata/vgapass:vm/vgapass:owns[@kind='disk'][@key='/dev/sdb']")).isEqualTo(1);
    Diff diff = DomainSamples.diffIgnoringWhitespace(expected.serialize(), one);
    assertThat(diff.hasDifferences()).as("%s%n--- tuned again without /dev/sdb:%n%s", diff, one).isFalse();
    assertThat(one).contains(DATA).contains("<disk type='file' device='disk'>\n      <driver name='qemu' "
        + "type='qcow2' discard='unmap'/>\n      <source file='/var/lib/libvirt/images/everything.qcow2'/>");
  }

  @Test
  void theUsersOwnDiskWithTheSameSourceIsNeverTouched() throws IOException {
    String in = DomainSamples.text(RICH).replace("/var/lib/libvirt/images/everything.qcow2", DATA);
    String out = tune(in, List.of("--disk", DATA));
    XmlDoc tuned = XmlDoc.parse("out", out);
    assertThat(tuned.list("./devices/disk").stream().filter(d -> DATA.equals(Devices.diskSource(d)))).hasSize(1);
    assertThat(OwnedParts.owned(tuned)).isEmpty();
    assertThat(tuned.exists("./devices/controller[@type='scsi']")).as("no controller for no disk of ours").isFalse();
    // and a later tune with another disk does not remove it
    String later = tune(out, List.of("--disk", "/dev/sdb"));
    assertThat(XmlDoc.parse("later", later).list("./devices/disk")).extracting(Devices::diskSource)
        .contains(DATA, "/dev/sdb");
  }

  @Test
  void theScsiControllerVgapassAddedGoesWithItsLastDisk() {
    Plan withDisk = Intents.intent().disk(DATA).on(TestHosts.MODERN);
    Plan without = Intents.intent().on(TestHosts.MODERN);
    TuneScope disks = TuneScope.builder().disks(true).build();
    XmlDoc doc = DomainSamples.minimal();
    String untouched = DomainWriter.tune(DomainSamples.minimal(), without, disks).serialize();
    DomainWriter.tune(doc, withDisk, disks);
    assertThat(doc.exists("./devices/controller[@type='scsi'][@model='virtio-scsi']")).isTrue();
    DomainWriter.tune(doc, without, disks);
    assertThat(doc.serialize()).isEqualTo(untouched);
  }

  @Test
  void aRemovedNicGoesAndTheUsersBridgeStays() throws IOException {
    String both = tune(DomainSamples.text(RICH), ALL_FLAGS);
    List<String> flags = new ArrayList<>(ALL_FLAGS);
    int i = flags.indexOf("hostonly");
    flags.remove(i);
    flags.remove(i - 1);
    XmlDoc one = XmlDoc.parse("one", tune(both, flags));
    assertThat(one.list("./devices/interface")).extracting(Devices::interfaceKey)
        .containsExactly("bridge", "direct:eno1");
  }

  @Test
  void audioNoneRemovesTheSoundVgapassAdded() throws IOException {
    String with = tune(DomainSamples.text(RICH), ALL_FLAGS);
    List<String> flags = new ArrayList<>(ALL_FLAGS);
    flags.set(flags.indexOf("pulseaudio"), "none");
    XmlDoc none = XmlDoc.parse("none", tune(with, flags));
    assertThat(none.exists("./devices/sound")).isFalse();
    assertThat(none.exists("./devices/audio")).isFalse();
    assertThat(OwnedParts.owned(none)).extracting(Ownership.Owned::kind)
        .doesNotContain(AudioTuner.KIND, AudioTuner.BACKEND);
  }

  @Test
  void switchingTheGpuReplacesItsHostdevsOnTheSamePort() {
    TuneScope gpu = TuneScope.builder().hostdevs(true).build();
    Plan nvidia = Intents.intent().gpu("0000:01:00.0").on(TestHosts.TWO_GPUS);
    Plan amd = Intents.intent().gpu("0000:02:00.0").on(TestHosts.TWO_GPUS);
    XmlDoc doc = DomainWriter.tune(XmlDoc.parse("rich", DomainSamples.text(RICH)), nvidia, gpu);
    String port = doc.get("./devices/hostdev/address/@bus");
    DomainWriter.tune(doc, amd, gpu);
    assertThat(doc.list("./devices/hostdev")).extracting(Devices::pciSource)
        .containsExactly("0000:02:00.0", "0000:02:00.1");
    assertThat(doc.list("./devices/hostdev")).extracting(h -> h.get("./address/@bus")).containsOnly(port);
    assertThat(doc.list("./devices/controller[@type='pci'][@model='pcie-root-port']")).hasSize(5);
    assertThat(doc.get("./metadata/vgapass:vm/vgapass:gpu/@address")).isEqualTo("0000:02:00.0");
    String once = doc.serialize();
    assertThat(DomainWriter.tune(doc, amd, gpu).serialize()).isEqualTo(once);
  }

  /** {@code vgapass vm tune} on the modern fixture host, returning what it wrote. */
  private String tune(String xml, List<String> flags) throws IOException {
    return DomainSamples.vmTune(tmp, TestHosts.root(TestHosts.MODERN), xml, flags, flags);
  }
}
