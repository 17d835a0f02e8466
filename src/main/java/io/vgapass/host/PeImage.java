package io.vgapass.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The parts of a PE/COFF image (an EFI application, driver or option ROM image) that Authenticode needs: where the
 * security directory (WIN_CERTIFICATE list) is, and the image's Authenticode hash: the file hashed without the
 * CheckSum field, the security directory entry and the certificate table, sections in file order (Microsoft's
 * "Windows Authenticode Portable Executable Signature Format", as sbsigntool and pesign compute it).
 *
 * <p>Every offset comes from the image and is checked against its length before use: a damaged or hostile image is
 * one {@link Malformed} with a one-line message.
 */
public final class PeImage {
  private static final int SECURITY_DIRECTORY = 4;

  private final byte[] image;
  private final int checksumAt;
  private final int securityEntryAt;
  private final int headersEnd;
  private final List<int[]> sections; // {pointerToRawData, sizeOfRawData}
  private final int certAt;
  private final int certSize;

  /** Not a PE/COFF image Authenticode can be read from. */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message);
    }
  }

  private PeImage(byte[] image, int checksumAt, int securityEntryAt, int headersEnd, List<int[]> sections,
      int certAt, int certSize) {
    this.image = image;
    this.checksumAt = checksumAt;
    this.securityEntryAt = securityEntryAt;
    this.headersEnd = headersEnd;
    this.sections = sections;
    this.certAt = certAt;
    this.certSize = certSize;
  }

  public static PeImage parse(byte[] image) throws Malformed {
    ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    if (image.length < 0x40 || image[0] != 'M' || image[1] != 'Z') throw new Malformed("no MZ header: not a PE image");
    long pe = Integer.toUnsignedLong(b.getInt(0x3C));
    if (pe + 24 > image.length || b.getInt((int) pe) != 0x00004550) {
      throw new Malformed("no PE signature at the offset the MZ header gives (" + pe + ")");
    }
    int sectionCount = Short.toUnsignedInt(b.getShort((int) pe + 6));
    int optionalSize = Short.toUnsignedInt(b.getShort((int) pe + 20));
    int opt = (int) pe + 24;
    if (opt + optionalSize > image.length || optionalSize < 96) {
      throw new Malformed("the optional header (" + optionalSize + " bytes) runs past the image");
    }
    int magic = Short.toUnsignedInt(b.getShort(opt));
    int directories;
    if (magic == 0x10b) {
      directories = opt + 96;
    } else if (magic == 0x20b) {
      directories = opt + 112;
    } else {
      throw new Malformed(String.format("optional header magic 0x%x is neither PE32 nor PE32+", magic));
    }
    if (directories > opt + optionalSize) {
      throw new Malformed("the optional header (" + optionalSize + " bytes) is too short for its kind");
    }
    long rvaCount = Integer.toUnsignedLong(b.getInt(directories - 4));
    int securityEntry = directories + SECURITY_DIRECTORY * 8;
    boolean hasEntry = rvaCount > SECURITY_DIRECTORY && securityEntry + 8 <= opt + optionalSize;
    long headers = Integer.toUnsignedLong(b.getInt(opt + 60));
    if (headers > image.length || headers < opt + optionalSize) {
      throw new Malformed("SizeOfHeaders " + headers + " is outside the image");
    }
    int table = opt + optionalSize;
    if ((long) table + 40L * sectionCount > image.length) throw new Malformed(sectionCount + " section headers run past the image");
    List<int[]> sections = new ArrayList<>();
    for (int i = 0; i < sectionCount; i++) {
      int s = table + 40 * i;
      long size = Integer.toUnsignedLong(b.getInt(s + 16));
      long at = Integer.toUnsignedLong(b.getInt(s + 20));
      if (size == 0) continue;
      if (at + size > image.length) throw new Malformed("section " + (i + 1) + " runs past the image");
      sections.add(new int[] {(int) at, (int) size});
    }
    sections.sort(Comparator.comparingInt(s -> s[0]));
    long certAt = hasEntry ? Integer.toUnsignedLong(b.getInt(securityEntry)) : 0;
    long certSize = hasEntry ? Integer.toUnsignedLong(b.getInt(securityEntry + 4)) : 0;
    if (certSize != 0 && (certAt + certSize > image.length || certAt < headers)) {
      throw new Malformed("the certificate table (" + certSize + " bytes at " + certAt + ") is outside the image");
    }
    return new PeImage(image, opt + 64, hasEntry ? securityEntry : -1, (int) headers, List.copyOf(sections),
        (int) certAt, (int) certSize);
  }

  /** True when the security directory names a certificate table. */
  public boolean signed() {
    return certSize > 0;
  }

  /**
   * The PKCS#7 SignedData blobs of the certificate table's WIN_CERTIFICATE entries of type PKCS_SIGNED_DATA
   * (revision 2.0, type 2), in order; each entry is 8-byte aligned.
   */
  public List<byte[]> signatures() throws Malformed {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    int at = certAt;
    int end = certAt + certSize;
    while (at + 8 <= end) {
      long length = Integer.toUnsignedLong(b.getInt(at));
      int type = Short.toUnsignedInt(b.getShort(at + 6));
      if (length < 8 || at + length > end) {
        throw new Malformed("a WIN_CERTIFICATE of " + length + " bytes at " + at + " runs past the certificate table");
      }
      if (type == 0x0002) out.add(java.util.Arrays.copyOfRange(image, at + 8, (int) (at + length)));
      at = (int) ((at + length + 7) & ~7L);
    }
    return out;
  }

  /** The Authenticode hash with {@code algorithm} ("SHA-256", "SHA-1"). */
  public byte[] authenticodeHash(String algorithm) throws NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance(algorithm);
    md.update(image, 0, checksumAt);
    int afterChecksum = checksumAt + 4;
    if (securityEntryAt >= 0) {
      md.update(image, afterChecksum, securityEntryAt - afterChecksum);
      md.update(image, securityEntryAt + 8, headersEnd - securityEntryAt - 8);
    } else {
      md.update(image, afterChecksum, headersEnd - afterChecksum);
    }
    int hashed = headersEnd;
    for (int[] s : sections) {
      md.update(image, s[0], s[1]);
      hashed = Math.max(hashed, s[0] + s[1]);
    }
    // whatever follows the last section, up to the certificate table (or the end), is hashed too
    int end = certSize > 0 ? certAt : image.length;
    if (end > hashed) md.update(image, hashed, end - hashed);
    return md.digest();
  }
}
