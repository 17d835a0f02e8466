package io.vgapass.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.apply.HostChange;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.8 on a test root: which account a domain's share logs in with, for new shares, for shares made by earlier
 * versions (one account per folded name: "vgapass-win10" for both Win10 and win10), and what setup and remove do
 * about an account two domains share.
 */
class ShareAccountsTest {
  private static final String LEGACY = "vgapass-win10";
  @TempDir Path dir;
  private SysRoot root;

  @BeforeEach
  void host() throws IOException {
    Files.createDirectories(dir.resolve("etc/samba"));
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/bash\n" + LEGACY
        + ":x:998:998:vgapass file share:/nonexistent:/usr/sbin/nologin\n");
    root = new SysRoot(dir);
  }

  private static SmbShare share(String domain, String name, String user) {
    return new SmbShare(domain, name, "/home/ann/" + name, false, user, "ann", "lo virbr1",
        "127.0.0.1 192.168.150.0/24", "192.168.150.1");
  }

  /** Writes smb.conf and password files as an earlier version left them for {@code domains}. */
  private void legacy(String... domains) throws IOException {
    String conf = "[global]\n   workgroup = WORKGROUP\n";
    for (String d : domains) {
      conf = SambaConf.add(conf, share(d, name(d), LEGACY));
      Files.createDirectories(dir.resolve(SambaShares.SECRETS));
      Files.writeString(dir.resolve(SambaShares.secretPath(d)), "password-of-" + d + "\n");
    }
    Files.writeString(dir.resolve(SambaShares.CONF), conf);
  }

  /** Share names fold case in Samba too: Win10's is Upper, win10's lower. */
  private static String name(String domain) {
    return Character.isUpperCase(domain.charAt(0)) ? "Upper" : "lower";
  }

  private String conf() throws IOException {
    return Files.readString(dir.resolve(SambaShares.CONF));
  }

  private static List<String> commands(List<HostChange> changes) {
    return changes.stream().filter(c -> c instanceof HostChange.Command).map(c -> ((HostChange.Command) c).display())
        .toList();
  }

  @Test
  void aNewShareGetsTheDomainsOwnAccount() throws IOException {
    legacy();
    assertThat(SambaShares.accountFor(conf(), "Win10")).isEqualTo(ShareNames.account("Win10"));
    assertThatThrownBy(() -> SambaShares.setup(root, share("Win10", "S", LEGACY), new SecureRandom()))
        .hasMessageContaining("must use the account " + ShareNames.account("Win10"));
  }

  @Test
  void aShareOfAnEarlierVersionKeepsItsAccountAndPassword() throws IOException {
    legacy("win10");
    assertThat(SambaShares.accountFor(conf(), "win10")).isEqualTo(LEGACY);
    SambaShares.Setup again = SambaShares.setup(root, share("win10", name("win10"), LEGACY), new SecureRandom());
    assertThat(again.changes()).isEmpty();
    assertThat(again.password()).isNull();
    assertThat(commands(SambaShares.remove(root, "win10"))).anyMatch(c -> c.endsWith("-x " + LEGACY))
        .anyMatch(c -> c.equals("userdel " + LEGACY));
  }

  @Test
  void twoDomainsOnOneAccountAreSplitAndRemoveKeepsTheSharedAccount() throws IOException {
    legacy("Win10", "win10");
    String own = ShareNames.account("Win10");
    assertThat(SambaShares.accountFor(conf(), "Win10")).isEqualTo(own);
    assertThat(SambaShares.accountFor(conf(), "win10")).isEqualTo(ShareNames.account("win10"));

    // removing one of the two while they still share: its section and file go, the account the other uses stays
    List<HostChange> rm = SambaShares.remove(root, "win10");
    assertThat(commands(rm)).isEmpty();
    assertThat(rm).filteredOn(c -> c instanceof HostChange.FileEdit).extracting(c -> ((HostChange.FileEdit) c).path())
        .containsExactlyInAnyOrder(SambaShares.CONF, SambaShares.secretPath("win10"));

    // setting Win10 up again moves it to its own account with a new password; the shared account is set back to
    // the password in win10's file, which Win10's earlier setup had overwritten
    SambaShares.Setup s = SambaShares.setup(root, share("Win10", name("Win10"), own), new SecureRandom());
    assertThat(s.password()).isNotNull();
    List<String> cmds = commands(s.changes());
    assertThat(cmds).anyMatch(c -> c.startsWith("useradd ") && c.endsWith(" " + own));
    assertThat(cmds).anyMatch(c -> c.contains(root.resolve(SambaShares.secretPath("Win10")).toString())
        && c.endsWith(" " + own));
    assertThat(cmds).anyMatch(c -> c.contains(root.resolve(SambaShares.secretPath("win10")).toString())
        && c.endsWith(" " + LEGACY));
    HostChange.FileEdit secret = s.changes().stream().filter(c -> c instanceof HostChange.FileEdit f
        && f.path().equals(SambaShares.secretPath("Win10"))).map(c -> (HostChange.FileEdit) c).findFirst().get();
    assertThat(new String(secret.prior())).isEqualTo("password-of-Win10\n");
    assertThat(new String(secret.next())).isEqualTo(s.password() + "\n");
  }
}
