package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.PeImages;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Authenticode reading on images built here: unsigned, and damaged in each way a hostile file can be. Debian's
 * signed shim and grub are read by the integration test (io.vgapass.it.AuthenticodeDebianTest).
 */
class AuthenticodeTest {
  private static final int SECURITY_ENTRY = 0x58 + 112 + 4 * 8; // optional header + data directories + entry 4

  @Test
  void anImageBuiltHereIsUnsigned() throws Exception {
    AuthenticodeInfo a = Authenticode.read(PeImages.unsigned());
    assertThat(a.status()).isEqualTo(AuthenticodeInfo.Status.UNSIGNED);
    assertThat(a.signatures()).isEmpty();
    assertThat(a.intact()).isFalse();
    assertThat(PeImage.parse(PeImages.unsigned()).signed()).isFalse();
  }

  @Test
  void theHashLeavesOutTheChecksumAndTheCertificateEntryButNotTheCode() throws Exception {
    byte[] pe = PeImages.unsigned();
    byte[] h = PeImage.parse(pe).authenticodeHash("SHA-256");
    byte[] checksum = pe.clone();
    ByteBuffer.wrap(checksum).order(ByteOrder.LITTLE_ENDIAN).putInt(0x58 + 64, 0x12345678);
    assertThat(PeImage.parse(checksum).authenticodeHash("SHA-256")).isEqualTo(h);
    byte[] code = pe.clone();
    code[0x300] ^= 1;
    assertThat(PeImage.parse(code).authenticodeHash("SHA-256")).isNotEqualTo(h);
    byte[] header = pe.clone();
    header[0x44 + 4] ^= 1; // the COFF time stamp is hashed
    assertThat(PeImage.parse(header).authenticodeHash("SHA-256")).isNotEqualTo(h);
  }

  @Test
  void garbageAndTruncatedImagesAreDamagedInOneLine() {
    byte[] junk = new byte[4096];
    new java.util.Random(5).nextBytes(junk);
    AuthenticodeInfo g = Authenticode.read(junk);
    assertThat(g.status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    assertThat(g.problem()).contains("no MZ header").doesNotContain("\n");
    AuthenticodeInfo t = Authenticode.read(Arrays.copyOf(PeImages.unsigned(), 0x100));
    assertThat(t.status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    assertThat(t.problem()).containsAnyOf("runs past the image", "outside the image");
    assertThat(Authenticode.read(new byte[0]).status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    // a PE32+ optional header cut to PE32's minimum: its data directories would lie past it
    byte[] shortHeader = PeImages.unsigned();
    ByteBuffer.wrap(shortHeader).order(ByteOrder.LITTLE_ENDIAN).putShort(0x44 + 16, (short) 96);
    assertThat(Authenticode.read(shortHeader).problem()).contains("too short for its kind");
  }

  @Test
  void aCertificateTableOutsideTheImageOrHoldingJunkIsDamaged() {
    byte[] past = PeImages.unsigned();
    ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putInt(SECURITY_ENTRY, 0x300).putInt(SECURITY_ENTRY + 4, 0x7ffffff0);
    assertThat(Authenticode.read(past).problem()).contains("certificate table").contains("outside the image");

    // a WIN_CERTIFICATE of type PKCS_SIGNED_DATA whose body is not PKCS#7
    byte[] junk = Arrays.copyOf(PeImages.unsigned(), 0x400 + 64);
    ByteBuffer b = ByteBuffer.wrap(junk).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(SECURITY_ENTRY, 0x400).putInt(SECURITY_ENTRY + 4, 64);
    b.putInt(0x400, 64).putShort(0x404, (short) 0x0200).putShort(0x406, (short) 0x0002);
    for (int i = 0x408; i < junk.length; i++) junk[i] = (byte) (i * 13);
    AuthenticodeInfo a = Authenticode.read(junk);
    assertThat(a.status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    assertThat(a.problem()).startsWith("the signature is not readable PKCS#7").doesNotContain("\n");

    // a WIN_CERTIFICATE whose length runs past the table
    b.putInt(0x400, 4096);
    assertThat(Authenticode.read(junk).problem()).contains("runs past the certificate table");
  }

  @Test
  void anOptionRomsEfiImageIsFoundAndRead() {
    OptionRom rom = RomReader.parse(PeImages.romWithEfiImage(PeImages.unsigned(), false));
    assertThat(rom.codeTypes()).containsExactly(0, 3);
    assertThat(rom.uefiCompressed()).isFalse();
    assertThat(rom.uefiSignature().status()).isEqualTo(AuthenticodeInfo.Status.UNSIGNED);
    // a PE stored as is under a header that says "compressed": the PE's first bytes are no compressed header
    OptionRom compressed = RomReader.parse(PeImages.romWithEfiImage(PeImages.unsigned(), true));
    assertThat(compressed.uefiCompressed()).isTrue();
    assertThat(compressed.uefiSignature().status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    assertThat(compressed.uefiSignature().problem()).startsWith("the EFI-compressed image cannot be decompressed");
  }
}
