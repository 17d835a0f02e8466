package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.HostOnlyNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetCliTest {
  private static final String TEST = "test:///default";
  @TempDir Path dir;

  private String host() throws IOException {
    Files.createDirectories(dir.resolve("sys/class/net/enp3s0/device"));
    Files.writeString(dir.resolve("sys/class/net/enp3s0/address"), "00:d8:61:aa:bb:cc\n");
    Files.createDirectories(dir.resolve("sys/class/net/virbr0"));
    Files.createDirectories(dir.resolve("proc/net"));
    Files.writeString(dir.resolve("proc/net/route"), "Iface\tDestination\tGateway\tFlags\n"
        + "enp3s0\t00000000\t0101A8C0\t0003\n");
    return dir.toString();
  }

  @Test
  void macvtapOnTheDefaultRouteNicPlusTheHostOnlyNetwork() throws IOException {
    CliRunner.Result r = CliRunner.run("net", "setup", "--domain", "test", "--sysroot", host(), "--connect", TEST);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        defined the isolated network vgapass-hostonly (host 192.168.150.1/24, DHCP .100-.199)
        started vgapass-hostonly (virsh net-autostart vgapass-hostonly starts it with libvirtd)
        added macvtap (bridge mode) on enp3s0
        added an interface on the network vgapass-hostonly
        redefined test (takes effect at its next start)
        the switch-back service listens on 192.168.150.1:47801: vgapass input serve --domain test
        next: sudo vgapass vm stop test and sudo vgapass vm start test
        """); // test:///default's domain "test" runs: the new interfaces need it started anew (issue 19)
  }

  @Test
  void networkXmlIsIsolatedWithDhcp() {
    assertThat(HostOnlyNetwork.xml("vgapass-hostonly", "10.9.8.1/24")).isEqualTo("""
        <network>
          <name>vgapass-hostonly</name>
          <!-- isolated: no <forward>, so only the host and its guests reach it (vgapass net setup) -->
          <ip address='10.9.8.1' netmask='255.255.255.0'>
            <dhcp>
              <range start='10.9.8.100' end='10.9.8.199'/>
            </dhcp>
          </ip>
        </network>
        """);
    assertThatThrownBy(() -> HostOnlyNetwork.xml("x", "10.9.8.0/24")).hasMessageContaining(".1 to .99");
    assertThatThrownBy(() -> HostOnlyNetwork.xml("x", "10.9.8.1")).hasMessageContaining("/24");
    assertThatThrownBy(() -> HostOnlyNetwork.xml("a b", "10.9.8.1/24")).hasMessageContaining("--hostonly");
  }

  @Test
  void badInputChangesNothing() throws IOException {
    CliRunner.Result nic = CliRunner.run("net", "setup", "--domain", "test", "--macvtap", "wlan9", "--sysroot", host(), "--connect", TEST);
    assertThat(nic.code()).isEqualTo(ExitCode.USAGE);
    assertThat(nic.errLines()).containsExactly("vgapass: --macvtap wlan9: no such interface (this host has: enp3s0, "
        + "virbr0)");
    CliRunner.Result bridge = CliRunner.run("net", "setup", "--domain", "test", "--macvtap", "virbr0", "--sysroot", dir.toString());
    assertThat(bridge.code()).isEqualTo(ExitCode.USAGE);
    assertThat(bridge.err()).contains("not a physical NIC");
    CliRunner.Result dom = CliRunner.run("net", "setup", "--domain", "nope", "--no-macvtap", "--connect", TEST);
    assertThat(dom.code()).isEqualTo(ExitCode.USAGE);
    assertThat(dom.err()).contains("no such domain");
    CliRunner.Result addr = CliRunner.run("net", "setup", "--domain", "test", "--no-macvtap", "--address", "10.0.0.300/24",
        "--connect", TEST);
    assertThat(addr.code()).isEqualTo(ExitCode.USAGE);
  }

  /** A laptop whose default route is on Wi-Fi: macvtap there would leave the guest without a LAN. */
  @Test
  void macvtapOnAWirelessNicIsRefused() throws IOException {
    host();
    Files.createDirectories(dir.resolve("sys/class/net/wlp2s0/device"));
    Files.createDirectories(dir.resolve("sys/class/net/wlp2s0/phy80211"));
    Files.writeString(dir.resolve("sys/class/net/wlp2s0/address"), "a4:34:d9:12:6e:01\n");
    Files.writeString(dir.resolve("proc/net/route"), "Iface\tDestination\tGateway\tFlags\n"
        + "wlp2s0\t00000000\t0101A8C0\t0003\n");
    CliRunner.Result byDefault = CliRunner.run("net", "setup", "--domain", "test", "--sysroot", dir.toString(), "--connect", TEST);
    assertThat(byDefault.code()).isEqualTo(ExitCode.USAGE);
    assertThat(byDefault.errLines()).hasSize(1);
    assertThat(byDefault.err()).contains("the default route's NIC wlp2s0 is wireless").contains("--no-macvtap");
    assertThat(byDefault.out()).isEmpty();
    CliRunner.Result named = CliRunner.run("net", "setup", "--domain", "test", "--macvtap", "wlp2s0", "--sysroot", dir.toString(),
        "--connect", TEST);
    assertThat(named.err()).contains("--macvtap wlp2s0 is wireless");
    CliRunner.Result wired = CliRunner.run("net", "setup", "--domain", "test", "--macvtap", "enp3s0", "--sysroot", dir.toString(),
        "--connect", TEST);
    assertThat(wired.code()).as(wired.err()).isZero();
    assertThat(wired.out()).contains("added macvtap (bridge mode) on enp3s0");
  }
}
