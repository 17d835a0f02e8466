package io.vgapass.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Microsoft's public Secure Boot certificates, recognised by the SHA-256 of their DER. The DER files
 * ship as resources (io/vgapass/secureboot, with Microsoft's BSD-2-Clause-Patent notice) so that the
 * fingerprints are computed from the published files, not copied by hand.
 */
public final class MicrosoftCerts {
  public static final String KEK_2011 = "Microsoft Corporation KEK CA 2011";
  public static final String KEK_2023 = "Microsoft Corporation KEK 2K CA 2023";
  public static final String WINDOWS_PCA_2011 = "Microsoft Windows Production PCA 2011";
  public static final String WINDOWS_2023 = "Windows UEFI CA 2023";
  public static final String UEFI_CA_2011 = "Microsoft Corporation UEFI CA 2011";
  public static final String UEFI_CA_2023 = "Microsoft UEFI CA 2023";
  public static final String OPTION_ROM_2023 = "Microsoft Option ROM UEFI CA 2023";

  /** The 2023 certificates a store needs to take Microsoft's updates and boot media signed under the new CAs. */
  public static final List<String> KEK_2023_SET = List.of(KEK_2023);
  public static final List<String> DB_2023_SET = List.of(WINDOWS_2023, UEFI_CA_2023, OPTION_ROM_2023);

  private static final List<String> FILES = List.of(
      "kek-MicCorKEKCA2011_2011-06-24.der", "kek-microsoft-corporation-kek-2k-ca-2023.der",
      "db-MicWinProPCA2011_2011-10-19.der", "db-windows-uefi-ca-2023.der",
      "db-MicCorUEFCA2011_2011-06-27.der", "db-microsoft-uefi-ca-2023.der",
      "db-microsoft-option-rom-uefi-ca-2023.der");

  private static final Map<String, String> BY_SHA256 = load();

  private MicrosoftCerts() {}

  /** The certificate's name when the fingerprint is one of Microsoft's, else null. */
  public static String name(String sha256) {
    return BY_SHA256.get(sha256);
  }

  /** All known fingerprints and names (for tests and documentation). */
  public static Map<String, String> all() {
    return Map.copyOf(BY_SHA256);
  }

  /** Each certificate's DER, by name, read from the shipped files: for checking a signature chain against them. */
  public static Map<String, byte[]> ders() {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    for (String f : FILES) {
      try (InputStream in = MicrosoftCerts.class.getResourceAsStream("/io/vgapass/secureboot/" + f)) {
        if (in == null) throw new IllegalStateException("resource io/vgapass/secureboot/" + f + " is missing");
        byte[] der = in.readAllBytes();
        out.put(EfiVarStore.certificate(der, false).subjectCn(), der);
      } catch (IOException | EfiVarStore.Malformed e) {
        throw new IllegalStateException("resource io/vgapass/secureboot/" + f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Map<String, String> load() {
    Map<String, String> out = new HashMap<>();
    for (String f : FILES) {
      try (InputStream in = MicrosoftCerts.class.getResourceAsStream("/io/vgapass/secureboot/" + f)) {
        if (in == null) throw new IllegalStateException("resource io/vgapass/secureboot/" + f + " is missing");
        EfiCert c = EfiVarStore.certificate(in.readAllBytes(), false);
        out.put(c.sha256(), c.subjectCn());
      } catch (IOException | EfiVarStore.Malformed e) {
        throw new IllegalStateException("resource io/vgapass/secureboot/" + f + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
