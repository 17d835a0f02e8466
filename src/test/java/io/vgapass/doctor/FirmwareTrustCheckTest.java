package io.vgapass.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.OvmfVars;
import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's firmware.secureboot-keys and virt.swtpm on the b560 fixture (Debian 12) given Debian's
 * Secure Boot descriptor and real (or built) variables templates.
 */
class FirmwareTrustCheckTest {
  static final String ENROLLED = String.join("\n",
      "file usr/share/qemu/firmware/40-edk2-x86_64-secure-enrolled.json",
      "{ \"interface-types\": [ \"uefi\" ],",
      "  \"mapping\": { \"device\": \"flash\",",
      "    \"executable\": { \"filename\": \"/usr/share/OVMF/OVMF_CODE_4M.ms.fd\", \"format\": \"raw\" },",
      "    \"nvram-template\": { \"filename\": \"/usr/share/OVMF/OVMF_VARS_4M.ms.fd\", \"format\": \"raw\" } },",
      "  \"features\": [ \"acpi-s3\", \"enrolled-keys\", \"requires-smm\", \"secure-boot\" ] }",
      "end",
      "touch usr/share/OVMF/OVMF_CODE_4M.ms.fd");

  @TempDir Path tmp;

  /** The b560 host with Debian's enrolled descriptor, its .ms.fd template holding these bytes. */
  private Host host(byte[] msTemplate, String... extra) throws IOException {
    String[] lines = new String[extra.length + 1];
    lines[0] = ENROLLED;
    System.arraycopy(extra, 0, lines, 1, extra.length);
    Path root = TranscribedHosts.hostWith("b560-single-gpu", tmp, lines);
    Files.write(root.resolve("usr/share/OVMF/OVMF_VARS_4M.ms.fd"), msTemplate);
    Files.write(root.resolve("usr/share/OVMF/OVMF_VARS_4M.fd"), OvmfVars.debian("OVMF_VARS_4M.fd"));
    return HostReader.read(new SysRoot(root));
  }

