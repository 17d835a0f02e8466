package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.InputSpec;
import io.vgapass.plan.NicSpec;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xmlunit.diff.Diff;

/**
 * The device-only edits behind {@code input evdev}, {@code net setup} and {@code audio setup}: they add through the
 * tuners and record ownership, never tune CPU or memory, change nothing when run again, and a later {@code vm tune}
 * neither duplicates nor drops what they added.
 */
class DeviceEditsTest {
  private static final String KBD = "/dev/input/by-id/usb-Cherry_Keyboard-event-kbd";
  private static final String MOUSE = "/dev/input/by-id/usb-Razer_Mouse-event-mouse";
  private static final AudioSpec PULSE = new AudioSpec(AudioSpec.Kind.PULSEAUDIO, "/tmp/vgapass-pulse", null);

  @TempDir
  Path tmp;

  private static XmlDoc rich() {
    return XmlDoc.parse("rich", DomainSamples.text("/io/vgapass/domain/ownership/rich.xml"));
  }

  private static List<InputSpec> evdev(String toggle) {
    return List.of(InputSpec.parse("evdev:" + KBD).withGrabToggle(toggle), InputSpec.parse("evdev:" + MOUSE));
  }

  private static void editAll(XmlDoc doc) {
    DeviceEdits.inputs(doc, evdev("alt-alt"), null);
    DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.MACVTAP, "eno1"),
        new NicSpec(NicSpec.Kind.HOSTONLY, NicSpec.DEFAULT_HOSTONLY)));
    DeviceEdits.audio(doc, PULSE, null);
  }

  @Test
  void aDomainVgapassNeverTunedGetsTheDevicesAndTheirOwnershipOnly() {
    XmlDoc in = rich();
    XmlDoc doc = in.copy();
    editAll(doc);
    List<Ownership.Owned> owned = keys(doc);
    assertThat(owned).containsExactly(new Ownership.Owned("input", KBD), new Ownership.Owned("input", MOUSE),
        new Ownership.Owned("interface", "direct:eno1"),
        new Ownership.Owned("interface", "network:" + NicSpec.DEFAULT_HOSTONLY),
        new Ownership.Owned("audio", "sound"), new Ownership.Owned("audio-backend", "1"));
    // no plan record: hooks and verify see a domain vgapass did not tune
    assertThat(VgapassMetadata.read(doc)).isNull();
    assertThat(VgapassMetadata.read(doc.serialize(), "hook stdin")).isNull(); // the hook's text reader agrees
    assertThat(doc.find("./metadata/vgapass:vm/vgapass:cpu")).isNull();
    // everything but the devices and the ownership record is as it was: no pinning, no hugepages, no features
    XmlDoc stripped = doc.copy();
    for (String p : List.of("./devices/input[@type='evdev']", "./devices/interface[@type='direct']",
        "./devices/interface[@type='network']", "./devices/sound", "./devices/audio[@id='1']",
        "./metadata/vgapass:vm")) {
      assertThat(stripped.remove(p)).as(p).isPositive();
    }
    Diff diff = DomainSamples.diffIgnoringWhitespace(in.serialize(), stripped.serialize());
    assertThat(diff.hasDifferences()).as("%s", diff).isFalse();
    assertThat(doc.serialize()).contains("<source dev='" + KBD + "' grab='all' grabToggle='alt-alt' repeat='on'/>")
        .contains("<source dev='" + MOUSE + "'/>").contains("<source dev='eno1' mode='bridge'/>")
        .contains("<audio id='1' type='pulseaudio' serverName='/tmp/vgapass-pulse'/>")
        .doesNotContain("vcpupin").doesNotContain("hugepages");
    schemaValid(doc);
  }

  @Test
  void runningAgainChangesNothing() {
    XmlDoc doc = rich();
    editAll(doc);
    String once = doc.serialize();
    assertThat(DeviceEdits.inputs(doc, evdev("alt-alt"), null)).containsOnly(DeviceEdits.Result.OURS);
    assertThat(DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.HOSTONLY, NicSpec.DEFAULT_HOSTONLY))))
        .containsExactly(DeviceEdits.Result.OURS);
    assertThat(DeviceEdits.audio(doc, PULSE, null)).isEqualTo(DeviceEdits.Result.OURS);
    assertThat(doc.serialize()).isEqualTo(once);
    // a toggle not given keeps the keyboard's own; one given changes it
    DeviceEdits.inputs(doc, evdev(null), null);
    assertThat(doc.serialize()).isEqualTo(once);
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD).withGrabToggle("scrolllock")), null);
    assertThat(doc.get("./devices/input[@type='evdev']/source/@grabToggle")).isEqualTo("scrolllock");
  }

  @Test
  void theSoundDeviceKeepsTheAddressLibvirtGaveIt() {
    XmlDoc doc = rich();
    DeviceEdits.audio(doc, PULSE, null);
    // what libvirt does on define: an address for the card, a default backend of its own
    doc.set("./devices/sound[@model='ich9']/address/@type", "pci");
    doc.set("./devices/sound[@model='ich9']/address/@slot", "0x1b");
    String defined = doc.serialize();
    assertThat(DeviceEdits.audio(doc, PULSE, null)).isEqualTo(DeviceEdits.Result.OURS);
    assertThat(doc.serialize()).isEqualTo(defined);
    assertThat(doc.get("./devices/sound/audio/@id")).isEqualTo(doc.get("./devices/audio[@type='pulseaudio']/@id"));
  }

  @Test
  void laterRunsAddToWhatVgapassOwns() {
    XmlDoc doc = rich();
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD)), null);
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + MOUSE)), null);
    assertThat(doc.list("./devices/input[@type='evdev']")).hasSize(2);
    DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.MACVTAP, "eno1")));
    DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.HOSTONLY, "lab")));
    assertThat(doc.list("./devices/interface[@type='direct']")).hasSize(1);
    assertThat(doc.list("./devices/interface[@type='network']")).hasSize(1);
  }

  @Test
  void theUsersOwnDevicesAreLeftAndNotClaimed() {
    XmlDoc doc = rich();
    XmlNode mine = doc.add("./devices/input[@type='evdev']");
    mine.set("./source/@dev", KBD);
    doc.add("./devices/sound[@model='ich9']");
    String withMine = doc.serialize();
    assertThat(DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD).withGrabToggle("alt-alt")), null))
        .containsExactly(DeviceEdits.Result.USERS);
    // a sound device of the user's own: vgapass adds no second one and claims nothing
    assertThat(DeviceEdits.audio(doc, PULSE, null)).isEqualTo(DeviceEdits.Result.USERS);
    assertThat(doc.serialize()).isEqualTo(withMine);
    assertThat(DeviceEdits.ownsSound(doc)).isFalse();
  }

  @Test
  void audioNoneRemovesOnlyWhatAudioSetupAdded() {
    XmlDoc in = rich();
    String original = in.serialize();
    XmlDoc doc = in.copy();
    assertThat(DeviceEdits.audio(doc, PULSE, null)).isEqualTo(DeviceEdits.Result.ADDED);
    assertThat(DeviceEdits.ownsSound(doc)).isTrue();
    DeviceEdits.audio(doc, AudioSpec.NONE, null);
    assertThat(DeviceEdits.ownsSound(doc)).isFalse();
    // nothing left behind, not even an empty <vgapass:vm>
    assertThat(doc.serialize()).isEqualTo(original);
  }

  @Test
  void aLaterVmTuneKeepsThemOnceAndAnExplicitInputListReplacesThem() throws IOException {
    XmlDoc doc = rich();
    editAll(doc);
    String tuned = tune(doc.serialize(), List.of("--memory", "8G"));
    XmlDoc t = XmlDoc.parse("tuned", tuned);
    assertThat(t.list("./devices/input[@type='evdev']")).hasSize(2);
    assertThat(t.list("./devices/interface[@type='direct']")).hasSize(1);
    assertThat(t.list("./devices/sound")).hasSize(1);
    assertThat(t.get("./devices/input[@type='evdev']/source/@grabToggle")).isEqualTo("alt-alt");
    assertThat(VgapassMetadata.owned(t)).containsAll(VgapassMetadata.owned(doc));
    assertThat(VgapassMetadata.read(t)).isNotNull();
    // the same devices through vm tune's own flags: not added twice, and the toggle chosen stays
    String again = tune(tuned, List.of("--memory", "8G", "--input", "evdev:" + KBD, "--input", "evdev:" + MOUSE,
        "--nic", "macvtap:eno1", "--nic", "hostonly", "--audio", "pulseaudio:/tmp/vgapass-pulse"));
    assertThat(again).isEqualTo(tuned);
    // a device-only run on a tuned domain keeps its plan record
    XmlDoc d = XmlDoc.parse("again", again);
    VgapassMetadata plan = VgapassMetadata.read(d);
    DeviceEdits.inputs(d, List.of(InputSpec.parse("usb:046d:c52b")), null);
    assertThat(VgapassMetadata.read(d).vcpuPins()).isEqualTo(plan.vcpuPins());
    assertThat(VgapassMetadata.read(d).memoryKiB()).isEqualTo(plan.memoryKiB());
    // vm tune --input names the whole set: the evdev mouse it leaves out goes
    String fewer = tune(d.serialize(), List.of("--memory", "8G", "--input", "evdev:" + KBD));
    assertThat(XmlDoc.parse("fewer", fewer).list("./devices/input[@type='evdev']")).hasSize(1);
    assertThat(fewer).doesNotContain("c52b");
  }

  @Test
  void anEntryDeletedByHandIsNotBroughtBack() {
    XmlDoc doc = rich();
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD)), null);
    DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.MACVTAP, "eno1")));
    doc.remove("./devices/input[@type='evdev']"); // virsh edit
    doc.remove("./devices/interface[@type='direct']");
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + MOUSE)), null);
    DeviceEdits.nics(doc, List.of(new NicSpec(NicSpec.Kind.HOSTONLY, "lab")));
    assertThat(doc.list("./devices/input[@type='evdev']")).extracting(i -> i.get("./source/@dev"))
        .containsExactly(MOUSE);
    assertThat(doc.list("./devices/interface[@type='direct']")).isEmpty();
    assertThat(keys(doc)).containsExactly(new Ownership.Owned("input", MOUSE),
        new Ownership.Owned("interface", "network:lab"));
  }

  @Test
  void removingTakesOutOnlyVgapasssOwnEntries() {
    XmlDoc in = rich();
    XmlNode mine = in.add("./devices/input[@type='evdev']");
    mine.set("./source/@dev", "/dev/input/by-id/usb-Mine-event-kbd");
    String original = in.serialize();
    XmlDoc doc = in.copy();
    DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD), InputSpec.parse("evdev:" + MOUSE),
        InputSpec.parse("evdev:/dev/input/by-id/usb-Mine-event-kbd"), InputSpec.parse("usb:046d:c52b")), null);
    assertThat(DeviceEdits.removeInputs(doc, MOUSE::equals, null)).containsExactly(MOUSE);
    assertThat(doc.list("./devices/input[@type='evdev']")).hasSize(2);
    assertThat(DeviceEdits.removeInputs(doc, k -> k.startsWith("/dev/input/"), null)).containsExactly(KBD);
    assertThat(keys(doc)).containsExactly(new Ownership.Owned("input", "usb:046d:c52b"));
    DeviceEdits.removeInputs(doc, k -> true, null);
    assertThat(doc.serialize()).isEqualTo(original);
  }

  @Test
  void hostEditedMetadataIsNamed() {
    XmlDoc doc = XmlDoc.parse("d", "<domain><name>d</name><metadata><vgapass:vm xmlns:vgapass='"
        + XmlDoc.VGAPASS_NS + "' format='1'><vgapass:owns kind='input' key='kbd'/></vgapass:vm></metadata>"
        + "<devices><input type='evdev'><source dev='kbd'/></input></devices></domain>");
    assertThatThrownBy(() -> DeviceEdits.inputs(doc, List.of(InputSpec.parse("evdev:" + KBD)), null))
        .hasMessageContaining("owns the input 'kbd'");
  }

  private static void schemaValid(XmlDoc doc) {
    SchemaValidator v = SchemaValidator.libvirt();
    Assumptions.assumeTrue(v.available());
    assertThat(v.validate(doc)).isEmpty();
  }

  private String tune(String xml, List<String> flags) throws IOException {
    return DomainSamples.vmTune(tmp, TestHosts.root(TestHosts.MODERN), xml, flags, flags);
  }

  /** The ownership records by kind and key (their digests are OwnershipDigestTest's). */
  private static List<Ownership.Owned> keys(XmlDoc doc) {
    return VgapassMetadata.owned(doc).stream().map(o -> new Ownership.Owned(o.kind(), o.key())).toList();
  }
}
