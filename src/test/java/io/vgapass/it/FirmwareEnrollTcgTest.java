package io.vgapass.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.OvmfVars;
import io.vgapass.testing.TinyGuest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vgapass firmware enroll, proven by the firmware itself: Microsoft's 2023 certificates are enrolled into a copy of
 * Debian's OVMF_VARS_4M.ms.fd (under a root of its own, so the journal is the test's), a TCG QEMU boots that file
 * with Secure Boot enforced (q35, SMM, secure pflash, OVMF_CODE_4M.ms.fd) through Debian's Microsoft-signed chain
 * (shim → grub → signed kernel), and the guest prints KEK and db as efivarfs gives them. Every enrolled certificate
 * must be in what the guest printed, the old ones too, and the kernel must report Secure Boot on. Then host undo
 * puts the file back byte for byte. QEMU is run directly, as LAB-NOTES proved it: libvirt adds nothing here.
 */
class FirmwareEnrollTcgTest {
  private static final Path CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.ms.fd");
  private static final String VARS = "var/lib/libvirt/qemu/nvram/win11_VARS.fd";
  private static final Map<String, String> ENROLLED = Map.of(
      MicrosoftCerts.KEK_2023, "kek-microsoft-corporation-kek-2k-ca-2023.der",
      MicrosoftCerts.WINDOWS_2023, "db-windows-uefi-ca-2023.der",
      MicrosoftCerts.UEFI_CA_2023, "db-microsoft-uefi-ca-2023.der",
      MicrosoftCerts.OPTION_ROM_2023, "db-microsoft-option-rom-uefi-ca-2023.der");
  @TempDir Path dir;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void theFirmwareSeesThe2023CertificatesTheSignedChainBootsAndUndoRestoresTheFile() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("proc"));
    Path vars = root.resolve(VARS);
    Files.createDirectories(vars.getParent());
    byte[] original = OvmfVars.debian("OVMF_VARS_4M.ms.fd");
    Files.write(vars, original);

    String[] enroll = {"firmware", "enroll", "--sysroot", root.toString(), "--vars", "/" + VARS};
    String out = cli(0, enroll);
    assertThat(out).contains("added to KEK: " + MicrosoftCerts.KEK_2023);
    byte[] enrolled = Files.readAllBytes(vars);
    SecureBootKeys parsed = EfiVarStore.keys(enrolled);
    assertThat(parsed.kekHas(MicrosoftCerts.KEK_2023) && parsed.kekHas(MicrosoftCerts.KEK_2011)).isTrue();

    TinyGuest guest = TinyGuest.locate();
    String kver = guest.kernel().toRealPath().getFileName().toString().replaceFirst("^vmlinuz-?", "");
    Path efivarfs = TinyGuest.DEFAULT_CACHE.resolve("modules-" + kver + "/efivarfs.ko");
    Path esp = KeyDumpEsp.build(Files.createDirectories(dir.resolve("esp")), guest.kernel(), efivarfs);
    long t0 = System.nanoTime();
    String serial = boot(vars, esp);
    System.out.printf("firmware enroll: signed chain booted on the enrolled store in %d s%n",
        (System.nanoTime() - t0) / 1_000_000_000L);

    // the chain booted with Secure Boot enforced, on the enrolled file
    assertThat(serial).as(tail(serial)).contains("secureboot: Secure boot enabled").contains(KeyDumpEsp.END);
    Map<String, byte[]> seen = KeyDumpEsp.parse(serial);
    assertThat(seen.get("SecureBoot")).as(tail(serial)).hasSize(5);
    assertThat(seen.get("SecureBoot")[4]).as("SecureBoot = 1").isEqualTo((byte) 1);
    byte[] kek = seen.get("KEK");
    byte[] db = seen.get("db");
    assertThat(kek).as("KEK as the guest read it").isNotNull();
    assertThat(db).as("db as the guest read it").isNotNull();
    for (Map.Entry<String, String> c : ENROLLED.entrySet()) {
      byte[] der = OvmfVars.microsoft(c.getValue());
      byte[] where = c.getValue().startsWith("kek-") ? kek : db;
      assertThat(indexOf(where, der)).as("%s (whole DER) in the guest's %s", c.getKey(),
          c.getValue().startsWith("kek-") ? "KEK" : "db").isPositive();
      assertThat(new String(where, StandardCharsets.ISO_8859_1)).contains(c.getKey());
    }
    // the old keys stay beside them
    assertThat(indexOf(kek, OvmfVars.microsoft("kek-MicCorKEKCA2011_2011-06-24.der"))).isPositive();
    assertThat(indexOf(db, OvmfVars.microsoft("db-MicCorUEFCA2011_2011-06-27.der"))).isPositive();
    assertThat(indexOf(db, OvmfVars.microsoft("db-MicWinProPCA2011_2011-10-19.der"))).isPositive();

    byte[] afterBoot = Files.readAllBytes(vars);
    if (java.util.Arrays.equals(afterBoot, enrolled)) {
      cli(0, "host", "undo", "--yes", "--sysroot", root.toString());
    } else {
      // the firmware wrote to the file while it ran (its boot entries): undo says so and changes nothing ...
      CliRunner.Result refused = CliRunner.run("host", "undo", "--yes", "--sysroot", root.toString());
      assertThat(refused.code()).isEqualTo(2);
      assertThat(refused.err()).contains("/" + VARS + " was changed after vgapass wrote it");
      assertThat(Files.readAllBytes(vars)).isEqualTo(afterBoot);
      // ... and --force restores the bytes from before the enroll
      cli(0, "host", "undo", "--yes", "--force", "--sysroot", root.toString());
    }
    assertThat(sha256(Files.readAllBytes(vars))).isEqualTo(sha256(original));
  }

  /** Boots QEMU (TCG) on the variables file and the ESP; returns the serial console. */
  private String boot(Path vars, Path esp) throws Exception {
    Path log = dir.resolve("serial.log");
    List<String> argv = List.of("qemu-system-x86_64", "-accel", "tcg", "-machine", "q35,smm=on",
        "-global", "driver=cfi.pflash01,property=secure,value=on", "-m", "512", "-smp", "1",
        "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
        "-drive", "if=pflash,format=raw,unit=1,file=" + vars,
        "-drive", "if=none,id=esp,format=raw,file=" + esp, "-device", "virtio-blk-pci,drive=esp",
        "-display", "none", "-monitor", "none", "-serial", "file:" + log, "-no-reboot", "-net", "none");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true)
        .redirectOutput(dir.resolve("qemu.out").toFile()).start();
    try {
      if (!p.waitFor(420, TimeUnit.SECONDS)) {
        throw new AssertionError("the guest did not power off within 420 s; serial: " + tail(read(log)));
      }
    } finally {
      p.destroyForcibly();
    }
    return read(log);
  }



  private static String cli(int expected, String... args) {
    CliRunner.Result c = CliRunner.run(args);
    assertThat(c.code()).as(String.join(" ", args) + ": " + c.out() + c.err()).isEqualTo(expected);
    return c.out();
  }

  private static String read(Path p) throws java.io.IOException {
    return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "";
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
