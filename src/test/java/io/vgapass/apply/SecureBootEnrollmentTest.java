package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.EfiCert;
import io.vgapass.host.EfiVarStore;
import io.vgapass.host.EfiVarStoreLayout;
import io.vgapass.host.MicrosoftCerts;
import io.vgapass.host.SecureBootKeys;
import io.vgapass.testing.OvmfVars;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enrolling the 2023 certificates into Debian's own Microsoft-enrolled template, read back by the parser. */
class SecureBootEnrollmentTest {
  private static final byte[] MS = OvmfVars.debian("OVMF_VARS_4M.ms.fd");

  @Test
  void addsThe2023CertificatesBesideThe2011Ones() throws Exception {
    SecureBootKeys before = EfiVarStore.keys(MS);
    SecureBootEnrollment.Result r = SecureBootEnrollment.enroll(MS);
    assertThat(r.addedKek()).containsExactly(MicrosoftCerts.KEK_2023);
    assertThat(r.addedDb()).containsExactly(MicrosoftCerts.WINDOWS_2023, MicrosoftCerts.UEFI_CA_2023,
        MicrosoftCerts.OPTION_ROM_2023);
    SecureBootKeys after = EfiVarStore.keys(r.next());
    assertThat(after.kek()).extracting(EfiCert::microsoft).contains(MicrosoftCerts.KEK_2011, MicrosoftCerts.KEK_2023);
    assertThat(after.kek()).startsWith(before.kek().toArray(EfiCert[]::new)).hasSize(before.kek().size() + 1);
    assertThat(after.db()).startsWith(before.db().toArray(EfiCert[]::new)).hasSize(before.db().size() + 3);
    assertThat(after.db()).extracting(EfiCert::microsoft).contains(MicrosoftCerts.WINDOWS_PCA_2011,
        MicrosoftCerts.UEFI_CA_2011, MicrosoftCerts.WINDOWS_2023, MicrosoftCerts.UEFI_CA_2023,
        MicrosoftCerts.OPTION_ROM_2023);
    assertThat(after.pk()).isEqualTo(before.pk());
    assertThat(after.dbx()).isEqualTo(before.dbx());
    assertThat(r.after()).isEqualTo(after);
    assertThat(r.next()).hasSameSizeAs(MS);
  }

  @Test
  void everyOtherVariableAndByteStaysAsItWas() throws Exception {
    byte[] next = SecureBootEnrollment.enroll(MS).next();
    List<EfiVarStore.Variable> was = EfiVarStore.variables(MS);
    List<EfiVarStore.Variable> now = EfiVarStore.variables(next);
    List<String> others = was.stream().filter(v -> !v.name().equals("KEK") && !v.name().equals("db"))
        .map(v -> v.vendor() + "/" + v.name() + "/" + HexFormat.of().formatHex(v.data())).toList();
    assertThat(now.stream().filter(v -> !v.name().equals("KEK") && !v.name().equals("db"))
        .map(v -> v.vendor() + "/" + v.name() + "/" + HexFormat.of().formatHex(v.data()))).containsExactlyElementsOf(others);
    // the new KEK and db start with the old data: an append
    for (String name : List.of("KEK", "db")) {
      byte[] old = data(was, name);
      byte[] neu = data(now, name);
      assertThat(Arrays.copyOf(neu, old.length)).isEqualTo(old);
    }
    // bytes differ only at the two old copies' state bytes and in the free space the new copies took
    EfiVarStoreLayout before = EfiVarStoreLayout.of(MS);
    int kekState = before.live(SecureBootEnrollment.GLOBAL_VARIABLE, "KEK").offset() + 2;
    int dbState = before.live(SecureBootEnrollment.IMAGE_SECURITY_DATABASE, "db").offset() + 2;
    for (int i = 0; i < MS.length; i++) {
      if (MS[i] == next[i] || i == kekState || i == dbState) continue;
      assertThat(i).as("byte %d changed outside the free space", i).isGreaterThanOrEqualTo(before.free());
    }
    assertThat(next[kekState]).isEqualTo((byte) 0x3C);
    assertThat(next[dbState]).isEqualTo((byte) 0x3C);
  }

