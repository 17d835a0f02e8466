package io.vgapass.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Authenticode;
import io.vgapass.host.AuthenticodeInfo;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.testing.LabAssumptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticode reading on Debian's own signed EFI images, read from the installed packages (shim-signed,
 * grub-efi-amd64-signed: too large to ship as fixtures), cross-checked with sbsigntool's view: shim is signed by
 * Microsoft under the UEFI CA 2011, grub by Debian's own CA; a flipped byte breaks the digest; sbattach --remove
 * makes an unsigned image.
 */
class AuthenticodeDebianTest {
  @TempDir Path dir;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void shimIsSignedByMicrosoftUnderTheUefiCa2011AndThe2023One() throws Exception {
    AuthenticodeInfo a = Authenticode.read(Files.readAllBytes(KeyDumpEsp.SHIM));
    assertThat(a.status()).as(String.valueOf(a)).isEqualTo(AuthenticodeInfo.Status.SIGNED);
    // Debian's shim 16.1 (2026) carries two signatures, as sbverify --list shows: UEFI CA 2011, then 2023
    assertThat(a.signatures()).hasSize(2);
    AuthenticodeInfo.Signature first = a.signatures().get(0);
    assertThat(first.digestAlgorithm()).isEqualTo("SHA-256");
    assertThat(first.imageDigest()).isEqualTo(first.signedDigest());
    assertThat(first.digestMatches()).isTrue();
    assertThat(first.signatureValid()).isTrue();
    assertThat(first.chain().get(0).subject()).isEqualTo("Microsoft Windows UEFI Driver Publisher");
    assertThat(first.chain()).extracting(AuthenticodeInfo.Cert::issuer).contains(MicrosoftCerts.UEFI_CA_2011);
    assertThat(first.microsoftCa()).isEqualTo(MicrosoftCerts.UEFI_CA_2011);
    AuthenticodeInfo.Signature second = a.signatures().get(1);
    assertThat(second.chain().get(0).subject()).isEqualTo("Microsoft UEFI CA 2023 signer");
    assertThat(second.intact()).isTrue();
    assertThat(a.microsoftCas()).containsExactly(MicrosoftCerts.UEFI_CA_2011, MicrosoftCerts.UEFI_CA_2023);
    assertThat(a.intact()).isTrue();
  }

  @Test
  void grubIsSignedByDebianNotMicrosoft() throws Exception {
    AuthenticodeInfo g = Authenticode.read(Files.readAllBytes(KeyDumpEsp.GRUB));
    assertThat(g.status()).as(String.valueOf(g)).isEqualTo(AuthenticodeInfo.Status.SIGNED);
    AuthenticodeInfo.Signature a = g.signatures().get(0);
    assertThat(a.digestMatches()).isTrue();
    assertThat(a.signatureValid()).isTrue();
    assertThat(a.chain().get(0).subject()).startsWith("Debian Secure Boot Signer");
    assertThat(a.chain().get(0).issuer()).isEqualTo("Debian Secure Boot CA");
    assertThat(a.microsoftCa()).isNull();
    assertThat(g.microsoftCas()).isEmpty();
  }

  @Test
  void aChangedByteIsADigestMismatchAndAStrippedImageIsUnsigned() throws Exception {
    byte[] shim = Files.readAllBytes(KeyDumpEsp.SHIM);
    byte[] changed = shim.clone();
    changed[0x1000] ^= 0x01; // inside the first section
    AuthenticodeInfo c = Authenticode.read(changed);
    assertThat(c.status()).isEqualTo(AuthenticodeInfo.Status.SIGNED);
    AuthenticodeInfo.Signature a = c.signatures().get(0);
    assertThat(a.digestMatches()).isFalse();
    assertThat(a.imageDigest()).isNotEqualTo(a.signedDigest());
    assertThat(a.signedDigest()).isEqualTo(Authenticode.read(shim).signatures().get(0).signedDigest());
    assertThat(c.intact()).isFalse();
    assertThat(c.microsoftCas()).isEmpty();

    Path stripped = dir.resolve("shim-unsigned.efi");
    Files.copy(KeyDumpEsp.SHIM, stripped);
    KeyDumpEsp.run(dir, "sbattach", "--remove", stripped.toString()); // one signature at a time
    assertThat(Authenticode.read(Files.readAllBytes(stripped)).signatures()).hasSize(1);
    KeyDumpEsp.run(dir, "sbattach", "--remove", stripped.toString());
    assertThat(Authenticode.read(Files.readAllBytes(stripped)).status()).isEqualTo(AuthenticodeInfo.Status.UNSIGNED);
  }
}
