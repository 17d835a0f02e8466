package io.vgapass.host;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Reads the Secure Boot keys out of an OVMF variables file (OVMF_VARS*.fd): a firmware volume
 * (EFI_FIRMWARE_VOLUME_HEADER, "_FVH") whose first bytes after the header are an authenticated
 * variable store (edk2 MdePkg/Include/Guid/VariableFormat.h), whose PK, KEK, db and dbx variables
 * hold EFI_SIGNATURE_LISTs (ImageAuthentication.h). No Java library reads this format.
 *
 * <p>Every size and offset comes from the file, so each is checked against the bytes actually
 * there before use: a truncated, garbage or hostile file is one {@link Malformed} error, never an
 * exception of another kind or a read past the end.
 */
public final class EfiVarStore {
  /** Variable files are 128 KiB (2 MiB flash) or 528 KiB (4 MiB flash); anything past this is not one. */
  public static final int MAX_SIZE = 8 * 1024 * 1024;

  private static final String AUTHENTICATED_VARIABLE = "aaf32c78-947b-439a-a180-2e144ec37792";
  private static final String PLAIN_VARIABLE = "ddcf3616-3275-4164-98b6-fe85707ffe7d";
  private static final String GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
  private static final String IMAGE_SECURITY_DATABASE = "d719b2cb-3d3a-4596-a3bc-dad00e67656f";
  private static final String CERT_X509 = "a5c059a1-94e4-4aa7-87b5-ab155c2bf072";
  private static final String CERT_SHA256 = "c1c41626-504c-4092-aca9-41f936934328";

  private static final int FV_SIGNATURE_OFFSET = 40;
  private static final int FV_HEADER_LENGTH_OFFSET = 48;
  private static final int FV_MIN_HEADER = 56 + 8; // fixed part plus the terminating block map entry
  private static final int STORE_HEADER = 28; // GUID, Size, Format, State, two reserved fields
  private static final int VARIABLE_HEADER = 60; // AUTHENTICATED_VARIABLE_HEADER
  private static final int START_ID = 0x55AA;
  private static final int VAR_ADDED = 0x3F; // states clear bits: ADDED alone, no DELETED / IN_DELETED_TRANSITION
  private static final int SIGNATURE_LIST_HEADER = 28;

  private EfiVarStore() {}

  /** The file is not an OVMF variable store; the message is one line naming what is wrong. */
  public static final class Malformed extends Exception {
    public Malformed(String message) {
      super(message);
    }
  }

  /** One live variable: name, vendor GUID and data. */
  public record Variable(String name, String vendor, byte[] data) {}

  /** The Secure Boot keys of a variables file's content. */
  public static SecureBootKeys keys(byte[] file) throws Malformed {
    Map<String, Variable> vars = new LinkedHashMap<>();
    for (Variable v : variables(file)) vars.put(v.vendor() + "/" + v.name(), v);
    List<EfiCert> pk = new ArrayList<>();
    List<EfiCert> kek = new ArrayList<>();
    List<EfiCert> db = new ArrayList<>();
    int[] dbHashes = {0};
    int[] dbx = {0};
    signatures(vars.get(GLOBAL_VARIABLE + "/PK"), "PK", pk, new int[1], null);
    signatures(vars.get(GLOBAL_VARIABLE + "/KEK"), "KEK", kek, new int[1], null);
    signatures(vars.get(IMAGE_SECURITY_DATABASE + "/db"), "db", db, dbHashes, null);
    signatures(vars.get(IMAGE_SECURITY_DATABASE + "/dbx"), "dbx", new ArrayList<>(), new int[1], dbx);
    return new SecureBootKeys(List.copyOf(pk), List.copyOf(kek), List.copyOf(db), dbHashes[0], dbx[0]);
  }

