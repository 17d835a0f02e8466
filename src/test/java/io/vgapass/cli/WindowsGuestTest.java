package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.XmlDoc;
import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Windows 11 guest as plan and vm tune write it: Secure Boot (firmware chosen by libvirt's features, SMM) and a
 * TPM 2.0 by default, each with a flag to turn it off; the install and drivers ISOs as SATA CD-ROMs booted first;
 * vm tune --no-install-media taking out only what vgapass added. Every domain here passed the command's own check
 * against libvirt's schema (Jing), which the output line reports.
 */
class WindowsGuestTest {
  @TempDir Path tmp;

  private Path iso(String name) throws IOException {
    Path p = tmp.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(64 * 1024);
      f.seek(16 * 2048 + 1);
      f.write("CD001".getBytes(StandardCharsets.US_ASCII));
    }
    return p;
  }

  private XmlDoc plan(String host, String... flags) throws IOException {
    Path out = tmp.resolve("plan-" + System.nanoTime() + ".xml");
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(host).toString(),
        "--xml-out", out.toString()));
    args.addAll(List.of(flags));
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.code()).as("plan %s: %s %s", args, r.out(), r.err()).isZero();
    assertThat(r.out()).contains("(valid against libvirt's schema)");
    return XmlDoc.read(out);
  }

  private CliRunner.Result tune(String xml, String... flags) throws IOException {
    Path in = tmp.resolve("in-" + System.nanoTime() + ".xml");
    Files.writeString(in, xml);
    List<String> args = new ArrayList<>(List.of("vm", "tune", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(),
        "--in", in.toString(), "--out", in.toString()));
    args.addAll(List.of(flags));
    CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
    return new CliRunner.Result(r.args(), r.code(), r.code() == 0 ? Files.readString(in) : r.out(), r.err());
  }

  @Test
  void theDefaultGuestGetsSecureBootSmmAndATpm20() throws IOException {
    XmlDoc d = plan(TestHosts.MODERN);
    assertThat(d.get("./os/@firmware")).isEqualTo("efi");
    assertThat(d.get("./os/firmware/feature[@name='secure-boot']/@enabled")).isEqualTo("yes");
    assertThat(d.get("./os/firmware/feature[@name='enrolled-keys']/@enabled")).isEqualTo("yes");
    assertThat(d.get("./features/smm/@state")).isEqualTo("on");
    assertThat(d.list("./devices/tpm")).hasSize(1);
    assertThat(d.get("./devices/tpm/@model")).isEqualTo("tpm-crb");
    assertThat(d.get("./devices/tpm/backend/@type")).isEqualTo("emulator");
    assertThat(d.get("./devices/tpm/backend/@version")).isEqualTo("2.0");
    assertThat(d.serialize()).contains("<vgapass:owns kind='tpm' key='tpm-crb' digest='sha256:");
  }

  @Test
  void noSecureBootAndNoTpmGiveTheBareFirmwareByPathAndNoTpm() throws IOException {
    XmlDoc d = plan(TestHosts.MODERN, "--no-secure-boot", "--no-tpm");
    assertThat(d.get("./os/@firmware")).isNull();
    assertThat(d.get("./os/loader")).endsWith("OVMF_CODE_4M.fd");
    assertThat(d.get("./os/loader/@secure")).isNull();
    assertThat(d.exists("./features/smm")).isFalse();
    assertThat(d.exists("./devices/tpm")).isFalse();
    assertThat(d.serialize()).doesNotContain("kind='tpm'");
  }

  /** libvirt 6.0 cannot be asked by features: the plan names the enrolled descriptor's code and template. */
  @Test
  void beforeLibvirt72TheSecureBuildIsNamedByPath() throws IOException {
    Path root = tmp.resolve("libvirt6");
    Path from = TestHosts.root(TestHosts.MODERN);
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path to = root.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(to);
        else Files.copy(p, to, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      }
    }
    Path lib = root.resolve("usr/lib/x86_64-linux-gnu");
    Files.delete(lib.resolve("libvirt.so.0"));
    Files.move(lib.resolve("libvirt.so.0.9000.0"), lib.resolve("libvirt.so.0.6000.0"));
    Files.createSymbolicLink(lib.resolve("libvirt.so.0"), Path.of("libvirt.so.0.6000.0"));
    Path out = tmp.resolve("old.xml");
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", root.toString(), "--xml-out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("(valid against libvirt's schema)");
    XmlDoc d = XmlDoc.read(out);
    assertThat(d.get("./os/@firmware")).isNull();
    assertThat(d.exists("./os/firmware")).isFalse();
    assertThat(d.get("./os/loader")).isEqualTo("/usr/share/OVMF/OVMF_CODE_4M.ms.fd");
    assertThat(d.get("./os/loader/@secure")).isEqualTo("yes");
    assertThat(d.get("./os/nvram/@template")).isEqualTo("/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
    assertThat(d.get("./features/smm/@state")).isEqualTo("on");
    assertThat(d.get("./devices/tpm/backend/@version")).as("libvirt 6.0 has the TPM emulator").isEqualTo("2.0");
  }

  @Test
  void anOldLibvirtWithoutSecureBootFirmwareSaysSoAndGetsNoTpm() {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.REFERENCE).toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("secure boot: off, because the host has no OVMF build with Secure Boot and libvirt 3.7")
        .contains("tpm: libvirt 3.7.0 has no TPM emulator");
  }

  @Test
  void installAndDriversIsosAreSataCdromsBootedFirstAndTheNotesNameTheDrivers() throws IOException {
    Path win = iso("Win11_24H2.iso");
    Path drivers = iso("virtio-win.iso");
    Path out = tmp.resolve("w.xml");
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(), "--xml-out", out.toString(),
        "--name", "win11", "--disk", "/var/lib/libvirt/images/win11.qcow2", "--install-iso", win.toString(),
        "--drivers-iso", drivers.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("vioscsi\\w11\\amd64").contains("NetKVM\\w11\\amd64")
        .contains("vgapass vm tune --domain win11 --no-install-media");
    XmlDoc d = XmlDoc.read(out);
    List<String> boot = d.list("./os/boot").stream().map(b -> b.get("./@dev")).toList();
    assertThat(boot).containsExactly("cdrom", "hd");
    var cds = d.list("./devices/disk[@device='cdrom']");
    assertThat(cds).hasSize(2);
    assertThat(cds.get(0).get("./source/@file")).as("the install ISO is the first CD-ROM (libvirt boots the first)")
        .isEqualTo(win.toString());
    assertThat(cds.get(1).get("./source/@file")).isEqualTo(drivers.toString());
    for (var cd : cds) {
      assertThat(cd.get("./target/@bus")).isEqualTo("sata");
      assertThat(cd.exists("./readonly")).isTrue();
    }
    var disk = d.find("./devices/disk[@device='disk']");
    assertThat(disk.get("./target/@bus")).as("the disk stays on virtio-scsi").isEqualTo("scsi");
    assertThat(d.get("./devices/controller[@type='scsi']/driver/@iothread")).isEqualTo("1");
    assertThat(d.serialize()).contains("kind='cdrom' key='" + win + "'").contains("kind='boot-cdrom'");

    // vm tune --no-install-media: vgapass's CD-ROMs and boot entry go; a CD-ROM of the user's stays
    String withUsers = d.serialize().replace("</devices>", "<disk type='file' device='cdrom'><source file='/srv/"
        + "user.iso'/><target dev='sdz' bus='sata'/><readonly/></disk></devices>");
    CliRunner.Result t = tune(withUsers, "--no-install-media");
    assertThat(t.code()).as(t.err()).isZero();
    XmlDoc after = XmlDoc.parse("after", t.out());
    assertThat(after.list("./devices/disk[@device='cdrom']")).extracting(c -> c.get("./source/@file"))
        .containsExactly("/srv/user.iso");
    assertThat(after.list("./os/boot")).extracting(b -> b.get("./@dev")).containsExactly("hd");
    assertThat(after.serialize()).doesNotContain("kind='cdrom'").doesNotContain("kind='boot-cdrom'")
        .contains("kind='disk'");
    CliRunner.Result again = tune(after.serialize(), "--no-install-media");
    assertThat(again.out()).as("tuning twice changes nothing").isEqualTo(after.serialize());
  }

  @Test
  void aMissingUnreadableOrNonIsoFileIsOneLineExit2() throws IOException {
    Path notIso = tmp.resolve("disk.img");
    Files.write(notIso, new byte[40000]);
    Path shortFile = tmp.resolve("short.iso");
    Files.writeString(shortFile, "x");
    for (String[] c : new String[][] {
        {"--install-iso", tmp.resolve("nope.iso").toString(), "no such file"},
        {"--drivers-iso", tmp.toString(), "a directory"},
        {"--install-iso", notIso.toString(), "not an ISO image"},
        {"--install-iso", shortFile.toString(), "too short for an ISO image"}}) {
      // a plan for this machine (no --sysroot) checks the files before it reads the host
      CliRunner.Result r = CliRunner.run("plan", c[0], c[1]);
      assertThat(r.code()).as("%s %s", c[0], c[1]).isEqualTo(ExitCode.USAGE);
      assertThat(r.errLines()).as("%s %s", c[0], c[1]).hasSize(1);
      assertThat(r.err()).contains(c[0] + " " + c[1] + ": " + c[2]);
    }
  }

  @Test
  void aDomainWithPerDeviceBootOrderIsRefusedInOneLine() throws IOException {
    Path win = iso("Win11.iso");
    String xml = plan(TestHosts.MODERN, "--no-tpm", "--disk", "/var/lib/libvirt/images/w.qcow2").serialize()
        .replace("<boot dev='hd'/>", "").replace("<target dev='sda' bus='scsi'/>",
            "<target dev='sda' bus='scsi'/><boot order='1'/>");
    CliRunner.Result r = tune(xml, "--install-iso", win.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("orders its boot devices per device").contains("virsh attach-disk");
  }

  @Test
  void anIsoGivenAsADiskPointsAtInstallIso() {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(), "--disk", "/srv/Win11.iso");
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("--disk /srv/Win11.iso: an .iso is install media").contains("--install-iso /srv/Win11.iso");
  }

  @Test
  void vmTuneNoTpmRemovesOnlyVgapasssTpmAndSecureBootFlagRewritesTheFirmware() throws IOException {
    XmlDoc planned = plan(TestHosts.MODERN, "--no-secure-boot");
    assertThat(planned.exists("./devices/tpm")).isTrue();
    CliRunner.Result off = tune(planned.serialize(), "--no-tpm");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(off.out()).doesNotContain("<tpm").doesNotContain("kind='tpm'");

    String users = off.out().replace("</devices>", "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"
        + "</devices>");
    CliRunner.Result kept = tune(users, "--no-tpm");
    assertThat(kept.out()).as("the user's TPM stays").contains("tpm-tis").doesNotContain("kind='tpm'");
    CliRunner.Result notDoubled = tune(users, "--tpm");
    assertThat(XmlDoc.parse("t", notDoubled.out()).list("./devices/tpm")).hasSize(1);

    CliRunner.Result sb = tune(planned.serialize(), "--secure-boot");
    assertThat(sb.code()).as(sb.err()).isZero();
    XmlDoc d = XmlDoc.parse("sb", sb.out());
    assertThat(d.get("./os/@firmware")).isEqualTo("efi");
    assertThat(d.exists("./os/loader")).isFalse();
    assertThat(d.get("./os/firmware/feature[@name='secure-boot']/@enabled")).isEqualTo("yes");
    assertThat(d.get("./features/smm/@state")).isEqualTo("on");
    assertThat(d.get("./os/type/@machine")).isEqualTo(planned.get("./os/type/@machine"));
    assertThat(sb.err()).contains("--reset-nvram");
    CliRunner.Result plain = tune(planned.serialize(), "--vcpus", "2");
    assertThat(XmlDoc.parse("p", plain.out()).get("./os/loader")).as("no flag, no firmware change")
        .isEqualTo(planned.get("./os/loader"));
  }
}
