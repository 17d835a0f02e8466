package io.vgapass.cli;

import io.vgapass.host.Accounts;
import io.vgapass.host.Host;
import io.vgapass.host.Printable;
import io.vgapass.host.SysRoot;
import java.util.regex.Pattern;

/** --user, or else the host's desktop user: whose session audio and Looking Glass serve. */
final class DesktopUserChoice {
  /**
   * A name as useradd accepts it (shadow-utils' default). The name lands in udev rules, tmpfiles lines and unit
   * files, so anything else, even when a damaged /etc/passwd holds it, is refused rather than quoted.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,31}\\$?");

  private DesktopUserChoice() {}

  /** The user's name; refused in one line when there is none, or --user names no account on the host. */
  static String of(SysRoot root, Host host, String user) {
    String who = user != null ? user : host.desktopUser() == null ? null : host.desktopUser().name();
    if (who == null) throw new UserError("no desktop user in /etc/passwd (uid 1000 or more): give --user NAME");
    if (!NAME.matcher(who).matches()) {
      throw new UserError((user != null ? "--user " : "the desktop user in /etc/passwd, ") + Printable.of(who)
          + ", is not a user name (letters, digits, '.', '_', '-', at most 32): give --user NAME");
    }
    if (user != null && !Accounts.hasUser(root, user)) {
      throw new UserError("--user " + user + ": no such user in /etc/passwd");
    }
    return who;
  }
}
