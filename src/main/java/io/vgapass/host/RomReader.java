package io.vgapass.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a PCI expansion ROM and lists the code type of each image (0 x86 BIOS, 3 EFI); for the first EFI image
 * with an EFI ROM header, reads the Authenticode signature of the PE driver it holds, decompressing it first when
 * the header says it is EFI-compressed ({@link EfiDecompress}).
 *
 * <p>The kernel hides the ROM until "1" is written to the {@code rom} file; on a live host as
 * root {@link RomDump} does that around the read. Elsewhere an empty read is "unknown".
 */
final class RomReader {
  private static final int MAX_ROM = 16 * 1024 * 1024;
  private final SysRoot root;
  private final boolean mayEnable;

  RomReader(SysRoot root, boolean mayEnable) {
    this.root = root;
    this.mayEnable = mayEnable;
  }

  OptionRom read(Path rom) {
    byte[] data = readBytes(rom);
    if (data.length == 0 && mayEnable && RomDump.applies(root, rom)) {
      try {
        data = RomDump.read(rom, this::readBytes);
      } catch (IOException e) {
        // not permitted: stays unknown
      }
    }
    if (data.length == 0) {
      return OptionRom.unknown("the ROM could not be read (run as root, with the card not in use by a VM)");
    }
    return parse(data);
  }

  private byte[] readBytes(Path p) {
    return root.bytesAt(p, MAX_ROM);
  }

  /** Reads a live ROM file for a capture of /, enabling it around the read ({@link RomDump}) when it reads empty. */
  static byte[] readEnabled(Path rom) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(rom);
    } catch (IOException e) {
      data = new byte[0]; // a disabled ROM fails the read with EINVAL rather than reading empty
    }
    if (data.length > 0 || !Files.isWritable(rom)) return data;
    return RomDump.read(rom, Files::readAllBytes);
  }

  /** Walks the chain of images: each starts with 55 AA and points at a "PCIR" data structure. */
  static OptionRom parse(byte[] data) {
    List<Integer> types = new ArrayList<>();
    AuthenticodeInfo signature = null;
    boolean compressed = false;
    boolean efiSeen = false;
    int offset = 0;
    while (offset + 0x1a <= data.length) {
      if ((data[offset] & 0xff) != 0x55 || (data[offset + 1] & 0xff) != 0xaa) break;
      int pcir = offset + u16(data, offset + 0x18);
      if (pcir + 0x18 > data.length
          || data[pcir] != 'P' || data[pcir + 1] != 'C' || data[pcir + 2] != 'I' || data[pcir + 3] != 'R') {
        break;
      }
      int lengthBlocks = u16(data, pcir + 0x10);
      types.add(data[pcir + 0x14] & 0xff);
      if ((data[pcir + 0x14] & 0xff) == 3 && !efiSeen && u16(data, offset + 4) == EFI_SIGNATURE) {
        efiSeen = true;
        int end = (int) Math.min(data.length, offset + (long) Math.max(lengthBlocks, 1) * 512);
        int pe = offset + u16(data, offset + 0x16);
        int compression = u16(data, offset + 0x0C);
        compressed = compression != 0;
        signature = pe >= end ? AuthenticodeInfo.damaged("the EFI image header points past the image")
            : compressed ? compressedSignature(data, compression, pe, end)
            : Authenticode.read(java.util.Arrays.copyOfRange(data, pe, end));
      }
      boolean last = (data[pcir + 0x15] & 0x80) != 0;
      if (last || lengthBlocks == 0) break;
      offset += lengthBlocks * 512;
    }
    if (types.isEmpty()) {
      return new OptionRom(true, List.of(), "no valid PCI expansion ROM image (bad signature)");
    }
    return new OptionRom(true, types, null, signature, compressed);
  }

  /**
   * The signature of an EFI-compressed image, read from the decompressed PE. Compression type 1 is the UEFI
   * algorithm, the only one the UEFI spec defines for option ROMs; a damaged stream is a damaged signature.
   */
  private static AuthenticodeInfo compressedSignature(byte[] data, int type, int pe, int end) {
    if (type != 1) {
      return AuthenticodeInfo.damaged("the EFI image's compression type " + type + " is not the UEFI one (1)");
    }
    try {
      return Authenticode.read(EfiDecompress.decompress(data, pe, end - pe));
    } catch (EfiDecompress.DamagedStream e) {
      return AuthenticodeInfo.damaged("the EFI-compressed image cannot be decompressed: " + e.getMessage());
    }
  }

  /** EFI_PCI_EXPANSION_ROM_HEADER.EfiSignature (0x0EF1) at offset 4 of an EFI image (the UEFI spec's 14.4.2). */
  private static final int EFI_SIGNATURE = 0x0EF1;

  private static int u16(byte[] d, int i) {
    return (d[i] & 0xff) | (d[i + 1] & 0xff) << 8;
  }
}