  /** The variables of the store that are added and not being deleted, in file order. */
  public static List<Variable> variables(byte[] file) throws Malformed {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length > MAX_SIZE) throw new Malformed("larger than " + MAX_SIZE / (1024 * 1024) + " MiB: not a variables file");
    if (file.length < FV_MIN_HEADER + STORE_HEADER) {
      throw new Malformed(file.length + " bytes: too short for a firmware volume header and a variable store");
    }
    if (b.getInt(FV_SIGNATURE_OFFSET) != 0x4856465F) { // "_FVH"
      throw new Malformed("no firmware volume signature _FVH at offset 40: not an OVMF variables file (raw .fd)");
    }
    long fvLength = b.getLong(32);
    if (fvLength > file.length || fvLength < FV_MIN_HEADER + STORE_HEADER) {
      throw new Malformed("the firmware volume says " + Long.toUnsignedString(fvLength) + " bytes, the file has "
          + file.length + ": truncated or damaged");
    }
    int headerLength = Short.toUnsignedInt(b.getShort(FV_HEADER_LENGTH_OFFSET));
    if (headerLength < FV_MIN_HEADER || headerLength + STORE_HEADER > fvLength) {
      throw new Malformed("firmware volume header length " + headerLength + " is outside the volume: damaged");
    }
    String storeGuid = guid(file, headerLength);
    if (storeGuid.equals(PLAIN_VARIABLE)) {
      throw new Malformed("a variable store without authenticated variables: it cannot hold Secure Boot keys");
    }
    if (!storeGuid.equals(AUTHENTICATED_VARIABLE)) {
      throw new Malformed("no authenticated variable store after the volume header (GUID " + storeGuid + ")");
    }
    long storeSize = Integer.toUnsignedLong(b.getInt(headerLength + 16));
    if (storeSize < STORE_HEADER || headerLength + storeSize > fvLength) {
      throw new Malformed("the variable store says " + storeSize + " bytes, the volume has "
          + (fvLength - headerLength) + " after its header: truncated or damaged");
    }
    int end = (int) (headerLength + storeSize);
    List<Variable> out = new ArrayList<>();
    int at = align4(headerLength + STORE_HEADER);
    while (at + VARIABLE_HEADER <= end && Short.toUnsignedInt(b.getShort(at)) == START_ID) {
      int state = Byte.toUnsignedInt(b.get(at + 2));
      long nameSize = Integer.toUnsignedLong(b.getInt(at + 36));
      long dataSize = Integer.toUnsignedLong(b.getInt(at + 40));
      String vendor = guid(file, at + 44);
      long nameAt = at + VARIABLE_HEADER;
      // edk2's ALIGNMENT is 1 on x86 (GET_PAD_SIZE is 0): the data follows the name directly; only the
      // next header is aligned to 4 (HEADER_ALIGN), as Debian's OVMF_VARS_4M.ms.fd shows at offset 0xb6
      long dataAt = nameAt + nameSize;
      long next = dataAt + dataSize;
      if (next > end) {
        throw new Malformed("variable at offset " + at + " says name " + nameSize + " and data " + dataSize
            + " bytes, past the end of the store: truncated or damaged");
      }
      if (state == VAR_ADDED) {
        String name = new String(file, (int) nameAt, (int) nameSize, StandardCharsets.UTF_16LE);
        int nul = name.indexOf('\0');
        out.add(new Variable(nul < 0 ? name : name.substring(0, nul), vendor,
            Arrays.copyOfRange(file, (int) dataAt, (int) next)));
      }
      at = align4((int) next);
    }
    return out;
  }

  /** Appends the certificates of a signature database variable; counts SHA-256 entries (and all entries in dbx). */
  private static void signatures(Variable v, String what, List<EfiCert> certs, int[] hashes, int[] all)
      throws Malformed {
    if (v == null) return;
    ByteBuffer b = ByteBuffer.wrap(v.data()).order(ByteOrder.LITTLE_ENDIAN);
    int at = 0;
    int n = v.data().length;
    while (at < n) {
      if (at + SIGNATURE_LIST_HEADER > n) throw new Malformed(what + ": a signature list header runs past the data");
      String type = guid(v.data(), at);
      long listSize = Integer.toUnsignedLong(b.getInt(at + 16));
      long headerSize = Integer.toUnsignedLong(b.getInt(at + 20));
      long sigSize = Integer.toUnsignedLong(b.getInt(at + 24));
      long body = listSize - SIGNATURE_LIST_HEADER - headerSize;
      if (listSize < SIGNATURE_LIST_HEADER || at + listSize > n || body < 0 || sigSize <= 16
          || body % sigSize != 0) {
        throw new Malformed(what + ": signature list at byte " + at + " has inconsistent sizes (list " + listSize
            + ", header " + headerSize + ", entry " + sigSize + ")");
      }
      long entry = at + SIGNATURE_LIST_HEADER + headerSize;
      for (long e = entry; e < at + listSize; e += sigSize) {
        if (all != null) all[0]++;
        if (type.equals(CERT_X509)) {
          byte[] der = Arrays.copyOfRange(v.data(), (int) e + 16, (int) (e + sigSize));
          certs.add(certificate(der, true));
        } else if (type.equals(CERT_SHA256)) {
          hashes[0]++;
        }
      }
      at += (int) listSize;
    }
  }

  /** A DER certificate's facts; with {@code label}, Microsoft's certificates are named. */
  static EfiCert certificate(byte[] der, boolean label) throws Malformed {
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
      String subject = c.getSubjectX500Principal().getName(X500Principal.RFC2253);
      // toString names EMAILADDRESS where RFC 2253 would print its OID and a hex blob
      return new EfiCert(commonName(subject), c.getIssuerX500Principal().toString(),
          c.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate().toString(), sha,
          label ? MicrosoftCerts.name(sha) : null);
    } catch (CertificateException | ClassCastException e) {
      throw new Malformed("an X.509 entry is not a readable DER certificate (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String commonName(String rfc2253) {
    for (String part : rfc2253.split("(?<!\\\\),")) {
      if (part.startsWith("CN=")) return part.substring(3).replace("\\", "");
    }
    return rfc2253;
  }

  /** The GUID at {@code at} in its text form (the first three fields are little-endian). */
  static String guid(byte[] b, int at) {
    HexFormat h = HexFormat.of();
    StringBuilder s = new StringBuilder();
    for (int i = 3; i >= 0; i--) s.append(h.toHexDigits(b[at + i]));
    s.append('-').append(h.toHexDigits(b[at + 5])).append(h.toHexDigits(b[at + 4]));
    s.append('-').append(h.toHexDigits(b[at + 7])).append(h.toHexDigits(b[at + 6]));
    s.append('-').append(h.formatHex(b, at + 8, at + 10)).append('-').append(h.formatHex(b, at + 10, at + 16));
    return s.toString();
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }
}