  @Test
  void theNewCopiesKeepAttributesAndTimeStampAndNameMicrosoftAsOwner() throws Exception {
    byte[] next = SecureBootEnrollment.enroll(MS).next();
    EfiVarStoreLayout was = EfiVarStoreLayout.of(MS);
    EfiVarStoreLayout now = EfiVarStoreLayout.of(next);
    for (String name : List.of("KEK", "db")) {
      String vendor = name.equals("KEK") ? SecureBootEnrollment.GLOBAL_VARIABLE : SecureBootEnrollment.IMAGE_SECURITY_DATABASE;
      EfiVarStoreLayout.Slot o = was.live(vendor, name);
      EfiVarStoreLayout.Slot n = now.live(vendor, name);
      assertThat(n.offset()).isGreaterThanOrEqualTo(was.free()).isEqualTo((n.offset() + 3) & ~3);
      // attributes (4), monotonic count (8), time stamp (16), public key index (4)
      assertThat(Arrays.copyOfRange(next, n.offset() + 4, n.offset() + 36))
          .isEqualTo(Arrays.copyOfRange(MS, o.offset() + 4, o.offset() + 36));
      assertThat(ByteBuffer.wrap(next).order(ByteOrder.LITTLE_ENDIAN).getInt(n.offset() + 4)).isEqualTo(0x27);
    }
    byte[] list = SecureBootEnrollment.signatureList(SecureBootEnrollment.der("db-windows-uefi-ca-2023.der"));
    // EFI_CERT_X509_GUID, then sizes, then Microsoft's owner GUID 77fa9abd-0359-4d32-bd60-28f4e78f784b
    assertThat(HexFormat.of().formatHex(list, 0, 16)).isEqualTo("a159c0a5e494a74a87b5ab155c2bf072");
    assertThat(HexFormat.of().formatHex(list, 28, 44)).isEqualTo("bd9afa775903324dbd6028f4e78f784b");
    assertThat(ByteBuffer.wrap(list).order(ByteOrder.LITTLE_ENDIAN).getInt(16)).isEqualTo(list.length);
    assertThat(indexOf(next, list)).isPositive();
  }

  @Test
  void aSecondEnrollChangesNothing() throws Exception {
    byte[] once = SecureBootEnrollment.enroll(MS).next();
    SecureBootEnrollment.Result twice = SecureBootEnrollment.enroll(once);
    assertThat(twice.changes()).isFalse();
    assertThat(twice.next()).isEqualTo(once);
    assertThat(SecureBootEnrollment.change("x", once, twice)).isNull();
  }

  @Test
  void aStoreWithSomeOfThemGetsOnlyTheRest() throws Exception {
    byte[] some = OvmfVars.with(List.of(OvmfVars.microsoft("kek-microsoft-corporation-kek-2k-ca-2023.der")),
        List.of(OvmfVars.microsoft("db-windows-uefi-ca-2023.der")));
    SecureBootEnrollment.Result r = SecureBootEnrollment.enroll(some);
    assertThat(r.addedKek()).isEmpty();
    assertThat(r.addedDb()).containsExactly(MicrosoftCerts.UEFI_CA_2023, MicrosoftCerts.OPTION_ROM_2023);
    assertThat(r.after().db()).extracting(EfiCert::microsoft).containsExactly(MicrosoftCerts.WINDOWS_2023,
        MicrosoftCerts.UEFI_CA_2023, MicrosoftCerts.OPTION_ROM_2023);
  }

  @Test
  void aStoreWithoutKeysIsRefused() {
    assertThatThrownBy(() -> SecureBootEnrollment.enroll(OvmfVars.debian("OVMF_VARS_4M.fd")))
        .isInstanceOf(Refusal.class).hasMessageContaining("no platform key (PK)");
  }

  @Test
  void aStoreWithoutRoomIsRefusedWholeNotCut() throws Exception {
    EfiVarStoreLayout l = EfiVarStoreLayout.of(MS);
    byte[] tight = MS.clone();
    int header = 72;
    // the store ends 1000 bytes after the last variable: KEK's new copy (about 4 KiB) does not fit
    ByteBuffer.wrap(tight).order(ByteOrder.LITTLE_ENDIAN).putInt(header + 16, l.free() + 1000 - header);
    assertThatThrownBy(() -> SecureBootEnrollment.enroll(tight)).isInstanceOf(Refusal.class)
        .hasMessageContaining("1000 free bytes");
    byte[] dirty = MS.clone();
    dirty[l.free() + 100] = 0;
    assertThatThrownBy(() -> SecureBootEnrollment.enroll(dirty)).isInstanceOf(Refusal.class)
        .hasMessageContaining("not erased");
  }

  @Test
  void theVariablesStayWithinTheFirmwaresSizeLimit() throws Exception {
    byte[] next = SecureBootEnrollment.enroll(MS).next();
    EfiVarStoreLayout.Slot db = EfiVarStoreLayout.of(next).live(SecureBootEnrollment.IMAGE_SECURITY_DATABASE, "db");
    int size = EfiVarStoreLayout.HEADER + db.nameSize() + db.dataSize();
    assertThat(size).isLessThanOrEqualTo(SecureBootEnrollment.maxVariableSize(next));
    // the 2 MiB builds' limit (0x2800) holds it too
    assertThat(size).isLessThanOrEqualTo(0x2800);
  }

  @Test
  void theTwoMegabyteTemplateTakesThemWithinItsSmallerLimit() throws Exception {
    byte[] small = OvmfVars.debian("OVMF_VARS.ms.fd");
    SecureBootEnrollment.Result r = SecureBootEnrollment.enroll(small);
    assertThat(r.addedDb()).hasSize(3);
    assertThat(r.next()).hasSize(128 * 1024);
    assertThat(SecureBootEnrollment.maxVariableSize(small)).isEqualTo(0x2800);
    assertThat(r.after().kekHas(MicrosoftCerts.KEK_2023) && r.after().kekHas(MicrosoftCerts.KEK_2011)).isTrue();
    assertThat(SecureBootEnrollment.enroll(r.next()).changes()).isFalse();
  }

  private static byte[] data(List<EfiVarStore.Variable> vars, String name) {
    return vars.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow().data();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
