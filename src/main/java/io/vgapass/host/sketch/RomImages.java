package io.vgapass.host.sketch;

/** Synthetic PCI expansion ROMs for fixtures: "uefi" (legacy + EFI image), "legacy", "unreadable". */
final class RomImages {
  private RomImages() {}

  static byte[] of(String kind) {
    return switch (kind) {
      case "uefi" -> concat(image(0, false), image(3, true));
      case "legacy" -> image(0, true);
      case "unreadable" -> new byte[0];
      case "garbage" -> new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
      default -> throw new IllegalArgumentException("rom must be uefi, legacy, unreadable or garbage, not " + kind);
    };
  }

  /** One 512-byte image: 55 AA signature, PCIR structure at 0x40 with its code type. */
  private static byte[] image(int codeType, boolean last) {
    byte[] b = new byte[512];
    b[0] = 0x55;
    b[1] = (byte) 0xaa;
    b[0x18] = 0x40;
    int p = 0x40;
    b[p] = 'P';
    b[p + 1] = 'C';
    b[p + 2] = 'I';
    b[p + 3] = 'R';
    b[p + 0x10] = 1; // length in 512-byte blocks
    b[p + 0x14] = (byte) codeType;
    b[p + 0x15] = (byte) (last ? 0x80 : 0);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
