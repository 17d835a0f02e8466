package io.vgapass.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/** The names Samba (and Windows clients) accept for a share and for its account. */
public final class ShareNames {
  /** Samba's invalid share-name characters (validate_net_name) plus the brackets of a section header. */
  private static final String INVALID = "%<>*?|/\\+=;:\",[]";
  private static final Set<String> RESERVED = Set.of("global", "homes", "printers", "print$", "ipc$");
  /** Windows shows share names up to 80 characters. */
  private static final int MAX = 80;

  private ShareNames() {}

  /** Why Samba would reject {@code name}, or null when it is fine. */
  public static String problem(String name) {
    if (name.isBlank()) return "is empty";
    if (!name.strip().equals(name)) return "starts or ends with a blank";
    if (name.length() > MAX) return "is longer than " + MAX + " characters";
    if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) return "is a name Samba reserves";
    for (char c : name.toCharArray()) {
      if (c < 0x20 || c == 0x7f) return "has a control character";
      if (INVALID.indexOf(c) >= 0) return "has '" + c + "', which Samba does not allow in share names";
    }
    return null;
  }

  /**
   * The dedicated account for a domain's share: a valid Unix user name of at most 32 characters, unique per exact
   * domain name. User names are lower case and short, and Samba folds their case, so the readable part alone
   * ({@code vgapass-} and the name folded to lower case, other characters as '-', cut to 15) would give Win10 and
   * win10, or "my vm" and "my-vm", one account; the first 8 hex digits of the SHA-256 of the exact name set them apart.
   */
  public static String account(String domain) {
    String d = domain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    if (d.length() > 15) d = d.substring(0, 15);
    return "vgapass-" + d + "-" + digest(domain);
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
