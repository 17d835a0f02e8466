package io.vgapass.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decompresses the UEFI compression format (the UEFI spec's "Compression Algorithm Specification"; EDK2's
 * BaseUefiDecompressLib, version 1) that an option ROM's EFI image may be stored in: an 8-byte header (compressed
 * size, original size, both UINT32 little-endian), then blocks of LZ77 symbols coded with canonical Huffman codes
 * the block header carries. Only the EFI parameters (a 13-bit window, 4-bit position set size): option ROMs use
 * no other; firmware volumes' Tiano variant is not read.
 *
 * <p>A ROM image is hostile input: the original size is bounded by the 16 MiB a ROM can hold, reads stay inside
 * the declared compressed size and the buffer, every code table is checked to be a complete prefix code, every
 * match to point inside what has been written. Each symbol writes at least one byte, so the work is bounded by the
 * original size. Anything wrong is a {@link DamagedStream} with a one-line reason.
 */
final class EfiDecompress {
  /** The most an option ROM (and so the image inside it) can hold. */
  static final int MAX_ORIGINAL = 16 * 1024 * 1024;
  private static final int HEADER = 8;
  private static final int NC = 0xff + 256 + 2 - 3; // characters 0-255 and match lengths 3-256
  private static final int CBIT = 9;
  private static final int NT = 16 + 3; // code lengths 0-16 and three run-of-zeros codes
  private static final int TBIT = 5;
  private static final int NP = 13 + 1; // window of 2^13 bytes: position classes 0-13
  private static final int PBIT = 4;
  private static final int MIN_MATCH = 3;

  private EfiDecompress() {}

  /** The stream cannot be decompressed; the message is one line naming what is wrong. */
  static final class DamagedStream extends Exception {
    DamagedStream(String message) {
      super(message);
    }
  }

  /** The original bytes of the compressed stream at {@code data[offset, offset + length)}. */
  static byte[] decompress(byte[] data, int offset, int length) throws DamagedStream {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException("range outside the buffer");
    }
    if (length < HEADER) {
      throw new DamagedStream("the compressed header is cut short (" + length + " of 8 bytes)");
    }
    ByteBuffer header = ByteBuffer.wrap(data, offset, HEADER).order(ByteOrder.LITTLE_ENDIAN);
    long compressed = Integer.toUnsignedLong(header.getInt(offset));
    long original = Integer.toUnsignedLong(header.getInt(offset + 4));
    if (original > MAX_ORIGINAL) {
      throw new DamagedStream("the original size " + original + " bytes is over the 16 MiB an option ROM can hold");
    }
    if (compressed > length - HEADER) {
      throw new DamagedStream("the compressed size " + compressed + " bytes runs past the image's "
          + (length - HEADER) + " bytes of stream");
    }
    byte[] out = new byte[(int) original];
    EfiBitReader in = new EfiBitReader(data, offset + HEADER, (int) compressed);
    int pos = 0;
    int blockLeft = 0;
    EfiHuffman chars = null;
    EfiHuffman positions = null;
    while (pos < out.length) {
      if (blockLeft == 0) {
        blockLeft = in.bits(16);
        if (blockLeft == 0) blockLeft = 0x10000; // EDK2's 16-bit counter wraps; its encoder never writes 0
        EfiHuffman extra = readPtLengths(in, NT, TBIT, 3, "code length");
        chars = readCharLengths(in, extra);
        positions = readPtLengths(in, NP, PBIT, -1, "position");
      }
      blockLeft--;
      int c = chars.decode(in);
      if (c < 256) {
        out[pos++] = (byte) c;
        continue;
      }
      int len = c - 256 + MIN_MATCH;
      int distance = position(in, positions) + 1;
      if (distance > pos) {
        throw new DamagedStream("a match at byte " + pos + " reaches " + distance + " bytes back, before the start");
      }
      int end = Math.min(out.length, pos + len); // EDK2 stops a match at the original size too
      for (; pos < end; pos++) out[pos] = out[pos - distance];
    }
    return out;
  }

  /** A match's distance minus one: a position class, then that many minus one extra bits. */
  private static int position(EfiBitReader in, EfiHuffman positions) throws DamagedStream {
    int c = positions.decode(in);
    return c <= 1 ? c : (1 << (c - 1)) + in.bits(c - 1);
  }

  /**
   * The code lengths of the extra (code length) set or the position set: 3 bits each, 7 and above as 7 plus a run
   * of 1 bits ended by a 0; in the extra set, a 2-bit run of zero lengths follows the third.
   */
  private static EfiHuffman readPtLengths(EfiBitReader in, int n, int nbit, int special, String set)
      throws DamagedStream {
    int number = in.bits(nbit);
    if (number == 0) return EfiHuffman.single(in.bits(nbit), n, set);
    if (number > n) throw new DamagedStream("the " + set + " set lists " + number + " lengths for " + n + " symbols");
    int[] lengths = new int[n];
    int i = 0;
    while (i < number) {
      int len = in.bits(3);
      if (len == 7) {
        while (in.bit() == 1) {
          if (++len > EfiHuffman.MAX_BITS) throw new DamagedStream("a " + set + " code is longer than 16 bits");
        }
      }
      lengths[i++] = len;
      if (i == special) {
        for (int zeros = in.bits(2); zeros > 0 && i < n; zeros--) lengths[i++] = 0;
      }
    }
    return EfiHuffman.of(lengths, set);
  }

  /** The character and length set's code lengths, each coded with the extra set: 0-2 are runs of zero lengths. */
  private static EfiHuffman readCharLengths(EfiBitReader in, EfiHuffman extra) throws DamagedStream {
    String set = "character and length";
    int number = in.bits(CBIT);
    if (number == 0) return EfiHuffman.single(in.bits(CBIT), NC, set);
    if (number > NC) throw new DamagedStream("the " + set + " set lists " + number + " lengths for " + NC + " symbols");
    int[] lengths = new int[NC];
    int i = 0;
    while (i < number) {
      int c = extra.decode(in);
      if (c > 2) {
        lengths[i++] = c - 2;
        continue;
      }
      int zeros = c == 0 ? 1 : c == 1 ? in.bits(4) + 3 : in.bits(CBIT) + 20;
      for (; zeros > 0 && i < NC; zeros--) lengths[i++] = 0;
    }
    return EfiHuffman.of(lengths, set);
  }
}
