package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RomReaderTest {
  /** A 512-byte image whose PCIR structure sits at 0x1c, as real NVIDIA ROMs place it. */
  private static byte[] image(int codeType, boolean last, int blocks) {
    byte[] b = new byte[512 * blocks];
    b[0] = 0x55;
    b[1] = (byte) 0xaa;
    b[0x18] = 0x1c;
    int p = 0x1c;
    b[p] = 'P';
    b[p + 1] = 'C';
    b[p + 2] = 'I';
    b[p + 3] = 'R';
    b[p + 0x10] = (byte) blocks;
    b[p + 0x14] = (byte) codeType;
    b[p + 0x15] = (byte) (last ? 0x80 : 0);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  @Test
  void findsTheEfiImageAfterTheLegacyOne() {
    OptionRom rom = RomReader.parse(concat(image(0, false, 2), image(3, true, 1)));
    assertThat(rom.codeTypes()).containsExactly(0, 3);
    assertThat(rom.hasUefiImage()).isTrue();
  }

  @Test
  void legacyOnlyHasNoUefi() {
    OptionRom rom = RomReader.parse(image(0, true, 1));
    assertThat(rom.hasUefiImage()).isFalse();
  }

  @Test
  void stopsAtTheLastImageFlag() {
    OptionRom rom = RomReader.parse(concat(image(0, true, 1), image(3, true, 1)));
    assertThat(rom.codeTypes()).containsExactly(0);
  }

  @Test
  void badSignatureIsReadableButEmpty() {
    OptionRom rom = RomReader.parse(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        20, 21, 22, 23, 24, 25, 26, 27, 28});
    assertThat(rom.readable()).isTrue();
    assertThat(rom.codeTypes()).isEmpty();
    assertThat(rom.hasUefiImage()).isFalse();
    assertThat(rom.note()).contains("bad signature");
  }

  @Test
  void truncatedPcirPointerDoesNotThrow() {
    byte[] b = image(3, true, 1);
    b[0x18] = (byte) 0xff;
    b[0x19] = (byte) 0x7f;
    assertThat(RomReader.parse(b).codeTypes()).isEmpty();
  }
}
