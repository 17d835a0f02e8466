package io.vgapass.share;

import io.vgapass.apply.HostChange;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
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

  public static Setup setup(SysRoot root, SmbShare s, SecureRandom random) throws IOException {
    byte[] prior = readConf(root);
    String text = latin1(prior);
    String conflict = SambaConf.conflict(text, s);
    if (conflict != null) throw new IllegalArgumentException("/" + CONF + ": " + conflict);
    List<HostChange> changes = new ArrayList<>();
    String secret = secretPath(s.domain());
    String password = null;
    if (!Files.exists(root.resolve(secret))) {
      password = newPassword(random);
      changes.add(new HostChange.FileEdit(secret, null, (password + "\n").getBytes(StandardCharsets.UTF_8),
          "the Samba password of " + s.user(), true));
      if (!hasUnixUser(root, s.user())) changes.add(addUser(s.user()));
      changes.add(setPassword(root, s.user(), secret));
    }
    byte[] next = SambaConf.add(text, s).getBytes(StandardCharsets.ISO_8859_1);
    if (!java.util.Arrays.equals(prior, next)) {
      changes.add(new HostChange.FileEdit(CONF, prior, next, "Samba share [" + s.name() + "] for " + s.domain()));
    }
    return new Setup(changes, password, secret);
  }

  /** The changes that take the domain's share, account and password file away (empty when it has none). */
  public static List<HostChange> remove(SysRoot root, String domain) throws IOException {
    byte[] prior = readConf(root);
    String text = latin1(prior);
    List<HostChange> changes = new ArrayList<>();
    byte[] next = SambaConf.remove(text, domain).getBytes(StandardCharsets.ISO_8859_1);
    if (!java.util.Arrays.equals(prior, next)) {
      changes.add(new HostChange.FileEdit(CONF, prior, next, "remove the Samba share of " + domain));
    }
    String secret = secretPath(domain);
    if (Files.exists(root.resolve(secret))) {
      String user = ShareNames.account(domain);
      // undo runs these backwards: the password file comes back first, then the account, then its password
      changes.add(HostChange.Command.reversible("remove the Samba account " + user,
          List.of("smbpasswd", "-c", root.resolve(CONF).toString(), "-x", user),
          setPassword(root, user, secret).argv()));
      if (hasUnixUser(root, user)) {
        changes.add(HostChange.Command.reversible("remove the share's Unix account " + user,
            List.of("userdel", user), addUser(user).argv()));
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
    if (!Files.exists(root.resolve("etc/passwd"))) return false;
    return root.lines("etc/passwd").stream().anyMatch(l -> l.startsWith(user + ":"));
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
