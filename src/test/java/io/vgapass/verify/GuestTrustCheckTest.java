package io.vgapass.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.OvmfVars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify's TPM and Secure Boot checks on a fixture root: a /proc with libvirt's swtpm command line, and the domain's
 * variable file as Debian ships it (OVMF_VARS_4M.ms.fd, Microsoft's 2011 keys) or without keys (OVMF_VARS_4M.fd).
 */
class GuestTrustCheckTest {
  private static final String UUID = "5b1c3a3e-8d2f-4b8e-9d7a-1f2e3d4c5b6a";
  private static final String NVRAM = "/var/lib/libvirt/qemu/nvram/win11_VARS.fd";

  @TempDir Path root;

  private static XmlDoc live(String tpm, String loaderSecure, String smm) {
    return XmlDoc.parse("live", """
        <domain type='kvm' id='3'>
          <name>win11</name>
          <uuid>%s</uuid>
          <memory unit='KiB'>1048576</memory>
          <os firmware='efi'>
            <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
            <firmware><feature enabled='yes' name='enrolled-keys'/><feature enabled='yes' name='secure-boot'/></firmware>
            <loader readonly='yes' %s type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>
            <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>%s</nvram>
          </os>
          <features><acpi/>%s</features>
          <devices>%s</devices>
        </domain>
        """.formatted(UUID, loaderSecure, NVRAM, smm, tpm));
  }

  private static final String TPM2 = "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/><alias name='tpm0'/></tpm>";

  private void swtpm(int pid, String... argv) throws IOException {
    Path d = Files.createDirectories(root.resolve("proc/" + pid));
    Files.write(d.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
  }

  private void nvram(byte[] content) throws IOException {
    Path f = root.resolve(NVRAM.substring(1));
    Files.createDirectories(f.getParent());
    Files.write(f, content);
  }

  private List<VerifyCheck> check(XmlDoc doc) {
    return new GuestTrustCheck(new SysRoot(root)).check(doc, "win11");
  }

  private static VerifyCheck named(List<VerifyCheck> checks, String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aRunningWindows11GuestPassesBothWithTheKeysNamed() throws IOException {
    swtpm(4242, "/usr/bin/swtpm", "socket", "--ctrl", "type=unixio,path=/run/libvirt/qemu/swtpm/3-win11-swtpm.sock,"
        + "mode=0600", "--tpmstate", "dir=/var/lib/libvirt/swtpm/" + UUID + "/tpm2,mode=0600", "--log",
        "file=/var/log/swtpm/libvirt/qemu/win11-swtpm.log", "--terminate", "--tpm2");
    swtpm(4300, "/usr/bin/swtpm", "socket", "--tpmstate", "dir=/var/lib/libvirt/swtpm/other-uuid/tpm2", "--tpm2");
    nvram(OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    List<VerifyCheck> checks = check(live(TPM2, "secure='yes'", "<smm state='on'/>"));
    assertThat(checks).extracting(VerifyCheck::name).containsExactly("tpm", "secure-boot");
    assertThat(named(checks, "tpm").passed()).as("%s", checks).isTrue();
    assertThat(named(checks, "tpm").detail()).contains("swtpm pid 4242").doesNotContain("4300");
    VerifyCheck sb = named(checks, "secure-boot");
    assertThat(sb.passed()).as(sb.detail()).isTrue();
    assertThat(sb.detail()).contains("SecureBootEnable 1").contains("Microsoft Corporation KEK CA 2011")
        .contains("Microsoft Windows Production PCA 2011").contains("Microsoft Corporation UEFI CA 2011")
        .contains("no 2023 Microsoft certificates");
  }

  @Test
  void noSwtpmATpm12OrAnotherDomainsEmulatorFail() throws IOException {
    swtpm(4300, "/usr/bin/swtpm", "socket", "--tpmstate", "dir=/var/lib/libvirt/swtpm/other-uuid/tpm2", "--tpm2");
    VerifyCheck none = named(check(live(TPM2, "", "")), "tpm");
    assertThat(none.passed()).isFalse();
    assertThat(none.detail()).contains("no swtpm process for win11");
    VerifyCheck old = named(check(live("<tpm model='tpm-tis'><backend type='emulator'/></tpm>", "", "")), "tpm");
    assertThat(old.passed()).isFalse();
    assertThat(old.detail()).contains("emulates TPM 1.2");
  }

  @Test
  void secureBootFailsWithoutTheSecureLoaderSmmOrAPlatformKey() throws IOException {
    assertThat(named(check(live("", "", "<smm state='on'/>")), "secure-boot").detail())
        .contains("without secure='yes'");
    assertThat(named(check(live("", "secure='yes'", "")), "secure-boot").detail()).contains("without SMM");
    VerifyCheck missing = named(check(live("", "secure='yes'", "<smm state='on'/>")), "secure-boot");
    assertThat(missing.passed()).isFalse();
    assertThat(missing.detail()).contains("cannot be read");
    nvram(OvmfVars.debian("OVMF_VARS_4M.fd"));
    VerifyCheck setup = named(check(live("", "secure='yes'", "<smm state='on'/>")), "secure-boot");
    assertThat(setup.passed()).isFalse();
    assertThat(setup.detail()).contains("no platform key (PK)").contains("--reset-nvram");
    nvram("not a firmware volume".getBytes(StandardCharsets.US_ASCII));
    VerifyCheck junk = named(check(live("", "secure='yes'", "<smm state='on'/>")), "secure-boot");
    assertThat(junk.passed()).isFalse();
    assertThat(junk.detail()).contains("not a readable UEFI variable store");
  }

  @Test
  void aVariableFileLinkedOutOfTheRootIsNotRead() throws IOException {
    Path outside = Files.createTempFile("vars", ".fd");
    Files.write(outside, OvmfVars.debian("OVMF_VARS_4M.ms.fd"));
    Path f = root.resolve(NVRAM.substring(1));
    Files.createDirectories(f.getParent());
    Files.createSymbolicLink(f, outside);
    try {
      VerifyCheck sb = named(check(live("", "secure='yes'", "<smm state='on'/>")), "secure-boot");
      // the link's absolute target is resolved inside the root, where no such file is
      assertThat(sb.passed()).isFalse();
      assertThat(sb.detail()).contains("cannot be read");
    } finally {
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void aDomainWithoutTpmOrSecureBootGetsNeitherCheck() {
    XmlDoc plain = XmlDoc.parse("plain", "<domain type='kvm'><name>x</name><memory>1048576</memory><os><type>hvm</type>"
        + "</os><devices/></domain>");
    assertThat(check(plain)).isEmpty();
  }
}
