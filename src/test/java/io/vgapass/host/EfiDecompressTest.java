package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.RomFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The UEFI decompressor on option ROMs EDK2's own EfiRom compressed (-ec): it gives back the PE that went in, byte
 * for byte, and refuses damaged streams in one line, quickly.
 */
class EfiDecompressTest {

  private static byte[] decompressFirstImage(byte[] rom) throws EfiDecompress.DamagedStream {
    int start = RomFixtures.imageStart(rom);
    return EfiDecompress.decompress(rom, start, RomFixtures.imageEnd(rom) - start);
  }

  /** The compressed stream of a fixture, with its 8-byte header. */
  private static byte[] stream(String fixture) {
    byte[] rom = RomFixtures.bytes(fixture);
    int start = RomFixtures.imageStart(rom);
    return Arrays.copyOfRange(rom, start, RomFixtures.imageEnd(rom));
  }

  @Test
  void edk2sCompressedImagesGiveBackThePesThatWentIn() throws Exception {
    byte[] unsigned = decompressFirstImage(RomFixtures.bytes(RomFixtures.COMPRESSED_UNSIGNED));
    assertThat(RomFixtures.sha256(unsigned)).isEqualTo(RomFixtures.peDigest("e1000.efi"));
    byte[] signed = decompressFirstImage(RomFixtures.bytes(RomFixtures.COMPRESSED_SIGNED));
    assertThat(RomFixtures.sha256(signed)).isEqualTo(RomFixtures.peDigest("e1000-signed.efi"));
    // and the same bytes the uncompressed ROM of the same signed image holds
    byte[] plain = RomFixtures.bytes(RomFixtures.UNCOMPRESSED_SIGNED);
    int start = RomFixtures.imageStart(plain);
    assertThat(Arrays.copyOfRange(plain, start, start + signed.length)).isEqualTo(signed);
    assertThat(signed.length).isGreaterThan(unsigned.length);
  }

  @Test
  void theHeaderSaysHowLongTheOriginalIs() throws Exception {
    byte[] s = stream(RomFixtures.COMPRESSED_UNSIGNED);
    ByteBuffer b = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(decompressFirstImage(RomFixtures.bytes(RomFixtures.COMPRESSED_UNSIGNED))).hasSize(b.getInt(4));
    assertThat(b.getInt(0) + 8).isLessThanOrEqualTo(s.length);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aTruncatedStreamIsRefusedWhereverItIsCut() {
    byte[] s = stream(RomFixtures.COMPRESSED_SIGNED);
    int compressed = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    // EfiCompress ends the stream with a zero byte it counts in the compressed size: the last byte with bits is one
    // before it, so the last cut takes that off
    for (int cut : new int[] {0, 3, 7, 8, 9, 12, 100, 4096, compressed / 2, compressed + 6}) {
      // as the ROM cut it: the header still claims the whole stream
      byte[] cutShort = Arrays.copyOf(s, cut);
      assertThatThrownBy(() -> EfiDecompress.decompress(cutShort, 0, cutShort.length))
          .isInstanceOf(EfiDecompress.DamagedStream.class)
          .hasMessageContainingAll(cut < 8 ? "header is cut short" : "runs past")
          .message().doesNotContain("\n");
      if (cut < 8) continue;
      // and with the header made to agree: the bits run out before the original size is reached
      byte[] agreeing = cutShort.clone();
      ByteBuffer.wrap(agreeing).order(ByteOrder.LITTLE_ENDIAN).putInt(0, cut - 8);
      assertThatThrownBy(() -> EfiDecompress.decompress(agreeing, 0, agreeing.length))
          .isInstanceOf(EfiDecompress.DamagedStream.class)
          .message().doesNotContain("\n");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aFlippedByteInTheBitStreamIsRefusedOrGivesOtherBytes() throws Exception {
    byte[] s = stream(RomFixtures.COMPRESSED_SIGNED);
    String original = RomFixtures.peDigest("e1000-signed.efi");
    int refused = 0;
    for (int at : new int[] {8, 9, 10, 11, 20, 50, 1000, 30000, 90000}) {
      byte[] flipped = s.clone();
      flipped[at] ^= 0x5a;
      try {
        byte[] out = EfiDecompress.decompress(flipped, 0, flipped.length);
        assertThat(RomFixtures.sha256(out)).as("flip at %d", at).isNotEqualTo(original);
      } catch (EfiDecompress.DamagedStream e) {
        assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
        refused++;
      }
    }
    assertThat(refused).as("flips in the block header's code tables are refused").isPositive();
  }

  @Test
  void sizesThatCannotBeAreRefusedBeforeAnythingIsRead() {
    byte[] s = stream(RomFixtures.COMPRESSED_UNSIGNED);
    byte[] huge = s.clone();
    ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0xffffffff); // 4 GiB less one byte
    assertThatThrownBy(() -> EfiDecompress.decompress(huge, 0, huge.length))
        .hasMessage("the original size 4294967295 bytes is over the 16 MiB an option ROM can hold");
    byte[] over = s.clone();
    ByteBuffer.wrap(over).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 16 * 1024 * 1024 + 1);
    assertThatThrownBy(() -> EfiDecompress.decompress(over, 0, over.length)).hasMessageContaining("over the 16 MiB");
    byte[] past = s.clone();
    ByteBuffer.wrap(past).order(ByteOrder.LITTLE_ENDIAN).putInt(0, s.length - 7);
    assertThatThrownBy(() -> EfiDecompress.decompress(past, 0, past.length))
        .hasMessage("the compressed size " + (s.length - 7) + " bytes runs past the image's " + (s.length - 8)
            + " bytes of stream");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void allZerosAreOneRepeatedZeroByteAndRandomBitsAreRefusedOrSomethingElse() throws Exception {
    // zeros are a valid stream: every set is "only one symbol", symbol 0, so the output is zeros
    byte[] zeros = new byte[4096];
    assertThat(EfiDecompress.decompress(zeros, 0, zeros.length)).isEmpty();
    ByteBuffer.wrap(zeros).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 4088).putInt(4, 100_000);
    byte[] out = EfiDecompress.decompress(zeros, 0, zeros.length);
    assertThat(out).hasSize(100_000).containsOnly((byte) 0);

    Random r = new Random(15);
    int refused = 0;
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[8 + r.nextInt(20_000)];
      r.nextBytes(junk);
      if (i % 2 == 0) { // half with a header that passes, so the bit stream itself is read
        ByteBuffer.wrap(junk).order(ByteOrder.LITTLE_ENDIAN).putInt(0, junk.length - 8).putInt(4, r.nextInt(1 << 20));
      }
      try {
        EfiDecompress.decompress(junk, 0, junk.length);
      } catch (EfiDecompress.DamagedStream e) {
        assertThat(e.getMessage()).doesNotContain("\n");
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(190);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aTinyStreamClaimingSixteenMebibytesIsBoundedByThatSize() throws Exception {
    // 2 KB of zeros that, legitimately, say "16 MiB of zeros" (256 blocks of 65536 one-byte symbols at no bits
    // each, 52 bits of block header each): the bound on the original size bounds the work
    byte[] s = new byte[2048];
    ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 2040).putInt(4, EfiDecompress.MAX_ORIGINAL);
    assertThat(EfiDecompress.decompress(s, 0, s.length)).hasSize(EfiDecompress.MAX_ORIGINAL);
  }
}
