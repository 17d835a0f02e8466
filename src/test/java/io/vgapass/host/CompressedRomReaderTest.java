package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.RomFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RomReader on option ROMs EDK2's EfiRom made: a compressed image's signature is read after decompressing it, the
 * same as an uncompressed one's, and a damaged stream is a DAMAGED verdict with the reason, never an exception.
 */
class CompressedRomReaderTest {

  private static OptionRom read(String fixture) {
    return RomReader.parse(RomFixtures.bytes(fixture));
  }

  @Test
  void aCompressedSignedImageIsReadAsItsUncompressedTwin() {
    OptionRom rom = read(RomFixtures.COMPRESSED_SIGNED);
    assertThat(rom.codeTypes()).containsExactly(3);
    assertThat(rom.uefiCompressed()).isTrue();
    AuthenticodeInfo sig = rom.uefiSignature();
    assertThat(sig.status()).isEqualTo(AuthenticodeInfo.Status.SIGNED);
    assertThat(sig.signatures()).singleElement().satisfies(s -> {
      assertThat(s.digestMatches()).isTrue();
      assertThat(s.signatureValid()).isTrue();
      assertThat(s.chain()).extracting(AuthenticodeInfo.Cert::subject).containsExactly(RomFixtures.SIGNER);
      assertThat(s.microsoftCa()).isNull();
    });
    assertThat(sig.intact()).isTrue();
    assertThat(sig.microsoftCas()).isEmpty();

    OptionRom plain = read(RomFixtures.UNCOMPRESSED_SIGNED);
    assertThat(plain.uefiCompressed()).isFalse();
    assertThat(plain.uefiSignature()).isEqualTo(sig);
  }

  @Test
  void aCompressedUnsignedImageIsUnsigned() {
    OptionRom rom = read(RomFixtures.COMPRESSED_UNSIGNED);
    assertThat(rom.uefiCompressed()).isTrue();
    assertThat(rom.uefiSignature().status()).isEqualTo(AuthenticodeInfo.Status.UNSIGNED);
  }

  /** The ROM with its compressed stream (from the EFI header's offset to the image's end) changed. */
  private static byte[] withStream(java.util.function.UnaryOperator<byte[]> change) {
    byte[] rom = RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED);
    int start = RomFixtures.imageStart(rom);
    byte[] stream = change.apply(Arrays.copyOfRange(rom, start, RomFixtures.imageEnd(rom)));
    byte[] out = Arrays.copyOf(rom, start + stream.length);
    System.arraycopy(stream, 0, out, start, stream.length);
    return out;
  }

  private static AuthenticodeInfo damagedVerdict(byte[] rom) {
    OptionRom r = RomReader.parse(rom);
    assertThat(r.uefiCompressed()).isTrue();
    AuthenticodeInfo sig = r.uefiSignature();
    assertThat(sig.status()).isEqualTo(AuthenticodeInfo.Status.DAMAGED);
    assertThat(sig.problem()).doesNotContain("\n");
    return sig;
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void damagedStreamsAreDamagedSignaturesWithTheReason() {
    String prefix = "the EFI-compressed image cannot be decompressed: ";
    assertThat(damagedVerdict(withStream(s -> { le(s).putInt(4, 0xffffffff); return s; })).problem())
        .isEqualTo(prefix + "the original size 4294967295 bytes is over the 16 MiB an option ROM can hold");
    assertThat(damagedVerdict(withStream(s -> { le(s).putInt(0, s.length); return s; })).problem())
        .startsWith(prefix + "the compressed size").contains("runs past");
    for (int cut : new int[] {3, 8, 500, 50_000}) { // the ROM cut short inside the stream
      assertThat(damagedVerdict(withStream(s -> Arrays.copyOf(s, cut))).problem()).startsWith(prefix);
    }
    for (int cut : new int[] {9, 500, 50_000}) { // cut short, and the header made to agree
      assertThat(damagedVerdict(withStream(s -> {
        byte[] c = Arrays.copyOf(s, cut);
        le(c).putInt(0, cut - 8);
        return c;
      })).problem()).startsWith(prefix);
    }
  }

  @Test
  void zerosDecompressToAnImageThatIsNotAPe() {
    AuthenticodeInfo sig = damagedVerdict(withStream(s -> new byte[s.length]));
    assertThat(sig.problem()).contains("no MZ header");
  }

  @Test
  void anotherCompressionTypeIsNamed() {
    byte[] rom = RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED);
    rom[0x0C] = 2;
    assertThat(damagedVerdict(rom).problem()).isEqualTo("the EFI image's compression type 2 is not the UEFI one (1)");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void flippedBytesAndRandomStreamsNeverGiveAnIntactSignatureOrAnException() {
    Random r = new Random(15);
    byte[] rom = RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED);
    int start = RomFixtures.imageStart(rom);
    for (int i = 0; i < 60; i++) {
      byte[] flipped = rom.clone();
      int at = start + 8 + r.nextInt(le(rom).getInt(start) - 1);
      flipped[at] ^= (byte) (1 + r.nextInt(255));
      AuthenticodeInfo sig = RomReader.parse(flipped).uefiSignature();
      assertThat(sig.intact()).as("flip at 0x%x", at).isFalse();
      if (sig.status() == AuthenticodeInfo.Status.DAMAGED) assertThat(sig.problem()).doesNotContain("\n");
    }
    for (int i = 0; i < 60; i++) {
      byte[] junk = withStream(s -> {
        r.nextBytes(s);
        le(s).putInt(0, s.length - 8).putInt(4, 180_000);
        return s;
      });
      AuthenticodeInfo sig = damagedVerdict(junk);
      assertThat(sig.problem()).isNotBlank();
    }
  }
}
