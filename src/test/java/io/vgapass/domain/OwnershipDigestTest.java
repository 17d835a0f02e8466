package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.Intents;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.10: vgapass owns a device by the digest of what it wrote, not by a key anyone can type. A forged
 * {@code owns} record (without a digest, or with a wrong one) naming the user's own device, or a device vgapass added
 * that the user changed since, is left alone by every tuner that removes owned devices, and {@code vm tune} says so in
 * one line. Records of the earlier format (no digest) count for elements of the shape vgapass writes.
 */
class OwnershipDigestTest {
  private static final String RICH = "/io/vgapass/domain/ownership/rich.xml";
  private static final String USERS_DISK = "/var/lib/libvirt/images/everything.qcow2";
  private static final String DATA = "/var/lib/libvirt/images/data.qcow2";
  private static final List<String> ALL_FLAGS = List.of("--gpu", "0000:01:00.0", "--memory", "8G",
      "--disk", DATA, "--disk", "/dev/sdb", "--nic", "macvtap:eno1", "--nic", "hostonly",
      "--audio", "pulseaudio", "--input", "evdev:/dev/input/by-id/usb-Cherry_Keyboard-event-kbd",
      "--input", "usb:046d:c52b", "--nvidia-hide-kvm");

  @TempDir Path tmp;

  /** The result of {@code vm tune} and the XML it wrote. */
  private record Tuned(CliRunner.Result result, String xml) {}

  private Tuned tune(String xml, List<String> flags) throws IOException {
    Path in = Files.createTempFile(tmp, "tune-", ".in.xml");
    Path out = in.resolveSibling(in.getFileName() + ".out");
    Files.writeString(in, xml);
    List<String> args = new ArrayList<>(List.of("vm", "tune", "--in", in.toString(), "--out", out.toString(),
        "--sysroot", TestHosts.root(TestHosts.MODERN).toString()));
    args.addAll(flags);
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s", r).isZero();
    return new Tuned(r, Files.readString(out));
  }

  /** RICH with a vgapass record holding {@code owns} (the metadata of an untuned domain, forged). */
  private static String withRecord(String xml, String owns) {
    return xml.replace("  </metadata>", "    <vgapass:vm xmlns:vgapass='" + XmlDoc.VGAPASS_NS + "' format='1'>"
        + owns + "</vgapass:vm>\n  </metadata>");
  }

  private static List<String> sources(String xml) {
    return XmlDoc.parse("out", xml).list("./devices/disk").stream().map(Devices::diskSource).toList();
  }

  private static List<String> ownedKeys(String xml) {
    return VgapassMetadata.owned(XmlDoc.parse("out", xml)).stream().map(o -> o.kind() + " " + o.key()).toList();
  }

  /** The example: a record naming the user's own disk, without a digest and with a made-up one. */
  @Test
  void aForgedRecordDoesNotRemoveTheUsersDisk() throws IOException {
    for (String owns : List.of("<vgapass:owns kind='disk' key='" + USERS_DISK + "'/>",
        "<vgapass:owns kind='disk' key='" + USERS_DISK + "' digest='sha256:0123456789abcdef'/>")) {
      Tuned t = tune(withRecord(DomainSamples.text(RICH), owns), List.of("--disk", "/dev/sdb"));
      assertThat(sources(t.xml())).as(owns).contains(USERS_DISK, "/dev/sdb");
      assertThat(t.result().err().lines().filter(l -> l.contains(USERS_DISK))).as(owns)
          .containsExactly("vgapass: left the disk " + USERS_DISK + " as it is: vgapass's record of it does not "
              + "match it (changed since vgapass wrote it, or not vgapass's)");
      assertThat(ownedKeys(t.xml())).as("the forged record is dropped").contains("disk /dev/sdb")
          .doesNotContain("disk " + USERS_DISK);
      // and the next tune neither removes it nor complains again
      Tuned again = tune(t.xml(), List.of("--disk", "/dev/sdb"));
      assertThat(again.xml()).isEqualTo(t.xml());
      assertThat(again.result().err()).doesNotContain("left the disk");
    }
  }

