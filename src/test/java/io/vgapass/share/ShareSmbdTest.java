package io.vgapass.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.apply.Applier;
import io.vgapass.apply.CommandRunner;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.ProcessRunner;
import io.vgapass.apply.StepHook;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.Cmd;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real smbd (Debian's samba) on a test root of its own: its smb.conf, passdb, locks and logs all under a temporary
 * directory, on a port of its own and on loopback only. vgapass's changes are applied by the real Applier with the
 * real ProcessRunner (useradd, smbpasswd), recorded so the test can see them, and taken back by remove and by undo.
 */
class ShareSmbdTest {
  private static final int PORT = 44545;
  private static final String DOMAIN = "vgapass-share-smbd";
  /** Two domains whose names differ only in case: one account each (issue 16.8). */
  private static final String UPPER = "VgapassSmbdCase";
  private static final String LOWER = "vgapasssmbdcase";
  private static final Duration T = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private Path rootDir;
  private SysRoot root;
  private Path dir;
  private byte[] original;
  private Process smbd;
  private final List<List<String>> ran = new ArrayList<>();

  @BeforeEach
  void host() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/smbd")) && Files.isExecutable(Path.of("/usr/bin/smbclient")),
        "samba and smbclient are not installed (scripts/test-all.sh installs them)");
    assumeTrue("root".equals(System.getProperty("user.name")), "useradd needs root");
    rootDir = tmp.resolve("root");
    Path state = tmp.resolve("samba");
    for (String d : List.of("private", "lock", "state", "cache", "run", "ncalrpc")) {
      Files.createDirectories(state.resolve(d));
    }
    Files.createDirectories(rootDir.resolve("etc/samba"));
    accounts();
    original = ("# the user's own smb.conf, as Debian ships it plus what a test smbd needs\n"
        + "[global]\n"
        + "   workgroup = WORKGROUP\n"
        + "   server role = standalone server\n"
        + "   map to guest = bad user\n"
        + "   private dir = " + state.resolve("private") + "\n"
        + "   lock directory = " + state.resolve("lock") + "\n"
        + "   state directory = " + state.resolve("state") + "\n"
        + "   cache directory = " + state.resolve("cache") + "\n"
        + "   pid directory = " + state.resolve("run") + "\n"
        + "   ncalrpc dir = " + state.resolve("ncalrpc") + "\n"
        + "   log file = " + state.resolve("log.%m") + "\n"
        + "   smb ports = " + PORT + "\n"
        + "   disable netbios = yes\n"
        + "   load printers = no\n"
        + "   printing = bsd\n"
        + "   printcap name = /dev/null\n"
        + "   disable spoolss = yes\n").getBytes(StandardCharsets.UTF_8);
    Files.write(rootDir.resolve(SambaShares.CONF), original);
    root = new SysRoot(rootDir);
    dir = tmp.resolve("Share");
    Files.createDirectories(dir);
    // the folder's owner is who the share writes as; not nobody, Samba's guest account, whose sessions cannot write
    UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon");
    Files.setOwner(dir, owner);
    Files.setOwner(tmp, owner); // smbd checks the path as the forced user
    Files.writeString(tmp.resolve("client.conf"), "[global]\n");
  }

  @AfterEach
  void stop() {
    if (smbd != null && smbd.isAlive()) {
      long pid = smbd.pid();
      smbd.destroy();
      Cmd.run(T, "kill", "-KILL", "--", "-" + pid); // its children, should any be left
    }
    for (String d : List.of(DOMAIN, UPPER, LOWER)) Cmd.run(T, "userdel", ShareNames.account(d)); // a failed test's
  }

  /**
   * The commands (useradd, smbpasswd) run on this machine, so the root's /etc/passwd is a copy of the real one,
   * taken again after they ran. Not a link to it: a root resolves like a chroot, and its /etc/passwd -> /etc/passwd
   * is itself (issue 16).
   */
  private void accounts() throws IOException {
    Files.copy(Path.of("/etc/passwd"), rootDir.resolve("etc/passwd"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private SmbShare share() {
    // the bridge does not exist here: smbd serves loopback only, as it would before the network starts
    return new SmbShare(DOMAIN, "Share", dir.toString(), false, ShareNames.account(DOMAIN), "daemon",
        "lo vgpshare0", "127.0.0.1 10.251.77.0/24", "10.251.77.1");
  }

  private Applier applier() {
    CommandRunner real = new ProcessRunner();
    CommandRunner recording = new CommandRunner() {
      @Override
      public Outcome run(List<String> argv, Consumer<String> lines) throws IOException {
        ran.add(argv);
        return real.run(argv, lines);
      }

      @Override
      public boolean executes() {
        return true;
      }
    };
    return new Applier(root, recording, l -> { }, StepHook.NONE);
  }

  private String setup() throws IOException {
    SambaShares.Setup s = SambaShares.setup(root, share(), new SecureRandom());
    applier().apply(s.changes(), Map.of("command", "share setup"));
    return s.password();
  }

  private void startSmbd() throws Exception {
    // its own process group (no --no-process-group): smbd ends its children with kill(0, SIGTERM), which would
    // otherwise end the test JVM and Maven with them
    smbd = new ProcessBuilder("/usr/sbin/smbd", "--foreground", "--debug-stdout",
        "--configfile=" + rootDir.resolve(SambaShares.CONF)).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("smbd.out").toFile()).start();
    long end = System.nanoTime() + T.toNanos();
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", PORT), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("smbd did not listen on 127.0.0.1:" + PORT + ": " + Files.readString(tmp.resolve("smbd.out")));
  }

  private Cmd.Result client(String... auth) {
    return clientOn("Share", auth);
  }

  private Cmd.Result clientOn(String share, String... auth) {
    List<String> argv = new ArrayList<>(List.of("smbclient", "//127.0.0.1/" + share, "-p", String.valueOf(PORT),
        "-s", tmp.resolve("client.conf").toString()));
    argv.addAll(List.of(auth));
    argv.addAll(List.of("-c", "put " + tmp.resolve("client.conf") + " from-guest.txt; ls"));
    return Cmd.run(T, argv.toArray(String[]::new));
  }

  @Test
  void theAccountListsAndWritesOthersAreRefusedAndRemoveRestoresTheFile() throws Exception {
    String password = setup();
    String user = ShareNames.account(DOMAIN);
    Path secret = root.resolve(SambaShares.secretPath(DOMAIN));
    assertThat(Files.readString(secret)).isEqualTo(password + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    assertThat(ran).extracting(a -> a.get(0)).containsExactly("useradd", "sh");
    assertThat(String.join(" ", ran.get(1))).doesNotContain(password);
    startSmbd();

    Cmd.Result ok = client("-U", user + "%" + password);
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).as(ok.out() + ok.err()).contains("from-guest.txt").doesNotContain("NT_STATUS");
    assertThat(Files.readString(dir.resolve("from-guest.txt"))).isEqualTo("[global]\n");
    assertThat(Files.getOwner(dir.resolve("from-guest.txt")).getName()).isEqualTo("daemon");

    Cmd.Result anonymous = client("-N");
    assertThat(anonymous.exit()).isNotZero();
    assertThat(anonymous.out() + anonymous.err()).containsAnyOf("NT_STATUS_ACCESS_DENIED", "NT_STATUS_LOGON_FAILURE");
    Cmd.Result wrong = client("-U", user + "%not-" + password);
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.out() + wrong.err()).contains("NT_STATUS_LOGON_FAILURE");
    Cmd.Result smb1 = client("-U", user + "%" + password, "-m", "NT1");
    assertThat(smb1.exit()).as("SMB1 is refused").isNotZero();

    Cmd.Result ss = Cmd.run(T, "ss", "-Hltn", "sport = :" + PORT);
    assertThat(ss.out().lines().filter(l -> !l.isBlank()).toList()).isNotEmpty()
        .allMatch(l -> l.contains("127.0.0.1:" + PORT) || l.contains("[::1]:" + PORT));
    smbd.destroy();
    smbd.waitFor();

    ran.clear();
    accounts();
    List<HostChange> remove = SambaShares.remove(root, DOMAIN);
    applier().apply(remove, Map.of("command", "share remove"));
    assertThat(Files.readAllBytes(root.resolve(SambaShares.CONF))).isEqualTo(original);
    assertThat(secret).doesNotExist();
    assertThat(ran).extracting(a -> a.get(0)).containsExactly("smbpasswd", "userdel");
    assertThat(Cmd.run(T, "id", user).ok()).isFalse();
  }

  @Test
  void undoTakesTheSetupBackByteForByte() throws Exception {
    setup();
    assertThat(Files.readAllBytes(root.resolve(SambaShares.CONF))).isNotEqualTo(original);
    assertThat(Cmd.run(T, "id", ShareNames.account(DOMAIN)).ok()).isTrue();
    assertThat(applier().undo(false)).isPresent();
    assertThat(Files.readAllBytes(root.resolve(SambaShares.CONF))).isEqualTo(original);
    assertThat(root.resolve(SambaShares.secretPath(DOMAIN))).doesNotExist();
    assertThat(Cmd.run(T, "id", ShareNames.account(DOMAIN)).ok()).as("account after undo; ran %s", ran).isFalse();
  }

  /**
   * Issue 16.8 with the real smbd: VgapassSmbdCase and vgapasssmbdcase, set up one after the other, get an account
   * and password each; the second setup leaves the first's password working; each account reaches its own share and
   * not the other's; removing one takes its account and leaves the other's.
   */
  @Test
  void domainsDifferingInCaseGetAccountsOfTheirOwnAndReachOnlyTheirShare() throws Exception {
    UserPrincipal daemon = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon");
    java.util.Map<String, String> passwords = new java.util.LinkedHashMap<>();
    for (String d : List.of(UPPER, LOWER)) {
      Path folder = Files.createDirectories(tmp.resolve("dir-" + d));
      Files.setOwner(folder, daemon);
      String conf = SambaShares.latin1(Files.readAllBytes(rootDir.resolve(SambaShares.CONF)));
      SmbShare s = new SmbShare(d, d.equals(UPPER) ? "Upper" : "lower", folder.toString(), false,
          SambaShares.accountFor(conf, d), "daemon", "lo vgpshare0", "127.0.0.1 10.251.77.0/24", "10.251.77.1");
      accounts();
      SambaShares.Setup setup = SambaShares.setup(root, s, new SecureRandom());
      applier().apply(setup.changes(), Map.of("command", "share setup"));
      passwords.put(d, setup.password());
    }
    String upper = ShareNames.account(UPPER);
    String lower = ShareNames.account(LOWER);
    assertThat(upper).isNotEqualToIgnoringCase(lower);
    startSmbd();
    assertThat(clientOn("Upper", "-U", upper + "%" + passwords.get(UPPER)).exit()).as("first password still works")
        .isZero();
    assertThat(clientOn("lower", "-U", lower + "%" + passwords.get(LOWER)).exit()).isZero();
    Cmd.Result cross = clientOn("lower", "-U", upper + "%" + passwords.get(UPPER));
    assertThat(cross.exit()).as("one guest's account on the other's share").isNotZero();
    assertThat(cross.out() + cross.err()).contains("NT_STATUS_ACCESS_DENIED");
    assertThat(clientOn("Upper", "-U", lower + "%" + passwords.get(LOWER)).exit()).isNotZero();
    smbd.destroy();
    smbd.waitFor();

    accounts();
    applier().apply(SambaShares.remove(root, LOWER), Map.of("command", "share remove"));
    assertThat(Cmd.run(T, "id", lower).ok()).isFalse();
    assertThat(Cmd.run(T, "id", upper).ok()).as("the other domain's account stays").isTrue();
    accounts();
    applier().apply(SambaShares.remove(root, UPPER), Map.of("command", "share remove"));
    assertThat(Files.readAllBytes(rootDir.resolve(SambaShares.CONF))).isEqualTo(original);
  }
}
