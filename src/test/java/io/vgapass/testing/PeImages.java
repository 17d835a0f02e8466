package io.vgapass.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Small PE32+ images built here (an EFI driver's layout: MZ header, PE header, one .text section), unsigned, and
 * PCI option ROMs holding one as their EFI image: what vgapass builds itself to show what "unsigned" looks like.
 */
public final class PeImages {
  private PeImages() {}

  /** 1 KiB: headers in the first 512 bytes, a .text section of 512 bytes after them. */
  public static byte[] unsigned() {
    ByteBuffer b = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3C, 0x40);
    b.putInt(0x40, 0x00004550); // "PE\0\0"
    int coff = 0x44;
    b.putShort(coff, (short) 0x8664).putShort(coff + 2, (short) 1).putShort(coff + 16, (short) 240)
        .putShort(coff + 18, (short) 0x2022);
    int opt = coff + 20;
    b.putShort(opt, (short) 0x20b); // PE32+
    b.putInt(opt + 16, 0x1000); // AddressOfEntryPoint
    b.putInt(opt + 32, 0x1000).putInt(opt + 36, 0x200); // section and file alignment
    b.putInt(opt + 56, 0x2000).putInt(opt + 60, 0x200); // SizeOfImage, SizeOfHeaders
    b.putShort(opt + 68, (short) 11); // EFI boot service driver
    b.putInt(opt + 108, 16); // NumberOfRvaAndSizes; all directories empty (no certificate table)
    int section = opt + 240;
    b.put(section, ".text".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.putInt(section + 8, 0x200).putInt(section + 12, 0x1000).putInt(section + 16, 0x200).putInt(section + 20, 0x200);
    b.putInt(section + 36, 0x60000020);
    for (int i = 0x200; i < 0x400; i++) b.put(i, (byte) (i * 7));
    return b.array();
  }

  /** A legacy image, then an EFI image (EFI ROM header, PCIR, the PE at 0x200); {@code compressed} sets type 1. */
  public static byte[] romWithEfiImage(byte[] pe, boolean compressed) {
    int efiBlocks = (0x200 + pe.length + 511) / 512;
    ByteBuffer b = ByteBuffer.allocate(512 + efiBlocks * 512).order(ByteOrder.LITTLE_ENDIAN);
    pcir(b, 0, 0, 1, false);
    int e = 512;
    b.putShort(e + 2, (short) efiBlocks).putInt(e + 4, 0x0EF1).putShort(e + 8, (short) 11)
        .putShort(e + 10, (short) 0x8664).putShort(e + 12, (short) (compressed ? 1 : 0)).putShort(e + 0x16, (short) 0x200);
    pcir(b, e, 3, efiBlocks, true);
    b.put(e + 0x200, pe);
    return b.array();
  }

  private static void pcir(ByteBuffer b, int at, int codeType, int blocks, boolean last) {
    b.put(at, (byte) 0x55).put(at + 1, (byte) 0xaa).putShort(at + 0x18, (short) 0x40);
    int p = at + 0x40;
    b.put(p, (byte) 'P').put(p + 1, (byte) 'C').put(p + 2, (byte) 'I').put(p + 3, (byte) 'R');
    b.putShort(p + 0x10, (short) blocks).put(p + 0x14, (byte) codeType).put(p + 0x15, (byte) (last ? 0x80 : 0));
  }
}
