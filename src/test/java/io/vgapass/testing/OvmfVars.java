package io.vgapass.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Builds OVMF variables files with chosen certificates in KEK and db, laid out as edk2 writes them
 * (firmware volume, authenticated variable store, one X.509 signature list per variable), for the
 * stores no distro ships yet (one with Microsoft's 2023 keys). Debian's real files are the other half
 * of the evidence: {@link #debian} reads them and fails with the install command when absent.
 */
public final class OvmfVars {
  public static final int SIZE = 540672; // Debian's OVMF_VARS_4M.fd
  private static final byte[] FVH_GUID = guid(0xfff12b8d, 0x7696, 0x4c8b, "a9852747075b4f50");
  private static final byte[] AUTH_VARIABLE = guid(0xaaf32c78, 0x947b, 0x439a, "a1802e144ec37792");
  private static final byte[] GLOBAL = guid(0x8be4df61, 0x93ca, 0x11d2, "aa0d00e098032b8c");
  private static final byte[] IMAGE_DB = guid(0xd719b2cb, 0x3d3a, 0x4596, "a3bcdad00e67656f");
  private static final byte[] X509 = guid(0xa5c059a1, 0x94e4, 0x4aa7, "87b5ab155c2bf072");

  private OvmfVars() {}

  /** One of Microsoft's DER files shipped as a resource (io/vgapass/secureboot). */
  public static byte[] microsoft(String file) {
    try (InputStream in = OvmfVars.class.getResourceAsStream("/io/vgapass/secureboot/" + file)) {
      if (in == null) throw new IllegalStateException("no resource io/vgapass/secureboot/" + file);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Debian's own template (package ovmf); a missing file fails with the command that installs it. */
  public static byte[] debian(String name) {
    Path p = Path.of("/usr/share/OVMF", name);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError(p + " is missing: these tests read Debian's real templates; sudo apt install ovmf");
    }
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A variables file whose KEK and db hold these certificates (and PK the first KEK one). */
  public static byte[] with(List<byte[]> kek, List<byte[]> db) {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    Arrays.fill(b.array(), (byte) 0xff);
    b.put(0, new byte[16]).put(16, FVH_GUID).putLong(32, SIZE).putInt(40, 0x4856465F);
    b.putInt(44, 0x0004feff).putShort(48, (short) 72).putShort(50, (short) 0).putShort(52, (short) 0);
    b.put(54, (byte) 0).put(55, (byte) 2).putInt(56, 0x84).putInt(60, 0x1000).putLong(64, 0);
    int store = 72;
    int storeSize = 0x3ffb8;
    b.put(store, AUTH_VARIABLE).putInt(store + 16, storeSize).put(store + 20, (byte) 0x5a).put(store + 21, (byte) 0xfe)
        .putShort(store + 22, (short) 0).putInt(store + 24, 0);
    int at = store + 28;
    at = variable(b, at, "PK", GLOBAL, signatureList(kek.isEmpty() ? List.of() : List.of(kek.get(0))));
    at = variable(b, at, "KEK", GLOBAL, signatureList(kek));
    variable(b, at, "db", IMAGE_DB, signatureList(db));
    return b.array();
  }

  private static int variable(ByteBuffer b, int at, String name, byte[] vendor, byte[] data) {
    if (data.length == 0) return at;
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_16LE);
    b.putShort(at, (short) 0x55AA).put(at + 2, (byte) 0x3F).put(at + 3, (byte) 0).putInt(at + 4, 0x27);
    b.put(at + 8, new byte[28]); // monotonic count, time stamp, pubkey index
    b.putInt(at + 36, n.length).putInt(at + 40, data.length).put(at + 44, vendor);
    b.put(at + 60, n).put(at + 60 + n.length, data);
    return (at + 60 + n.length + data.length + 3) & ~3;
  }

  private static byte[] signatureList(List<byte[]> ders) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] der : ders) {
      // one list per certificate: DER sizes differ, and a list's entries share one size
      ByteBuffer l = ByteBuffer.allocate(28 + 16 + der.length).order(ByteOrder.LITTLE_ENDIAN);
      l.put(X509).putInt(28 + 16 + der.length).putInt(0).putInt(16 + der.length);
      l.put(GLOBAL).put(der); // owner GUID: any
      out.writeBytes(l.array());
    }
    return out.toByteArray();
  }

  private static byte[] guid(int a, int b, int c, String rest) {
    ByteBuffer g = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    g.putInt(a).putShort((short) b).putShort((short) c);
    for (int i = 0; i < 8; i++) g.put((byte) Integer.parseInt(rest.substring(2 * i, 2 * i + 2), 16));
    return g.array();
  }
}
