package io.vgapass.it;

import static io.vgapass.plan.Intents.intent;
import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.cli.Main;
import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.XmlDoc;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.SignedBootDisk;
import io.vgapass.testing.TinyGuest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Windows 11 domain vgapass plans (Secure Boot with Microsoft's keys enrolled, SMM, a TPM 2.0), hostdevs and NICs
 * left out as in {@link PlannedDomainTcgTest}, started in the real libvirtd under TCG: libvirt picks the Secure Boot
 * OVMF and starts swtpm, and the planned disk is an EFI system partition with a Microsoft-signed chain from Debian's
 * packages (shim, signed by the Microsoft UEFI CA 2011, then grub and Debian's signed kernel). The guest must report
 * Secure Boot on (the kernel's own lines, and its SecureBoot variable when efivarfs is built in) and a TPM 2.0
 * ({@code tpm_version_major} 2), and {@code vgapass verify} on the running VM must pass its tpm and secure-boot checks.
 * The same disk with the kernel's signature stripped ({@code sbattach --remove}) must be refused by the firmware
 * chain (grub: "bad shim signature"): Secure Boot is enforced, not just reported. Runs with {@code -Dvgapass.it=true};
 * it installs nothing ({@code scripts/test-all.sh} does: {@value SignedBootDisk#PACKAGES}).
 */
class SignedBootTcgTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final String QEMU = "/usr/bin/qemu-system-x86_64";
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);

  private String name;
  private Path work;
  private Path serialLog;

  @BeforeEach
  void lab() throws IOException {
    LabAssumptions.assumeLab();
    assertThat(SignedBootDisk.missing()).as("missing on this machine; scripts/test-all.sh installs them (apt-get "
        + "install " + SignedBootDisk.PACKAGES + ")").isEmpty();
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    name = "vgapass-sb-" + HexFormat.of().formatHex(b);
    work = Files.createTempDirectory(Path.of("/var/tmp"), name);
    // QEMU runs as libvirt-qemu: libvirt relabels the disk image, not the directories on its way
    Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (name == null) return;
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "destroy", name);
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", "--nvram", "--tpm", name);
    Files.deleteIfExists(serialLog);
    try (var files = Files.walk(work)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void theSignedChainBootsWithSecureBootAndTpm20AndAnUnsignedKernelIsRefused() throws Exception {
    TinyGuest guest = TinyGuest.locate();
    assertThat(SignedBootDisk.signatures(SignedBootDisk.SHIM)).as("shim is signed by Microsoft's UEFI CA 2011")
        .contains("Microsoft Corporation UEFI CA 2011");
    assertThat(SignedBootDisk.signatures(guest.kernel())).as("the tiny guest's kernel is Debian's signed one")
        .contains("Debian Secure Boot");
    Path disk = work.resolve("esp.raw");
    SignedBootDisk.build(disk, guest.kernel(), guest.initrd(), false, Files.createDirectories(work.resolve("signed")));

    Plan planned = intent().name(name).vcpus(1).memory("512M").hugepages("off").audio("none")
        .disk(disk.toString()).secureBoot().on(TestHosts.TWO_CPU);
    assertThat(planned.tpm()).isTrue();
    assertThat(planned.firmware().secureBoot()).isTrue();
    XmlDoc doc = DomainWriter.create(planned.withoutHostdevs().withoutNics(), "qemu", QEMU);
    assertThat(doc.get("./os/@firmware")).isEqualTo("efi");
    assertThat(doc.get("./devices/tpm/backend/@version")).isEqualTo("2.0");
    adaptForTcg(doc);

    long t0 = System.nanoTime();
    define(doc);
    virsh("start", name);
    String log = waitForLog(SignedBootDisk.DONE_MARKER, "the signed chain");
    long bootMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(log).as("the kernel's EFI stub and its Secure Boot line").contains("EFI stub: UEFI Secure Boot is enabled")
        .contains("secureboot: Secure boot enabled");
    assertThat(log).as("the SecureBoot variable (1) when efivarfs could be mounted")
        .containsAnyOf(SignedBootDisk.SECURE_BOOT_MARKER + " 1", SignedBootDisk.SECURE_BOOT_MARKER + " unreadable");
    assertThat(log).as("tpm_version_major").contains(SignedBootDisk.TPM_MARKER + " 2");

    String live = virsh("dumpxml", name);
    assertThat(live).contains("OVMF_CODE_4M.ms.fd").contains("secure='yes'");
    JsonNode verify = verify();
    assertThat(check(verify, "tpm").path("passed").asBoolean()).as("verify tpm: %s", verify).isTrue();
    assertThat(check(verify, "secure-boot").path("passed").asBoolean()).as("verify secure-boot: %s", verify).isTrue();
    assertThat(check(verify, "secure-boot").path("detail").asText()).contains("Microsoft Corporation UEFI CA 2011");
    System.out.printf("%s: signed chain up in %d ms; guest: %s; verify: %s / %s%n", name, bootMs,
        log.lines().filter(l -> l.startsWith("VGAPASS-")).toList(), check(verify, "tpm").path("detail").asText(),
        check(verify, "secure-boot").path("detail").asText());
    virsh("destroy", name);

    // the same domain and firmware, the kernel's signature stripped: shim's verification must refuse it
    Files.delete(serialLog);
    SignedBootDisk.build(disk, guest.kernel(), guest.initrd(), true, Files.createDirectories(work.resolve("unsigned")));
    long t1 = System.nanoTime();
    virsh("start", name);
    String refused = waitForLog("bad shim signature", "the stripped kernel");
    System.out.printf("%s: stripped kernel refused in %d ms%n", name, (System.nanoTime() - t1) / 1_000_000);
    assertThat(refused).doesNotContain("Linux version").doesNotContain(SignedBootDisk.DONE_MARKER);
  }

  /**
   * libvirt turns the plan's {@code <boot dev='cdrom'/><boot dev='hd'/>} into QEMU boot indexes, which OVMF follows:
   * the install ISO (the first CD-ROM) gets 1, the disk 2, the drivers CD none.
   */
  @Test
  void theInstallIsoIsWhatTheFirmwareBootsFirst() throws IOException {
    Path xmlOut = work.resolve("planned.xml");
    int code = Main.run(new String[] {"plan", "--sysroot", TestHosts.root(TestHosts.TWO_CPU).toString(), "--name", name,
        "--vcpus", "1", "--memory", "512M", "--hugepages", "off", "--audio", "none", "--xml-out", xmlOut.toString(),
        "--disk", "/var/lib/libvirt/images/win11.qcow2", "--install-iso", "/srv/iso/Win11.iso", "--drivers-iso",
        "/srv/iso/virtio-win.iso"}, java.io.InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
        System.err);
    assertThat(code).isZero();
    XmlDoc doc = XmlDoc.read(xmlOut);
    doc.remove("./devices/hostdev");
    doc.remove("./devices/interface");
    adaptForTcg(doc);
    Path xml = work.resolve("native.xml");
    Files.writeString(xml, doc.serialize());
    String argv = virsh("domxml-to-native", "qemu-argv", xml.toString());
    assertThat(argv).containsPattern("\\{\"driver\":\"ide-cd\"[^}]*\"bootindex\":1\\}")
        .containsPattern("\"driver\":\"scsi-hd\"[^}]*\"bootindex\":2");
    String cds = argv.lines().flatMap(l -> java.util.Arrays.stream(l.split(" "))).filter(a -> a.contains("ide-cd"))
        .toList().toString();
    assertThat(cds).as("the drivers CD is no boot device").containsOnlyOnce("bootindex");
    // the booted CD-ROM is SATA unit 1 (sata0-0-1), the plan's sdb: the install ISO
    assertThat(argv).contains("\"id\":\"sata0-0-1\",\"bootindex\":1");
    assertThat(doc.find("./devices/disk[@device='cdrom']/target[@dev='sdb']").parent().get("./source/@file"))
        .isEqualTo("/srv/iso/Win11.iso");
  }

  /**
   * The test's changes to the planned KVM domain for a TCG guest, each for a reason; firmware, SMM, TPM and the disk
   * stay as planned.
   */
  private void adaptForTcg(XmlDoc doc) {
    doc.set("./cpu/@mode", "maximum"); // host-passthrough is KVM-only
    doc.remove("./cpu/cache");
    doc.remove("./features/hyperv"); // Hyper-V enlightenments are KVM features; TCG QEMU exits at once
    doc.remove("./clock/timer[@name='hypervclock']");
    doc.set("./devices/serial[@type='pty']/log/@file", serialLog.toString());
    doc.set("./devices/serial[@type='pty']/log/@append", "off");
    doc.set("./on_poweroff", "destroy");
    doc.set("./on_reboot", "destroy");
    doc.set("./on_crash", "destroy");
  }

  private void define(XmlDoc doc) throws IOException {
    Path xml = work.resolve(name + ".xml");
    Files.writeString(xml, doc.serialize());
    virsh("define", xml.toString());
  }

  private JsonNode verify() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"verify", name, "--json"}, java.io.InputStream.nullInputStream(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).as("verify exited %d: %s", code, err.toString(StandardCharsets.UTF_8)).isNotBlank();
    return new ObjectMapper().readTree(text);
  }

  private static JsonNode check(JsonNode verify, String check) {
    for (JsonNode c : verify.path("checks")) if (check.equals(c.path("name").asText())) return c;
    throw new AssertionError("verify has no check " + check + ": " + verify);
  }

  private String waitForLog(String marker, String what) throws InterruptedException {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (true) {
      String log = read(serialLog);
      if (log.contains(marker)) return log;
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": no \"" + marker + "\" on " + name + "'s serial console in "
            + BOOT_TIMEOUT.toSeconds() + " s; log: " + log);
      }
      Thread.sleep(200);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
