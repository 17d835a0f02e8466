package io.vgapass.host;

/**
 * Reads the bits of an EFI-compressed stream, most significant bit of each byte first, and refuses to read past
 * the compressed size the header declares: the encoder flushes its last bits into the stream, so a decoder that
 * needs more is reading a damaged one (EDK2 pads with zeros instead; for a hostile ROM, stopping is the safe end).
 */
final class EfiBitReader {
  private final byte[] data;
  private final int start;
  private final long limitBits;
  private long position; // bits read so far

  EfiBitReader(byte[] data, int start, int length) {
    this.data = data;
    this.start = start;
    this.limitBits = (long) length * 8;
  }

  int bit() throws EfiDecompress.DamagedStream {
    if (position >= limitBits) {
      throw new EfiDecompress.DamagedStream("the compressed stream ends before the image does");
    }
    int b = data[start + (int) (position >>> 3)] >> (7 - (int) (position & 7)) & 1;
    position++;
    return b;
  }

  /** The next {@code n} bits (at most 24) as an unsigned number, first bit highest. */
  int bits(int n) throws EfiDecompress.DamagedStream {
    int v = 0;
    for (int i = 0; i < n; i++) v = v << 1 | bit();
    return v;
  }
}
