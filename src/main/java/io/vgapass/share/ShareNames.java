package io.vgapass.share;

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

  /** The dedicated account for a domain's share: a valid Unix user name of at most 32 characters. */
  public static String account(String domain) {
    String d = domain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    String u = "vgapass-" + d;
    return u.length() > 32 ? u.substring(0, 32) : u;
  }
}