  /** A disk vgapass added, changed by the user since (a cache mode, a serial): it stays when no longer planned. */
  @Test
  void aDiskTheUserChangedSinceIsLeftAlone() throws IOException {
    String once = tune(DomainSamples.text(RICH), List.of("--disk", DATA, "--disk", "/dev/sdb")).xml();
    XmlDoc doc = XmlDoc.parse("once", once);
    XmlNode ours = doc.list("./devices/disk").stream().filter(d -> DATA.equals(Devices.diskSource(d))).findFirst()
        .orElseThrow();
    List<String> edits = List.of("./driver/@cache=writeback", "./serial=DATA-1", "./target/@bus=virtio");
    for (String edit : edits) {
      XmlDoc changed = doc.copy();
      XmlNode disk = changed.list("./devices/disk").stream().filter(d -> DATA.equals(Devices.diskSource(d)))
          .findFirst().orElseThrow();
      String[] pv = edit.split("=", 2);
      disk.set(pv[0], pv[1]);
      Tuned t = tune(changed.serialize(), List.of("--disk", "/dev/sdb"));
      assertThat(sources(t.xml())).as(edit).contains(DATA, USERS_DISK, "/dev/sdb");
      assertThat(t.result().err()).as(edit).contains("vgapass: left the disk " + DATA + " as it is");
    }
    // unchanged, it goes: the digest is what decides, not the record alone
    assertThat(ours).isNotNull();
    Tuned t = tune(once, List.of("--disk", "/dev/sdb"));
    assertThat(sources(t.xml())).doesNotContain(DATA).contains(USERS_DISK, "/dev/sdb");
    assertThat(t.result().err()).doesNotContain("left the");
  }

  /** The other tuners that remove owned devices: interface, hostdev, input, sound, filesystem, controller. */
  @Test
  void everyKindOfOwnedDeviceIsCheckedTheSameWay() {
    XmlDoc doc = XmlDoc.parse("rich", DomainSamples.text(RICH));
    XmlNode hostdev = doc.add("./devices/hostdev[@mode='subsystem'][@type='pci']");
    hostdev.set("./@managed", "yes");
    hostdev.set("./source/address/@domain", "0x0000");
    hostdev.set("./source/address/@bus", "0x05");
    hostdev.set("./source/address/@slot", "0x00");
    hostdev.set("./source/address/@function", "0x0");
    hostdev.set("./rom/@bar", "off"); // not what vgapass writes
    XmlNode evdev = doc.add("./devices/input[@type='evdev']");
    evdev.set("./source/@dev", "/dev/input/by-id/mine-event-kbd");
    evdev.set("./source/@grab", "all");
    evdev.set("./source/@grabToggle", "scrolllock"); // not vgapass's default
    XmlNode sound = doc.add("./devices/sound[@model='ich9']");
    sound.set("./codec/@type", "micro");
    XmlNode fs = doc.add("./devices/filesystem[@type='mount']");
    fs.set("./@accessmode", "mapped");
    fs.set("./source/@dir", "/srv/mine");
    fs.set("./target/@dir", "mine");
    XmlNode scsi = doc.add("./devices/controller[@type='scsi'][@index='3']");
    scsi.set("./@model", "lsilogic");
    XmlNode vm = doc.ensure("./metadata/vgapass:vm");
    vm.set("./@format", "1");
    String[][] forged = {{NetworkTuner.KIND, "bridge"}, {HostdevTuner.KIND, "0000:05:00.0"},
        {InputTuner.KIND, "/dev/input/by-id/mine-event-kbd"}, {AudioTuner.KIND, "sound"},
        {FilesystemTuner.KIND, "mine"}, {DiskTuner.CONTROLLER, "3"}};
    for (String[] f : forged) {
      XmlNode o = vm.add("./vgapass:owns");
      o.set("./@kind", f[0]);
      o.set("./@key", f[1]);
    }
    String before = doc.serialize();
    // a plan with none of them: each tuner would remove what it owns
    Plan plan = Intents.intent().gpu("0000:01:00.0").audio("none").on(TestHosts.MODERN);
    List<String> notes = new ArrayList<>();
    DomainWriter.tune(doc, plan, TuneScope.builder().hostdevs(true).disks(true).nics(true).audio(true)
        .inputs(true).lookingGlass(true).build(), notes::add);
    DomainWriter.share(doc, List.of());
    XmlDoc out = doc;
    assertThat(out.list("./devices/interface")).extracting(Devices::interfaceKey).contains("bridge");
    assertThat(out.list("./devices/hostdev")).extracting(Devices::pciSource).contains("0000:05:00.0");
    assertThat(out.list("./devices/input[@type='evdev']")).extracting(i -> i.get("./source/@dev"))
        .containsExactly("/dev/input/by-id/mine-event-kbd");
    assertThat(out.exists("./devices/sound[@model='ich9']/codec")).isTrue();
    assertThat(out.exists("./devices/filesystem/target[@dir='mine']")).isTrue();
    assertThat(out.exists("./devices/controller[@type='scsi'][@index='3']")).isTrue();
    assertThat(notes).hasSize(forged.length - 1) // the filesystem's is share's, whose notes vm tune does not show
        .allMatch(n -> n.startsWith("left the ") && n.endsWith("(changed since vgapass wrote it, or not vgapass's)"));
    assertThat(before).contains("kind='hostdev'");
    assertThat(ownedKeys(out.serialize())).noneMatch(k -> k.endsWith(" bridge") || k.endsWith("0000:05:00.0")
        || k.endsWith("mine-event-kbd") || k.equals("audio sound") || k.endsWith(" mine")
        || k.equals("scsi-controller 3"));
  }