  private static Finding find(Host h, String id) {
    List<Finding> all = new FirmwareTrustCheck().check(new Check.HostView(h, GpuAnalyzer.analyze(h)));
    return all.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " in " + all));
  }

  @Test
  void debiansMicrosoftTemplateWarnsThatThe2023CertificatesAreMissingAndWhatFollows() throws IOException {
    Finding f = find(host(OvmfVars.debian("OVMF_VARS_4M.ms.fd")), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.message()).contains("/usr/share/OVMF/OVMF_VARS_4M.ms.fd", "KEK: Microsoft Corporation KEK 2K CA 2023",
        "db: Windows UEFI CA 2023", "cannot take Microsoft's Secure Boot updates", "will not boot");
    assertThat(f.evidence()).contains("40-edk2-x86_64-secure-enrolled.json -> /usr/share/OVMF/OVMF_VARS_4M.ms.fd",
        "KEK [Debian UEFI Secure Boot (PK/KEK key), Microsoft Corporation KEK CA 2011]",
        "db [Microsoft Windows Production PCA 2011, Microsoft Corporation UEFI CA 2011]",
        "/usr/share/OVMF/OVMF_VARS_4M.fd: no keys");
    assertThat(f.fix()).startsWith("sudo apt install ovmf").contains("2023 keys", "vgapass firmware enroll");
  }

  @Test
  void aTemplateWithThe2023CertificatesIsOk() throws IOException {
    byte[] store = OvmfVars.with(
        List.of(OvmfVars.microsoft("kek-microsoft-corporation-kek-2k-ca-2023.der"),
            OvmfVars.microsoft("kek-MicCorKEKCA2011_2011-06-24.der")),
        List.of(OvmfVars.microsoft("db-windows-uefi-ca-2023.der"), OvmfVars.microsoft("db-microsoft-uefi-ca-2023.der"),
            OvmfVars.microsoft("db-microsoft-option-rom-uefi-ca-2023.der")));
    Finding f = find(host(store), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.OK);
    assertThat(f.evidence()).contains("KEK [Microsoft Corporation KEK 2K CA 2023, Microsoft Corporation KEK CA 2011]",
        "db [Windows UEFI CA 2023, Microsoft UEFI CA 2023, Microsoft Option ROM UEFI CA 2023]");
  }

  @Test
  void aTemplateWithOnlySomeOfThe2023CertificatesNamesTheOnesMissing() throws IOException {
    byte[] store = OvmfVars.with(List.of(OvmfVars.microsoft("kek-microsoft-corporation-kek-2k-ca-2023.der")),
        List.of(OvmfVars.microsoft("db-windows-uefi-ca-2023.der")));
    Finding f = find(host(store), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.message()).contains("db: Microsoft UEFI CA 2023", "db: Microsoft Option ROM UEFI CA 2023")
        .doesNotContain("KEK: ", "db: Windows UEFI CA 2023");
  }

  @Test
  void aKeylessTemplateBehindTheSecureBootDescriptorSaysSo() throws IOException {
    Finding f = find(host(OvmfVars.debian("OVMF_VARS_4M.fd")), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.WARNING);
    assertThat(f.message()).contains("holds no Secure Boot keys at all");
  }

  @Test
  void aDamagedTemplateIsReportedWithTheParsersReason() throws IOException {
    byte[] half = java.util.Arrays.copyOf(OvmfVars.debian("OVMF_VARS_4M.ms.fd"), 200_000);
    Finding f = find(host(half), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.message()).contains("could not read", "OVMF_VARS_4M.ms.fd");
    assertThat(f.evidence()).contains("OVMF_VARS_4M.ms.fd: unreadable (the firmware volume says 540672 bytes, the file has 200000");
  }

  @Test
  void aHugeTemplateIsNotReadIntoMemory() throws IOException {
    Path root = TranscribedHosts.hostWith("b560-single-gpu", tmp, ENROLLED);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(
        root.resolve("usr/share/OVMF/OVMF_VARS_4M.ms.fd").toFile(), "rw")) {
      f.setLength(3L * 1024 * 1024 * 1024); // sparse: 3 GiB on paper, nothing on disk
    }
    Finding f = find(HostReader.read(new SysRoot(root)), "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.evidence()).contains("OVMF_VARS_4M.ms.fd: unreadable (3221225472 bytes, larger than any variables file");
  }

  @Test
  void withoutASecureBootDescriptorWindows11WouldRunWithoutSecureBoot() throws IOException {
    Host h = TranscribedHosts.read("b560-single-gpu", tmp);
    Finding f = find(h, "firmware.secureboot-keys");
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.message()).contains("no Secure Boot capable OVMF");
    // the fixture's template is an empty placeholder: said, not hidden
    assertThat(f.evidence()).contains("/usr/share/OVMF/OVMF_VARS_4M.fd: unreadable (empty (0 bytes))");
  }

  @Test
  void swtpmIsReportedWithTheDistrosInstallCommand() throws IOException {
    assertThat(find(TranscribedHosts.read("b560-single-gpu", tmp), "virt.swtpm"))
        .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.INFO))
        .satisfies(f -> assertThat(f.fix()).isEqualTo("sudo apt install swtpm swtpm-tools"))
        .satisfies(f -> assertThat(f.evidence()).isEqualTo("usr/bin/swtpm: absent"));
    assertThat(find(TranscribedHosts.read("alderlake-hybrid", tmp), "virt.swtpm").fix())
        .isEqualTo("sudo dnf install swtpm swtpm-tools");
    Finding present = find(host(OvmfVars.debian("OVMF_VARS_4M.ms.fd"), "touch usr/bin/swtpm"), "virt.swtpm");
    assertThat(present.severity()).isEqualTo(Severity.OK);
    assertThat(present.evidence()).isEqualTo("/usr/bin/swtpm: present");
  }
}
