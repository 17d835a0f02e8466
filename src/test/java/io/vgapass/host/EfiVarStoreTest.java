package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The variable store parser on Debian's own OVMF templates (package ovmf, installed by the CI script; a
 * missing file fails the test with the command that installs it) and on broken inputs made from them.
 */
class EfiVarStoreTest {
  static final Path MS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
  static final Path BLANK = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");

  static byte[] debian(Path p) throws IOException {
    assertThat(p).as("%s comes from Debian's ovmf package: sudo apt install ovmf", p).isRegularFile();
    return Files.readAllBytes(p);
  }

  @Test
  void debiansMicrosoftTemplateHoldsThe2011KeysAndNoneOf2023() throws Exception {
    SecureBootKeys k = EfiVarStore.keys(debian(MS));
    assertThat(k.pk()).hasSize(1);
    assertThat(k.pk().get(0).microsoft()).isNull(); // Debian's own platform key, not Microsoft's
    assertThat(k.kek()).extracting(EfiCert::microsoft).contains(MicrosoftCerts.KEK_2011)
        .doesNotContain(MicrosoftCerts.KEK_2023);
    assertThat(k.db()).extracting(EfiCert::microsoft)
        .containsExactlyInAnyOrder(MicrosoftCerts.WINDOWS_PCA_2011, MicrosoftCerts.UEFI_CA_2011);
    assertThat(k.kekHas(MicrosoftCerts.KEK_2023)).isFalse();
    assertThat(k.dbHas(MicrosoftCerts.WINDOWS_2023)).isFalse();
    EfiCert kek2011 = k.kek().stream().filter(c -> MicrosoftCerts.KEK_2011.equals(c.microsoft())).findFirst().get();
    assertThat(kek2011.subjectCn()).isEqualTo(MicrosoftCerts.KEK_2011);
    assertThat(kek2011.notAfter()).isEqualTo("2026-06-24");
    assertThat(kek2011.issuer()).contains("Microsoft");
    assertThat(kek2011.sha256()).hasSize(64).matches("[0-9a-f]+");
    assertThat(k.dbx()).isPositive(); // Debian enrolls a revocation list with the keys
    assertThat(k.empty()).isFalse();
  }

  @Test
  void debiansBlankTemplateHoldsNoKeys() throws Exception {
    SecureBootKeys k = EfiVarStore.keys(debian(BLANK));
    assertThat(k.empty()).isTrue();
    assertThat(EfiVarStore.variables(debian(BLANK))).extracting(EfiVarStore.Variable::name)
        .doesNotContain("PK", "KEK", "db");
  }

  @Test
  void variablesHaveTheirUtf16NamesAndVendors() throws Exception {
    assertThat(EfiVarStore.variables(debian(MS))).extracting(EfiVarStore.Variable::name)
        .contains("PK", "KEK", "db", "dbx");
  }

  @Test
  void microsoftsSevenCertificatesAreKnownByFingerprint() {
    assertThat(MicrosoftCerts.all().values()).containsExactlyInAnyOrder(MicrosoftCerts.KEK_2011,
        MicrosoftCerts.KEK_2023, MicrosoftCerts.WINDOWS_PCA_2011, MicrosoftCerts.WINDOWS_2023,
        MicrosoftCerts.UEFI_CA_2011, MicrosoftCerts.UEFI_CA_2023, MicrosoftCerts.OPTION_ROM_2023);
  }

  @Test
  void aStoreWithThe2023CertificatesIsRecognised() throws Exception {
    byte[] store = io.vgapass.testing.OvmfVars.with(
        java.util.List.of(io.vgapass.testing.OvmfVars.microsoft("kek-microsoft-corporation-kek-2k-ca-2023.der")),
        java.util.List.of(io.vgapass.testing.OvmfVars.microsoft("db-windows-uefi-ca-2023.der"),
            io.vgapass.testing.OvmfVars.microsoft("db-microsoft-option-rom-uefi-ca-2023.der")));
    SecureBootKeys k = EfiVarStore.keys(store);
    assertThat(k.kekHas(MicrosoftCerts.KEK_2023)).isTrue();
    assertThat(k.pk()).extracting(EfiCert::microsoft).containsExactly(MicrosoftCerts.KEK_2023);
    assertThat(k.db()).extracting(EfiCert::microsoft)
        .containsExactly(MicrosoftCerts.WINDOWS_2023, MicrosoftCerts.OPTION_ROM_2023);
    assertThat(k.db()).extracting(EfiCert::notAfter).containsExactly("2035-06-13", "2038-10-26");
  }

  @Test
  void aTruncatedFileIsOneError() throws Exception {
    byte[] half = Arrays.copyOf(debian(MS), debian(MS).length / 2);
    assertThatThrownBy(() -> EfiVarStore.keys(half)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("truncated").message().doesNotContain("\n");
    assertThatThrownBy(() -> EfiVarStore.keys(new byte[10])).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("too short");
  }

  @Test
  void garbageIsOneError() {
    byte[] junk = new byte[540672];
    new java.util.Random(7).nextBytes(junk);
    assertThatThrownBy(() -> EfiVarStore.keys(junk)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("_FVH");
  }

  @Test
  void aHugeSizeFieldIsOneErrorNotARunPastTheEnd() throws Exception {
    byte[] ms = debian(MS);
    int header = Short.toUnsignedInt(ByteBuffer.wrap(ms).order(ByteOrder.LITTLE_ENDIAN).getShort(48));
    // the store's size
    byte[] store = ms.clone();
    ByteBuffer.wrap(store).order(ByteOrder.LITTLE_ENDIAN).putInt(header + 16, 0x7fffffff);
    assertThatThrownBy(() -> EfiVarStore.keys(store)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("variable store says");
    // the first variable's data size
    byte[] data = ms.clone();
    int first = (header + 28 + 3) & ~3;
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(first + 40, 0xfffffff0);
    assertThatThrownBy(() -> EfiVarStore.keys(data)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("past the end of the store");
    // the volume's length
    byte[] volume = ms.clone();
    ByteBuffer.wrap(volume).order(ByteOrder.LITTLE_ENDIAN).putLong(32, Long.MAX_VALUE);
    assertThatThrownBy(() -> EfiVarStore.keys(volume)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageContaining("firmware volume says");
  }

  @Test
  void aSignatureListWithABadSizeIsOneError() throws Exception {
    byte[] ms = debian(MS);
    EfiVarStore.Variable kek = EfiVarStore.variables(ms).stream().filter(v -> v.name().equals("KEK")).findFirst().get();
    int at = indexOf(ms, kek.data());
    byte[] bad = ms.clone();
    ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(at + 20, 0x7ffffff0); // SignatureHeaderSize
    assertThatThrownBy(() -> EfiVarStore.keys(bad)).isInstanceOf(EfiVarStore.Malformed.class)
        .hasMessageStartingWith("KEK: signature list at byte 0 has inconsistent sizes");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