  /**
   * Domains tuned by the earlier format (records without digests) keep working: tuning them again gives the same
   * domain with digests in the records, and a dropped disk vgapass added is still taken out.
   */
  @Test
  void recordsOfTheEarlierFormatAreHonouredForWhatVgapassWrote() throws IOException {
    String once = tune(DomainSamples.text(RICH), ALL_FLAGS).xml();
    String legacy = once.replaceAll(" digest='sha256:[0-9a-f]+'", "");
    assertThat(legacy).isNotEqualTo(once).contains("<vgapass:owns kind='disk' key='/dev/sdb'/>");
    Tuned again = tune(legacy, ALL_FLAGS);
    assertThat(again.xml()).isEqualTo(once);
    assertThat(again.result().err()).doesNotContain("left the");

    List<String> fewer = new ArrayList<>(ALL_FLAGS);
    int i = fewer.indexOf("/dev/sdb");
    fewer.remove(i);
    fewer.remove(i - 1);
    Tuned dropped = tune(legacy, fewer);
    assertThat(sources(dropped.xml())).doesNotContain("/dev/sdb").contains(DATA, USERS_DISK);
    assertThat(dropped.result().err()).doesNotContain("left the");
  }

  /** The digest survives what libvirt adds and notices anything else. */
  @Test
  void theDigestCoversWhatVgapassWroteAndNotWhatLibvirtAdds() {
    XmlDoc a = XmlDoc.parse("a", "<domain><devices><disk type='file' device='disk'><driver name='qemu' "
        + "cache='none'/><source file='/x'/><target dev='sda' bus='scsi'/></disk>"
        + "<interface type='network'><source network='n'/><model type='virtio'/></interface></devices></domain>");
    XmlDoc b = XmlDoc.parse("b", "<domain><devices>\n  <disk device=\"disk\" type=\"file\">\n    <driver "
        + "cache=\"none\" name=\"qemu\"/>\n    <source file=\"/x\"/>\n    <target bus=\"scsi\" dev=\"sda\"/>\n"
        + "    <alias name='scsi0-0-0-0'/>\n    <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
        + "  </disk><interface type='network'><mac address='52:54:00:12:34:56'/><source network='n'/>"
        + "<target dev='vnet3'/><model type='virtio'/><address type='pci' domain='0x0000' bus='0x01' slot='0x00' "
        + "function='0x0'/></interface></devices></domain>");
    for (String path : List.of("./devices/disk", "./devices/interface")) {
      assertThat(OwnedDigest.of(List.of(b.find(path)))).as(path).isEqualTo(OwnedDigest.of(List.of(a.find(path))))
          .matches("sha256:[0-9a-f]{16}");
    }
    for (String edit : List.of("./driver/@cache=writeback", "./driver/@io=threads", "./source/@file=/y",
        "./serial=1", "./target/@dev=sdb", "./boot/@order=1")) {
      XmlDoc c = a.copy();
      String[] pv = edit.split("=", 2);
      c.find("./devices/disk").set(pv[0], pv[1]);
      assertThat(OwnedDigest.of(List.of(c.find("./devices/disk")))).as(edit)
          .isNotEqualTo(OwnedDigest.of(List.of(a.find("./devices/disk"))));
    }
  }

  /**
   * {@code audio none} on a domain whose sound device a forged record claims: without a digest, a sound device that is
   * not of vgapass's shape (a codec of its own); with a digest, one of vgapass's shape that the digest does not match.
   */
  @Test
  void aForgedSoundRecordDoesNotTakeTheUsersSound() {
    for (String digest : new String[] {null, "sha256:00000000deadbeef"}) {
      XmlDoc doc = XmlDoc.parse("rich", DomainSamples.text(RICH));
      XmlNode sound = doc.add("./devices/sound[@model='ich9']");
      sound.set("./audio/@id", "7");
      if (digest == null) sound.set("./codec/@type", "micro");
      XmlNode owns = doc.ensure("./metadata/vgapass:vm").add("./vgapass:owns");
      owns.set("./@kind", AudioTuner.KIND);
      owns.set("./@key", "sound");
      if (digest != null) owns.set("./@digest", digest);
      assertThat(DeviceEdits.ownsSound(doc)).as(digest).isFalse();
      assertThat(DeviceEdits.audio(doc, AudioSpec.NONE, null)).as(digest).isEqualTo(DeviceEdits.Result.USERS);
      assertThat(doc.exists("./devices/sound[@model='ich9']")).as(digest).isTrue();
    }
  }
}
