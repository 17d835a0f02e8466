package io.vgapass.apply;

import io.vgapass.host.EfiVarStore;
import io.vgapass.host.EfiVarStoreLayout;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds Microsoft's 2023 Secure Boot certificates (KEK 2K CA 2023 to KEK; Windows UEFI CA 2023, Microsoft UEFI
 * CA 2023 and Option ROM UEFI CA 2023 to db) beside the keys an OVMF variables file already holds, offline.
 *
 * <p>It edits the store the way edk2's own variable driver does an append write: the variable's new copy (old
 * data, then one EFI_SIGNATURE_LIST per added certificate, EFI_CERT_X509_GUID, owner Microsoft's GUID) goes
 * after the last variable, and the old copy's state becomes deleted (0x3C). Every other byte stays as it was.
 * The new copy keeps the old one's attributes (time-based authenticated: 0x27), monotonic count, public key
 * index and time stamp: an append write never lowers the time stamp, and keeping it means a later signed
 * update (dated whenever it was signed) is not refused as older than this offline edit.
 *
 * <p>A store without PK, KEK or db is refused: it is in setup mode (Secure Boot off), and enrolling a full set
 * of keys is not what this does.
 */
public final class SecureBootEnrollment {
  static final String GLOBAL_VARIABLE = "8be4df61-93ca-11d2-aa0d-00e098032b8c";
  static final String IMAGE_SECURITY_DATABASE = "d719b2cb-3d3a-4596-a3bc-dad00e67656f";
  static final String CERT_X509 = "a5c059a1-94e4-4aa7-87b5-ab155c2bf072";
  /** Microsoft's SignatureOwner GUID on the certificates it publishes for KEK and db. */
  public static final String MICROSOFT_OWNER = "77fa9abd-0359-4d32-bd60-28f4e78f784b";

  /** The certificates added, by Microsoft's name, with the DER file shipped under io/vgapass/secureboot. */
  static final Map<String, String> KEK_FILES = Map.of(
      MicrosoftCerts.KEK_2023, "kek-microsoft-corporation-kek-2k-ca-2023.der");
  static final Map<String, String> DB_FILES = Map.of(
      MicrosoftCerts.WINDOWS_2023, "db-windows-uefi-ca-2023.der",
      MicrosoftCerts.UEFI_CA_2023, "db-microsoft-uefi-ca-2023.der",
      MicrosoftCerts.OPTION_ROM_2023, "db-microsoft-option-rom-uefi-ca-2023.der");

  private SecureBootEnrollment() {}

  /**
   * What enrolling does to one file.
   *
   * @param next the file's bytes afterwards (the same bytes when nothing is missing)
   * @param addedKek the certificates added to KEK, by name
   * @param addedDb the certificates added to db, by name
   * @param after the keys the new file holds, as the parser reads them back
   */
  public record Result(byte[] next, List<String> addedKek, List<String> addedDb, SecureBootKeys after) {
    public boolean changes() {
      return !addedKek.isEmpty() || !addedDb.isEmpty();
    }
  }

  /**
   * The file with the missing 2023 certificates added. Throws {@link EfiVarStore.Malformed} for a file that is
   * not a readable store, {@link Refusal} for one it will not edit (setup mode, no room).
   */
  public static Result enroll(byte[] file) throws EfiVarStore.Malformed {
    SecureBootKeys before = EfiVarStore.keys(file);
    EfiVarStoreLayout layout = EfiVarStoreLayout.of(file);
    if (layout.live(GLOBAL_VARIABLE, "PK") == null) {
      throw new Refusal("the store holds no platform key (PK): Secure Boot is in setup mode (off) with it; start "
          + "from a Microsoft-enrolled template (OVMF_VARS_4M.ms.fd) instead");
    }
    List<String> kek = MicrosoftCerts.KEK_2023_SET.stream().filter(n -> !before.kekHas(n)).toList();
    List<String> db = MicrosoftCerts.DB_2023_SET.stream().filter(n -> !before.dbHas(n)).toList();
    if (kek.isEmpty() && db.isEmpty()) return new Result(file.clone(), List.of(), List.of(), before);
    if (!layout.freeSpaceErased(file)) {
      throw new Refusal("the store's free space is not erased (bytes other than 0xFF after the last variable): "
          + "let the firmware tidy it (start and stop the VM once) and run again");
    }
    byte[] out = file.clone();
    int free = layout.free();
    Map<String, List<String>> plan = new LinkedHashMap<>();
    if (!kek.isEmpty()) plan.put("KEK", kek);
    if (!db.isEmpty()) plan.put("db", db);
    for (Map.Entry<String, List<String>> e : plan.entrySet()) {
      String name = e.getKey();
      String vendor = name.equals("KEK") ? GLOBAL_VARIABLE : IMAGE_SECURITY_DATABASE;
      EfiVarStoreLayout.Slot old = layout.live(vendor, name);
      if (old == null) {
        throw new Refusal("the store holds a PK but no " + name + " variable: not a Microsoft-enrolled store this "
            + "can add to; start from OVMF_VARS_4M.ms.fd");
      }
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      data.write(file, old.dataAt(), old.dataSize());
      Map<String, String> files = name.equals("KEK") ? KEK_FILES : DB_FILES;
      for (String cert : e.getValue()) data.writeBytes(signatureList(der(files.get(cert))));
      byte[] variable = copyWithData(file, old, data.toByteArray());
      if (variable.length > maxVariableSize(file)) {
        throw new Refusal(name + " would be " + variable.length + " bytes, more than this firmware's limit of "
            + maxVariableSize(file) + " for one variable; use a 4 MiB OVMF (OVMF_CODE_4M / OVMF_VARS_4M)");
      }
      if (free + variable.length > layout.end()) {
        throw new Refusal("the store has " + (layout.end() - free) + " free bytes, " + name + " needs "
            + variable.length + ": let the firmware reclaim deleted variables (start and stop the VM) and run again");
      }
      System.arraycopy(variable, 0, out, free, variable.length);
      free = (free + variable.length + 3) & ~3;
      out[old.offset() + 2] = (byte) EfiVarStoreLayout.DELETED;
    }
    SecureBootKeys after = EfiVarStore.keys(out); // read back by the parser: what the file now says
    return new Result(out, kek, db, after);
  }

  /**
   * edk2's PcdMaxAuthVariableSize for OVMF: 0x2800 in the 2 MiB flash builds (128 KiB variables file), 0x8400 in
   * the 4 MiB ones (528 KiB). A larger variable would not be accepted by the firmware's own writes.
   */
  static int maxVariableSize(byte[] file) {
    return file.length <= 256 * 1024 ? 0x2800 : 0x8400;
  }

  /** The old variable's header (state added) and name with new data: what edk2 writes for an append. */
  private static byte[] copyWithData(byte[] file, EfiVarStoreLayout.Slot old, byte[] data) {
    int headerAndName = EfiVarStoreLayout.HEADER + old.nameSize();
    ByteBuffer b = ByteBuffer.allocate(headerAndName + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(file, old.offset(), headerAndName);
    b.put(2, (byte) EfiVarStoreLayout.ADDED);
    b.putInt(40, data.length);
    b.put(headerAndName, data);
    return b.array();
  }

  /** EFI_SIGNATURE_LIST with one EFI_SIGNATURE_DATA: Microsoft as owner, the DER as data. */
  static byte[] signatureList(byte[] der) {
    int entry = 16 + der.length;
    ByteBuffer b = ByteBuffer.allocate(28 + entry).order(ByteOrder.LITTLE_ENDIAN);
    b.put(guid(CERT_X509)).putInt(28 + entry).putInt(0).putInt(entry);
    b.put(guid(MICROSOFT_OWNER)).put(der);
    return b.array();
  }

  /** A GUID's bytes as EFI stores them: the first three fields little-endian, the rest as written. */
  static byte[] guid(String text) {
    String h = text.replace("-", "");
    byte[] raw = java.util.HexFormat.of().parseHex(h);
    return new byte[] {raw[3], raw[2], raw[1], raw[0], raw[5], raw[4], raw[7], raw[6], raw[8], raw[9], raw[10],
        raw[11], raw[12], raw[13], raw[14], raw[15]};
  }

  static byte[] der(String file) {
    try (InputStream in = SecureBootEnrollment.class.getResourceAsStream("/io/vgapass/secureboot/" + file)) {
      if (in == null) throw new IllegalStateException("resource io/vgapass/secureboot/" + file + " is missing");
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The journaled change for a file at {@code path} (relative to the root), or null when nothing is missing;
   * {@code prior} null when the file does not exist yet and {@code r} was made from its template.
   */
  public static HostChange.FileEdit change(String path, byte[] prior, Result r) {
    if (!r.changes()) return null;
    List<String> what = new ArrayList<>();
    r.addedKek().forEach(n -> what.add("KEK: " + n));
    r.addedDb().forEach(n -> what.add("db: " + n));
    return new HostChange.FileEdit(path, prior, r.next(), "Secure Boot: add " + String.join(", ", what));
  }
}
