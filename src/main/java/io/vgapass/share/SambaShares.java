package io.vgapass.share;

import io.vgapass.apply.HostChange;
import io.vgapass.host.Accounts;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The host changes of a Samba share, all through the host journal so {@code share remove} and {@code host undo}
 * take them back: the password file (root-only), the share's Unix account (Samba maps every login to one; no home,
 * no shell), its Samba password, and smb.conf. Commands name files as they lie under the root, so a test root's own
 * smb.conf and passdb are the ones a test's smbd reads.
 */
public final class SambaShares {
  public static final String CONF = "etc/samba/smb.conf";
  public static final String SECRETS = "var/lib/vgapass/shares";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private SambaShares() {}

  /** What setup changes; {@code password} is null when the domain's account already exists and keeps its own. */
  public record Setup(List<HostChange> changes, String password, String secretFile) {}

  public static String secretPath(String domain) {
    return SECRETS + "/" + domain + ".password";
  }

  /** A password of 20 letters and digits (about 116 bits), none that a shell or {@code net use} would trip on. */
  public static String newPassword(SecureRandom random) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return b.toString();
  }

  /**
   * The account a domain's share logs in with. A share already in smb.conf keeps the account its section names
   * ({@code valid users}), so shares made by earlier versions keep working; a new share gets
   * {@link ShareNames#account}, unique per exact domain name. Earlier versions gave domains whose names differ only in
   * case or in characters a user name cannot hold (Win10, win10) one account; a section that shares its account with
   * another domain's gets its own, too.
   */
  public static String accountFor(String conf, String domain) {
    String current = SambaConf.share(conf, domain).get("valid users");
    if (current != null && !current.isBlank() && othersUsing(conf, domain, current).isEmpty()) return current;
    return ShareNames.account(domain);
  }

  /** The other domains whose vgapass share logs in with {@code account} (Samba folds user names' case). */
  static List<String> othersUsing(String conf, String domain, String account) {
    List<String> out = new ArrayList<>();
    for (String d : SambaConf.domains(conf)) {
      if (!d.equals(domain) && account.equalsIgnoreCase(SambaConf.share(conf, d).get("valid users"))) out.add(d);
    }
    return out;
  }

  /** {@code s.user()} must be {@link #accountFor} the domain. */
  public static Setup setup(SysRoot root, SmbShare s, SecureRandom random) throws IOException {
    SambaConf.check(s); // before anything is read or planned
    byte[] prior = readConf(root);
    String text = latin1(prior);
    String conflict = SambaConf.conflict(text, s);
    if (conflict != null) throw new IllegalArgumentException("/" + CONF + ": " + conflict);
    if (!s.user().equals(accountFor(text, s.domain()))) {
      throw new IllegalArgumentException("the share of " + s.domain() + " must use the account "
          + accountFor(text, s.domain()) + ", not " + s.user());
    }
    List<HostChange> changes = new ArrayList<>();
    String secret = secretPath(s.domain());
    String password = null;
    String before = SambaConf.share(text, s.domain()).get("valid users");
    boolean moving = before != null && !before.equals(s.user()); // off an account another domain shares
    if (!Files.exists(root.resolve(secret)) || moving) {
      password = newPassword(random);
      byte[] priorSecret = root.fileOrNull(secret);
      changes.add(new HostChange.FileEdit(secret, priorSecret, (password + "\n").getBytes(StandardCharsets.UTF_8),
          "the Samba password of " + s.user(), true));
      if (!hasUnixUser(root, s.user())) changes.add(addUser(s.user()));
      changes.add(setPassword(root, s.user(), secret));
    }
    if (moving) {
      // the shared account stays with the other domain; its password is set again from that domain's file, since
      // this domain's earlier setup may have changed it
      for (String other : othersUsing(text, s.domain(), before)) {
        if (Files.exists(root.resolve(secretPath(other)))) {
          HostChange.Command set = setPassword(root, before, secretPath(other));
          changes.add(HostChange.Command.regenerator("the Samba password of " + before + " from " + other
              + "'s file, which another domain's setup had changed", false, set.argv().toArray(String[]::new)));
          break;
        }
      }
    }
    byte[] next = SambaConf.add(text, s).getBytes(StandardCharsets.ISO_8859_1);
    if (!Arrays.equals(prior, next)) {
      changes.add(new HostChange.FileEdit(CONF, prior, next, "Samba share [" + s.name() + "] for " + s.domain()));
    }
    return new Setup(changes, password, secret);
  }

  /**
   * The changes that take the domain's share, account and password file away (empty when it has none). The account
   * is the one the domain's section names; one that another domain's share also logs in with (made by an earlier
   * version) stays.
   */
  public static List<HostChange> remove(SysRoot root, String domain) throws IOException {
    byte[] prior = readConf(root);
    String text = latin1(prior);
    List<HostChange> changes = new ArrayList<>();
    byte[] next = SambaConf.remove(text, domain).getBytes(StandardCharsets.ISO_8859_1);
    if (!Arrays.equals(prior, next)) {
      changes.add(new HostChange.FileEdit(CONF, prior, next, "remove the Samba share of " + domain));
    }
    String secret = secretPath(domain);
    if (Files.exists(root.resolve(secret))) {
      String named = SambaConf.share(text, domain).get("valid users");
      String user = named != null && !named.isBlank() ? named : ShareNames.account(domain);
      if (othersUsing(text, domain, user).isEmpty()) {
        // undo runs these backwards: the password file comes back first, then the account, then its password
        changes.add(HostChange.Command.reversible("remove the Samba account " + user,
            List.of("smbpasswd", "-c", root.resolve(CONF).toString(), "-x", user),
            setPassword(root, user, secret).argv()));
        if (hasUnixUser(root, user)) {
          changes.add(HostChange.Command.reversible("remove the share's Unix account " + user,
              List.of("userdel", user), addUser(user).argv()));
        }
      }
      changes.add(new HostChange.FileEdit(secret, root.fileOrNull(secret), null,
          "the Samba password of " + user, true));
    }
    return changes;
  }

  static HostChange.Command addUser(String user) {
    return HostChange.Command.reversible("the share's Unix account " + user + " (no home, no login shell)",
        List.of("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
            "/usr/sbin/nologin", "--comment", "vgapass file share", user),
        List.of("userdel", user));
  }

  /**
   * smbpasswd reads the password from standard input only (twice, as a new password and its confirmation); the
   * password comes from the root-only file so it never appears on a command line or in the journal's commands.
   */
  static HostChange.Command setPassword(SysRoot root, String user, String secret) {
    String conf = root.resolve(CONF).toString();
    return HostChange.Command.reversible("the Samba password of " + user,
        List.of("sh", "-c", "p=$(cat \"$1\") && printf '%s\\n%s\\n' \"$p\" \"$p\" | smbpasswd -c \"$2\" -s -a \"$3\"",
            "sh", root.resolve(secret).toString(), conf, user),
        List.of("smbpasswd", "-c", conf, "-x", user));
  }

  static boolean hasUnixUser(SysRoot root, String user) throws IOException {
    return Accounts.hasUser(root, user);
  }

  public static byte[] readConf(SysRoot root) throws IOException {
    byte[] b = root.fileOrNull(CONF);
    if (b == null) {
      throw new IllegalArgumentException("/" + CONF + " does not exist: install Samba first (apt install samba, "
          + "dnf install samba, pacman -S samba)");
    }
    return b;
  }

  public static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
