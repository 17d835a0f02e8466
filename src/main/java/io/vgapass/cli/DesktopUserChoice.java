package io.vgapass.cli;

import io.vgapass.host.Accounts;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;

/** --user, or else the host's desktop user: whose session audio and Looking Glass serve. */
final class DesktopUserChoice {
  private DesktopUserChoice() {}

  /** The user's name; refused in one line when there is none, or --user names no account on the host. */
  static String of(SysRoot root, Host host, String user) {
    String who = user != null ? user : host.desktopUser() == null ? null : host.desktopUser().name();
    if (who == null) throw new UserError("no desktop user in /etc/passwd (uid 1000 or more): give --user NAME");
    if (user != null && !Accounts.hasUser(root, user)) {
      throw new UserError("--user " + user + ": no such user in /etc/passwd");
    }
    return who;
  }
}
