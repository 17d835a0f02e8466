package io.vgapass.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.Cases;
import io.vgapass.testing.Gen;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ShareSambaConfTest {
  /** The head of Debian 12's own smb.conf (comments trimmed). */
  static final String DEBIAN = """
      [global]
         workgroup = WORKGROUP
      ;   interfaces = 127.0.0.0/8 eth0
      ;   bind interfaces only = yes
         log file = /var/log/samba/log.%m
         server role = standalone server
         map to guest = bad user

      [printers]
         comment = All Printers
         browseable = no
      """;

  static SmbShare share(String domain, String name) {
    return new SmbShare(domain, name, "/home/ann/Share", false, ShareNames.account(domain), "ann", "lo virbr1",
        "127.0.0.1 192.168.150.0/24", "192.168.150.1");
  }

  @Test
  void addsHostOnlyGlobalsAfterTheUsersAndTheShareAtTheEnd() {
    String t = SambaConf.add(DEBIAN, share("win10", "Share"));
    assertThat(t).isEqualTo("""
        [global]
           workgroup = WORKGROUP
        ;   interfaces = 127.0.0.0/8 eth0
        ;   bind interfaces only = yes
           log file = /var/log/samba/log.%m
           server role = standalone server
           map to guest = bad user

        # >>> vgapass: Samba serves only loopback and the host-only network
           interfaces = lo virbr1
           bind interfaces only = yes
           server min protocol = SMB2
        # <<< vgapass: end of the host-only settings
        [printers]
           comment = All Printers
           browseable = no
        # >>> vgapass share of domain win10
        [Share]
           comment = vgapass share for domain win10
           path = /home/ann/Share
           read only = no
           guest ok = no
           valid users = ACCOUNT
           force user = ann
           hosts allow = 127.0.0.1 192.168.150.0/24
           hosts deny = ALL
           browseable = no
        # <<< vgapass share of domain win10
        """.replace("ACCOUNT", ShareNames.account("win10")));
    assertThat(SambaConf.domains(t)).containsExactly("win10");
    assertThat(SambaConf.share(t, "win10")).containsEntry("[name]", "Share").containsEntry("valid users",
        ShareNames.account("win10"));
    assertThat(SambaConf.remove(t, "win10")).isEqualTo(DEBIAN);
  }

  @Test
  void twoDomainsShareTheGlobalsAndTheLastRemovalRestoresTheFile() {
    String one = SambaConf.add(DEBIAN, share("a", "A"));
    String two = SambaConf.add(one, share("b", "B"));
    assertThat(SambaConf.add(two, share("a", "A"))).as("setup again: same share, other place").contains("[A]");
    assertThat(SambaConf.remove(two, "b")).isEqualTo(one);
    assertThat(SambaConf.remove(SambaConf.remove(two, "a"), "b")).isEqualTo(DEBIAN);
  }

  @Test
  void aFileWithoutFinalNewlineComesBackWithoutOne() {
    String bare = "[global]\n   workgroup = X";
    String one = SambaConf.add(bare, share("a", "A"));
    String two = SambaConf.add(one, share("b", "B"));
    assertThat(SambaConf.remove(one, "a")).isEqualTo(bare);
    assertThat(SambaConf.remove(SambaConf.remove(two, "a"), "b")).isEqualTo(bare);
    assertThat(SambaConf.remove(SambaConf.remove(two, "b"), "a")).isEqualTo(bare);
    assertThat(SambaConf.remove(SambaConf.add("", share("a", "A")), "a")).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> removeUndoesAddForAnyText() {
    return Cases.of(200, ShareSambaConfTest::anyText)
        .fixed("", "\n", "\n\n", "x", "[global]", "[global]\n", "[global]\n interfaces = eth0", "\r\n[global]\r\n",
            "[printers]\n", DEBIAN, DEBIAN.strip(), "# <<< vgapass share of domain d\n", "[global]\n[global]\n")
        .check(junk -> {
          String text = junk.replace("# >>> vgapass", "#");
          String added = SambaConf.add(text, share("d", "D"));
          assertThat(SambaConf.remove(added, "d")).isEqualTo(text);
        });
  }

  /**
   * Short texts: up to 200 characters of any kind, or up to a dozen of the pieces smb.conf is read by (sections,
   * settings, comments, vgapass's own markers), which random characters almost never form.
   */
  static String anyText(Gen g) {
    return g.oneOf(
        x -> x.string(200, '\u0000', '\ud7ff'),
        x -> x.string(200, "\n\r\t =;#[]abglo"),
        x -> String.join("", x.list(0, 12, y -> y.of("[global]", "[printers]", "[D]", "\n", "\r\n", "   ",
            "interfaces = eth0", "bind interfaces only = yes", "server min protocol = SMB3", "; comment",
            "# >>> vgapass share of domain d", "# <<< vgapass share of domain d", "# >>> vgapass: x", "="))));
  }

  @Test
  void refusesTheUsersOwnInterfacesAndATakenName() {
    assertThat(SambaConf.conflict("[global]\n interfaces = eth0\n", share("a", "A"))).contains("interfaces = eth0");
    assertThat(SambaConf.conflict(DEBIAN, share("a", "printers"))).contains("already has a share [printers]");
    assertThat(SambaConf.conflict(SambaConf.add(DEBIAN, share("a", "A")), share("a", "A"))).isNull();
    assertThat(SambaConf.conflict(DEBIAN, share("a", "A"))).isNull();
    assertThat(SambaConf.add("[global]\n server min protocol = SMB3\n", share("a", "A")))
        .doesNotContain("= SMB2");
  }

  @Test
  void shareNamesSambaRejects() {
    assertThat(ShareNames.problem("Share_1 docs")).isNull();
    assertThat(ShareNames.problem("a/b")).contains("'/'");
    assertThat(ShareNames.problem("x:y")).contains("':'");
    assertThat(ShareNames.problem("global")).contains("reserves");
    assertThat(ShareNames.problem(" x")).contains("blank");
    assertThat(ShareNames.problem("x".repeat(81))).contains("80");
    assertThat(ShareNames.account("Win 10.Gaming-VM-with-a-very-long-name")).hasSizeLessThanOrEqualTo(32)
        .matches("[a-z0-9_-]+");
  }

  /**
   * Issue 16.8: names that fold to one user name (case, characters a user name cannot hold, a long common start)
   * get accounts of their own, each a valid Unix user name that Samba's case folding keeps apart.
   */
  @Test
  void accountsAreUniquePerExactDomainName() {
    java.util.List<String> names = java.util.List.of("Win10", "win10", "WIN10", "my vm", "my-vm", "my_vm", "my.vm",
        "Gaming-VM-number-1", "Gaming-VM-number-2", "gaming-vm-number-1", "win10\u00e9", "win10\u00c9", "");
    java.util.Set<String> folded = new java.util.HashSet<>();
    for (String n : names) {
      String a = ShareNames.account(n);
      assertThat(a).as(n).hasSizeLessThanOrEqualTo(32).matches("vgapass-[a-z0-9_-]*-[0-9a-f]{8}");
      assertThat(folded.add(a.toLowerCase(java.util.Locale.ROOT))).as("%s collides", n).isTrue();
      assertThat(ShareNames.account(n)).as("stable").isEqualTo(a);
    }
    assertThat(ShareNames.account("Win10")).startsWith("vgapass-win10-");
  }

  /** Issue 16.9: what Samba would substitute, join or drop in a value is refused, in every value of the section. */
  @Test
  void valuesSmbConfCannotCarryAreRefused() {
    assertThat(SambaConf.valueProblem("/home/ann/Share 1")).isNull();
    assertThat(SambaConf.valueProblem("/srv/%U")).contains("'%'");
    assertThat(SambaConf.valueProblem("/srv/100%")).contains("'%'");
    assertThat(SambaConf.valueProblem("/srv/a\nguest ok = yes")).contains("control character");
    assertThat(SambaConf.valueProblem("/srv/a\u2028b")).contains("control character");
    assertThat(SambaConf.valueProblem("/srv/a\\")).contains("backslash");
    assertThat(SambaConf.valueProblem("/srv/a ")).contains("blank");
    SmbShare base = share("win10", "Share");
    java.util.List<SmbShare> bad = java.util.List.of(
        new SmbShare("win%U", "Share", base.path(), false, base.user(), "ann", base.interfaces(), base.hostsAllow(),
            base.hostAddress()),
        new SmbShare("win10", "Share", "/home/%U", false, base.user(), "ann", base.interfaces(), base.hostsAllow(),
            base.hostAddress()),
        new SmbShare("win10", "Share", "/home/x\\", false, base.user(), "ann", base.interfaces(),
            base.hostsAllow(), base.hostAddress()),
        new SmbShare("win10", "Share", base.path(), false, base.user(), "ann%G", base.interfaces(),
            base.hostsAllow(), base.hostAddress()),
        new SmbShare("win10\nx", "Share", base.path(), false, base.user(), "ann", base.interfaces(),
            base.hostsAllow(), base.hostAddress()));
    for (SmbShare s : bad) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> SambaConf.add(DEBIAN, s)).as(s.toString())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smb.conf cannot carry it");
    }
  }

  @Test
  void subnetFromTheNetworkXml() {
    HostOnlySubnet s = HostOnlySubnet.parse("n", "<network><name>n</name><bridge name='virbr7' stp='on'/>"
        + "<ip address='192.168.150.1' netmask='255.255.255.0'/></network>");
    assertThat(s).isEqualTo(new HostOnlySubnet("virbr7", "192.168.150.1", "192.168.150.0/24"));
    assertThat(HostOnlySubnet.parse("n", "<network><bridge name='b'/><ip family='ipv4' address='10.1.2.3' prefix='16'/>"
        + "</network>").cidr()).isEqualTo("10.1.0.0/16");
    assertThatThrownBy(() -> HostOnlySubnet.parse("n", "<network><ip address='10.1.2.3'/></network>"))
        .hasMessageContaining("no bridge");
    assertThatThrownBy(() -> HostOnlySubnet.parse("n", "<domain><bridge name='b'/></domain>"))
        .hasMessage("network n: the root element is <domain>, not libvirt's <network> — give a network's XML, as "
            + "`virsh net-dumpxml NAME` prints it");
  }
}
