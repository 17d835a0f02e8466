package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.libvirt.LibvirtJavaPort;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.share.SambaShares;
import io.vgapass.share.ShareNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vgapass share} against libvirt's test driver and a test root: the smb flow through the journal (commands
 * listed, not run, on a root other than /), the virtiofs flow through the domain engine, status, remove, and bad
 * input that changes nothing.
 */
class ShareCliTest {
  private static final String TEST = "test:///default";
  private static final String NET = "vgapass-share-cli";
  private static final String CONF = "[global]\n   workgroup = WORKGROUP\n";
  @TempDir Path tmp;
  private Path root;
  private Path dir;
  private LibvirtPort keep;

  @BeforeEach
  void host() throws IOException {
    root = tmp.resolve("root");
    Files.createDirectories(root.resolve("etc/samba"));
    Files.writeString(root.resolve(SambaShares.CONF), CONF);
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/bash\n");
    dir = tmp.resolve("Public");
    Files.createDirectories(dir);
    Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));
    // the test driver keeps its state only while a connection is open: this one spans the test
    keep = LibvirtJavaPort.open(TEST);
    if (keep.networkXml(NET).isEmpty()) {
      keep.defineNetwork("<network><name>" + NET + "</name><bridge name='vgpshare1'/>"
          + "<ip address='192.168.151.1' netmask='255.255.255.0'/></network>");
    }
  }

  @AfterEach
  void close() {
    if (keep != null) keep.close();
  }

  private CliRunner.Result share(String... args) {
    List<String> a = new java.util.ArrayList<>(List.of("share"));
    a.addAll(List.of(args));
    a.addAll(List.of("--connect", TEST));
    return CliRunner.run(a.toArray(String[]::new));
  }

  @Test
  void smbSetupStatusAndRemoveOnATestRoot() throws IOException {
    CliRunner.Result r = share("setup", "--domain", "test", "--path", dir.toString(), "--hostonly", NET, "--sysroot",
        root.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String conf = Files.readString(root.resolve(SambaShares.CONF));
    assertThat(conf).contains("   interfaces = lo vgpshare1\n", "   bind interfaces only = yes\n",
        "   server min protocol = SMB2\n", "[Public]\n", "   path = " + dir + "\n", "   guest ok = no\n",
        "   valid users = " + ShareNames.account("test") + "\n", "   force user = daemon\n",
        "   hosts allow = 127.0.0.1 192.168.151.0/24\n");
    assertThat(r.out()).contains("listed, not run (the root is not /): useradd --system",
        "password of " + ShareNames.account("test") + ": ",
        "in the guest: net use S: \\\\192.168.151.1\\Public /user:" + ShareNames.account("test") + " ");
    Path secret = root.resolve(SambaShares.secretPath("test"));
    String password = Files.readString(secret).strip();
    assertThat(r.out()).contains(password).containsOnlyOnce(password);
    assertThat(Files.getPosixFilePermissions(secret)).hasSize(2); // rw-------

    CliRunner.Result status = share("status", "--domain", "test", "--sysroot", root.toString(), "--json");
    assertThat(status.code()).as(status.err()).isZero();
    io.vgapass.testing.JsonContract.assertShape("share-status", status.out());
    assertThat(status.out()).contains("\"name\" : \"Public\"", "\"user\" : \"" + ShareNames.account("test") + "\"",
        "\"readOnly\" : false",
        "\"virtiofs\" : [ ]").doesNotContain(password);

    CliRunner.Result again = share("setup", "--domain", "test", "--path", dir.toString(), "--hostonly", NET, "--sysroot",
        root.toString());
    assertThat(again.out()).contains("already in place", "keeps its password").doesNotContain(password);

    CliRunner.Result rm = share("remove", "--domain", "test", "--sysroot", root.toString());
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(Files.readString(root.resolve(SambaShares.CONF))).isEqualTo(CONF);
    assertThat(secret).doesNotExist();
  }

  @Test
  void virtiofsGoesIntoTheDomainAndComesOut() {
    CliRunner.Result r = share("setup", "--domain", "test", "--path", dir.toString(), "--via", "virtiofs", "--name", "pub");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("added the virtiofs share pub", "mount -t virtiofs pub /mnt");
    try (LibvirtPort port = LibvirtJavaPort.open(TEST)) {
      String xml = port.domainXml("test", true);
      assertThat(xml).contains("<driver type='virtiofs'/>", "<target dir='pub'/>", "<source type='memfd'/>",
          "<access mode='shared'/>");
    }
    CliRunner.Result status = share("status", "--domain", "test", "--sysroot", root.toString());
    assertThat(status.out()).contains("virtiofs: pub -> " + dir + "\n");
    CliRunner.Result rm = share("remove", "--domain", "test", "--sysroot", root.toString());
    assertThat(rm.code()).as(rm.err()).isZero();
    try (LibvirtPort port = LibvirtJavaPort.open(TEST)) {
      assertThat(port.domainXml("test", true)).doesNotContain("virtiofs", "memfd");
    }
  }

  /**
   * Issue 16.8: Win10 and win10 each get an account of their own. The second setup creates its own account and
   * password and leaves the first's alone; each section admits only its own account; removing one takes only its
   * own account away.
   */
  @Test
  void domainsThatDifferInCaseGetAccountsOfTheirOwn() throws IOException {
    for (String name : List.of("Win10", "win10")) {
      if (keep.domain(name).isEmpty()) {
        keep.define("<domain type='test'><name>" + name + "</name><memory>65536</memory><os><type>hvm</type></os>"
            + "</domain>");
      }
    }
    Path other = Files.createDirectories(tmp.resolve("Other"));
    Files.setOwner(other, other.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));
    CliRunner.Result first = share("setup", "--domain", "Win10", "--path", dir.toString(), "--hostonly", NET, "--sysroot",
        root.toString());
    assertThat(first.code()).as(first.err()).isZero();
    CliRunner.Result second = share("setup", "--domain", "win10", "--path", other.toString(), "--hostonly", NET, "--sysroot",
        root.toString());
    assertThat(second.code()).as(second.err()).isZero();
    String big = ShareNames.account("Win10");
    String small = ShareNames.account("win10");
    assertThat(big).isNotEqualToIgnoringCase(small);
    String conf = Files.readString(root.resolve(SambaShares.CONF));
    assertThat(io.vgapass.share.SambaConf.share(conf, "Win10")).containsEntry("valid users", big);
    assertThat(io.vgapass.share.SambaConf.share(conf, "win10")).containsEntry("valid users", small);
    assertThat(second.out()).contains("useradd", "password of " + small + ": ").doesNotContain(big);
    String bigPassword = Files.readString(root.resolve(SambaShares.secretPath("Win10")));
    assertThat(Files.readString(root.resolve(SambaShares.secretPath("win10")))).isNotEqualTo(bigPassword);

    CliRunner.Result rm = share("remove", "--domain", "win10", "--sysroot", root.toString(), "--dry-run");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(rm.out()).contains("smbpasswd -c " + root.resolve(SambaShares.CONF) + " -x " + small)
        .doesNotContain(big);
  }

  @Test
  void badInputIsOneLineExitTwoAndChangesNothing() throws IOException {
    byte[] before = Files.readAllBytes(root.resolve(SambaShares.CONF));
    Files.writeString(tmp.resolve("file"), "x");
    Path evil = Files.createDirectories(tmp.resolve("x\nguest ok = yes\n[evil"));
    Path percent = Files.createDirectories(tmp.resolve("home-%U"));
    Path backslash = Files.createDirectories(tmp.resolve("ends-with\\"));
    for (Path p : List.of(percent, backslash)) {
      Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));
    }
    List<List<String>> bad = List.of(
        List.of("--domain", "test", "--path", evil.toString()),
        List.of("--domain", "nope", "--path", dir.toString()),
        List.of("--domain", "test", "--path", tmp.resolve("missing").toString()),
        List.of("--domain", "test", "--path", tmp.resolve("file").toString()),
        List.of("--domain", "test", "--path", dir.toString(), "--name", "a/b"),
        List.of("--domain", "test", "--path", dir.toString(), "--name", "global"),
        List.of("--domain", "test", "--path", dir.toString(), "--hostonly", "no-such-net"),
        List.of("--domain", "test", "--path", tmp.toString(), "--hostonly", NET),
        List.of("--domain", "test", "--path", dir.toString(), "--via", "virtiofs", "--name", "x".repeat(40)),
        List.of("--domain", "test", "--path", dir.toString(), "--via", "virtiofs", "--readonly"),
        List.of("--domain", "test", "--path", percent.toString()),
        List.of("--domain", "test", "--path", backslash.toString()),
        List.of("--domain", "te%Ust", "--path", dir.toString()));
    List<String> expected = List.of("holds a control character", "--domain nope: no such domain", "--path " + tmp.resolve("missing")
        + ": no such directory", "not a directory", "--name a/b has '/'", "--name global is a name Samba reserves",
        "--hostonly no-such-net: no such network", "belongs to root", "longer than 36 bytes",
        "--readonly: libvirt's virtiofs has no read-only mode", "--path " + percent + ": holds '%'",
        "ends with a backslash", "--domain te%Ust: holds '%'");
    for (int i = 0; i < bad.size(); i++) {
      List<String> a = new java.util.ArrayList<>(List.of("setup"));
      a.addAll(bad.get(i));
      a.addAll(List.of("--sysroot", root.toString()));
      CliRunner.Result r = share(a.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", a) + ": " + r.err()).isEqualTo(ExitCode.USAGE);
      assertThat(r.errLines()).as(String.join(" ", a)).hasSize(1);
      assertThat(r.err()).contains(expected.get(i));
    }
    assertThat(Files.readAllBytes(root.resolve(SambaShares.CONF))).isEqualTo(before);
    assertThat(root.resolve("var")).doesNotExist();
    try (LibvirtPort port = LibvirtJavaPort.open(TEST)) {
      assertThat(port.domainXml("test", true)).doesNotContain("filesystem");
    }
  }
}
