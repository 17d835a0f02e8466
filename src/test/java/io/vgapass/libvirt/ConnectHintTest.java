package io.vgapass.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A refused connection says what to do. The message libvirt gave user nobody on this machine while libvirtd ran
 * (issue 19: it was answered "is libvirtd running?"): polkit could not reach the system D-Bus.
 */
class ConnectHintTest {
  private static final String NOBODY_HERE =
      "internal error: Unable to get system bus connection: Could not connect: No such file or directory";

  @Test
  void aUserWhoIsNotRootIsToldRootOrTheLibvirtGroupNotToStartLibvirtd() {
    assertThat(LibvirtJavaPort.connectHint(NOBODY_HERE, "alice")).isEqualTo("connecting to the system libvirtd needs "
        + "root or the 'libvirt' group, which alice lacks: run it with sudo, or add the user to the group (sudo "
        + "usermod -aG libvirt alice, then log in again)").doesNotContain("is libvirtd running");
    assertThat(LibvirtJavaPort.connectHint("Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission "
        + "denied", "alice")).startsWith("connecting to the system libvirtd needs root or the 'libvirt' group");
  }

  @Test
  void aMissingSocketIsStillADaemonThatDoesNotRun() {
    assertThat(LibvirtJavaPort.connectHint("Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file "
        + "or directory", "alice")).isEqualTo("is libvirtd running? (sudo systemctl start libvirtd)");
    assertThat(LibvirtJavaPort.connectHint(NOBODY_HERE, "root")).contains("system D-Bus");
  }
}
