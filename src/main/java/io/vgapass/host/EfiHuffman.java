package io.vgapass.host;

/**
 * One canonical Huffman code of the EFI compression format: codes are given out shortest first and, within a
 * length, in symbol order (EDK2's MakeTable builds the same code as a lookup table). A code is either a single
 * symbol read with no bits (the stream's "only one symbol" form) or a complete prefix code of at most 16 bits.
 */
final class EfiHuffman {
  static final int MAX_BITS = 16;
  private final int single; // the one symbol, or -1
  private final int[] count; // codes of each length
  private final int[] symbols; // in canonical order

  private EfiHuffman(int single, int[] count, int[] symbols) {
    this.single = single;
    this.count = count;
    this.symbols = symbols;
  }

  static EfiHuffman single(int symbol, int alphabet, String set) throws EfiDecompress.DamagedStream {
    if (symbol >= alphabet) {
      throw new EfiDecompress.DamagedStream("the " + set + " set names symbol " + symbol + " of " + alphabet);
    }
    return new EfiHuffman(symbol, null, null);
  }

  /** From the code length of each symbol (0: unused); refuses an incomplete or oversubscribed code. */
  static EfiHuffman of(int[] lengths, String set) throws EfiDecompress.DamagedStream {
    int[] count = new int[MAX_BITS + 1];
    for (int len : lengths) {
      if (len > MAX_BITS) throw new EfiDecompress.DamagedStream("a " + set + " code is longer than 16 bits");
      count[len]++;
    }
    long space = 0; // in units of 2^-16 of the code space
    for (int len = 1; len <= MAX_BITS; len++) space += (long) count[len] << (MAX_BITS - len);
    if (space != 1L << MAX_BITS) {
      throw new EfiDecompress.DamagedStream("the " + set + " code lengths do not make a complete prefix code");
    }
    int[] offset = new int[MAX_BITS + 2];
    for (int len = 1; len <= MAX_BITS; len++) offset[len + 1] = offset[len] + count[len];
    int[] symbols = new int[offset[MAX_BITS + 1]];
    for (int s = 0; s < lengths.length; s++) {
      if (lengths[s] != 0) symbols[offset[lengths[s]]++] = s;
    }
    count[0] = 0;
    return new EfiHuffman(-1, count, symbols);
  }

  int decode(EfiBitReader in) throws EfiDecompress.DamagedStream {
    if (single >= 0) return single;
    int code = 0;
    int first = 0;
    int index = 0;
    for (int len = 1; len <= MAX_BITS; len++) {
      code |= in.bit();
      int n = count[len];
      if (code - first < n) return symbols[index + code - first];
      index += n;
      first = (first + n) << 1;
      code <<= 1;
    }
    // unreachable for a complete code; kept so a bug cannot read past the symbols
    throw new EfiDecompress.DamagedStream("a code is not in the table");
  }
}
