package io.vgapass.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The EFI option ROMs EDK2's EfiRom made (src/test/resources/io/vgapass/host/rom/README.md). */
public final class RomFixtures {
  public static final String COMPRESSED_SIGNED = "e1000-compressed-signed.rom";
  public static final String COMPRESSED_UNSIGNED = "e1000-compressed-unsigned.rom";
  public static final String UNCOMPRESSED_SIGNED = "e1000-uncompressed-signed.rom";
  public static final String SIGNER = "vgapass test option ROM signer";

  private RomFixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = RomFixtures.class.getResourceAsStream("/io/vgapass/host/rom/" + name)) {
      if (in == null) throw new IllegalStateException("no fixture " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sha256 of a PE that went into EfiRom, as the script recorded it in pe.sha256. */
  public static String peDigest(String file) {
    for (String line : new String(bytes("pe.sha256"), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[1].equals(file)) return f[0];
    }
    throw new IllegalStateException("pe.sha256 has no " + file);
  }

  public static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where the first image's EFI header says the image (compressed or not) starts. */
  public static int imageStart(byte[] rom) {
    return (rom[0x16] & 0xff) | (rom[0x17] & 0xff) << 8;
  }

  public static int imageEnd(byte[] rom) {
    int pcir = (rom[0x18] & 0xff) | (rom[0x19] & 0xff) << 8;
    return ((rom[pcir + 0x10] & 0xff) | (rom[pcir + 0x11] & 0xff) << 8) * 512;
  }
}
