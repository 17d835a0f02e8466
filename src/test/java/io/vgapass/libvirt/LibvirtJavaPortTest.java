package io.vgapass.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LibvirtJavaPort} against libvirt's {@code test:///default} driver: in-process, no daemon needed (only
 * {@code libvirt0}). The driver has one running domain "test" and one active network "default"; its state is shared
 * by all connections of this JVM, so every test uses unique names and cleans up.
 */
class LibvirtJavaPortTest {

  private static final String URI = "test:///default";

  private LibvirtJavaPort port;

  @BeforeEach
  void open() {
    port = LibvirtJavaPort.open(URI);
  }

  @AfterEach
  void close() {
    port.close();
  }

  private static String uniqueName() {
    return "vgapass-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String testDomainXml(String name) {
    return """
                <domain type='test'>
                  <name>%s</name>
                  <memory unit='MiB'>64</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='x86_64'>hvm</type></os>
                </domain>
                """.formatted(name);
  }

  @Test
  void reportsUriAndVersions() {
    assertThat(port.uri()).isEqualTo(URI);
    assertThat(port.libvirtVersion()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(port.hypervisorVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void seesTheRunningTestDomain() {
    assertThat(port.domainNames()).contains("test");
    DomainInfo test = port.domain("test").orElseThrow();
    assertThat(test.name()).isEqualTo("test");
    assertThat(test.state()).isEqualTo(DomainInfo.State.RUNNING);
    assertThat(test.active()).isTrue();
    assertThat(test.id()).isPositive();
    assertThat(test.uuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(port.liveXml("test")).contains("<name>test</name>");
  }

  @Test
  void missingDomainIsEmpty() {
    assertThat(port.domain("vgapass-no-such-domain")).isEmpty();
  }

  @Test
  void definesStartsStopsAndUndefinesADomain() {
    String name = uniqueName();
    try {
      assertThat(port.define(testDomainXml(name))).isEqualTo(name);
      assertThat(port.domainNames()).contains(name);
      DomainInfo defined = port.domain(name).orElseThrow();
      assertThat(defined.state()).isEqualTo(DomainInfo.State.SHUTOFF);
      assertThat(defined.id()).isEqualTo(-1);
      assertThat(defined.active()).isFalse();
      assertThat(port.domainXml(name, true)).contains("<name>" + name + "</name>", "<uuid>" + defined.uuid());

      port.start(name);
      assertThat(port.domain(name).orElseThrow().state()).isEqualTo(DomainInfo.State.RUNNING);
      port.destroy(name);
      assertThat(port.domain(name).orElseThrow().state()).isEqualTo(DomainInfo.State.SHUTOFF);

      port.undefine(name);
      assertThat(port.domainNames()).doesNotContain(name);
      assertThat(port.domain(name)).isEmpty();
    } finally {
      cleanUp(name);
    }
  }

  @Test
  void redefiningFromTheInactiveXmlKeepsTheUuid() {
    String name = uniqueName();
    try {
      port.define(testDomainXml(name));
      String uuid = port.domain(name).orElseThrow().uuid();
      // what `vm tune` does: read the persistent XML (with its UUID), edit, define again
      String edited = port.domainXml(name, true).replace(">1</vcpu>", ">2</vcpu>");
      assertThat(port.define(edited)).isEqualTo(name);
      assertThat(port.domain(name).orElseThrow().uuid()).isEqualTo(uuid);
      assertThat(port.domainXml(name, true)).contains(">2</vcpu>");

      // the same name without the UUID would be another domain: libvirt refuses, and we say so
      assertThatThrownBy(() -> port.define(testDomainXml(name)))
          .isInstanceOf(LibvirtFailure.class)
          .hasMessageStartingWith("define " + name + ": libvirt: ")
          .hasMessageContaining(uuid);
    } finally {
      cleanUp(name);
    }
  }

  @Test
  void operationsOnAMissingDomainNameTheOperationAndTheDomain() {
    String name = uniqueName();
    assertThatThrownBy(() -> port.start(name))
        .isInstanceOfSatisfying(LibvirtFailure.class, f -> {
          assertThat(f.getMessage()).startsWith("start " + name + ": libvirt: ").contains(name);
          assertThat(f.getMessage()).doesNotContain("\n");
          assertThat(f.operation()).isEqualTo("start");
          assertThat(f.subject()).isEqualTo(name);
          assertThat(f.code()).isEqualTo(LibvirtFailure.NO_DOMAIN);
          assertThat(f.isNotFound()).isTrue();
        });
    assertThatThrownBy(() -> port.domainXml(name, true))
        .isInstanceOf(LibvirtFailure.class).hasMessageStartingWith("dumpxml " + name + ": libvirt: ");
    assertThatThrownBy(() -> port.undefine(name))
        .isInstanceOf(LibvirtFailure.class).hasMessageStartingWith("undefine " + name + ": libvirt: ");
    assertThatThrownBy(() -> port.destroy(name))
        .isInstanceOf(LibvirtFailure.class).hasMessageStartingWith("destroy " + name + ": libvirt: ");
  }

  @Test
  void invalidStateIsAFailureThatIsNotNotFound() {
    assertThatThrownBy(() -> port.start("test"))   // already running
        .isInstanceOfSatisfying(LibvirtFailure.class, f -> {
          assertThat(f.getMessage()).startsWith("start test: libvirt: ");
          assertThat(f.isNotFound()).isFalse();
          assertThat(f.code()).startsWith("VIR_ERR_");
        });
  }

  @Test
  void badXmlNamesTheDomainItTriedToDefine() {
    String name = uniqueName();
    String bad = testDomainXml(name).replace("<memory unit='MiB'>64</memory>",
        "<memory unit='parsecs'>64</memory>");
    assertThatThrownBy(() -> port.define(bad))
        .isInstanceOf(LibvirtFailure.class)
        .hasMessageStartingWith("define " + name + ": libvirt: ");
    assertThatThrownBy(() -> port.define("not xml at all"))
        .isInstanceOf(LibvirtFailure.class)
        .hasMessageStartingWith("define (unnamed): libvirt: ");
    assertThat(port.domain(name)).isEmpty();
  }

  @Test
  void liveAttachFailureNamesTheOperationAndDomain() {
    // the test driver has no live attach: the failure still says what was tried, on which domain
    assertThatThrownBy(() -> port.attachDeviceLive("test", "<input type='tablet' bus='usb'/>"))
        .isInstanceOf(LibvirtFailure.class)
        .hasMessageStartingWith("attach-device --live test: libvirt: ");
    assertThatThrownBy(() -> port.detachDeviceLive("test", "<input type='tablet' bus='usb'/>"))
        .isInstanceOf(LibvirtFailure.class)
        .hasMessageStartingWith("detach-device --live test: libvirt: ");
  }

  @Test
  void networks() {
    assertThat(port.networkActive("default")).isTrue();
    assertThat(port.networkXml("default")).hasValueSatisfying(x -> assertThat(x).contains("<name>default</name>"));
    assertThat(port.networkXml("vgapass-no-such-net")).isEmpty();
    assertThatThrownBy(() -> port.networkActive("vgapass-no-such-net"))
        .isInstanceOfSatisfying(LibvirtFailure.class, f -> {
          assertThat(f.getMessage()).startsWith("net-info vgapass-no-such-net: libvirt: ");
          assertThat(f.isNotFound()).isTrue();
        });

    // the test driver keeps networks in memory only: nothing outlives this JVM
    String net = uniqueName();
    assertThat(port.defineNetwork("""
                <network>
                  <name>%s</name>
                  <bridge name='vgpt%s'/>
                  <ip address='192.0.2.1' netmask='255.255.255.0'/>
                </network>
                """.formatted(net, net.substring(net.length() - 8)))).isEqualTo(net);
    assertThat(port.networkActive(net)).isFalse();
    port.startNetwork(net);
    assertThat(port.networkActive(net)).isTrue();
    assertThatThrownBy(() -> port.startNetwork(net))
        .isInstanceOf(LibvirtFailure.class).hasMessageStartingWith("net-start " + net + ": libvirt: ");
  }

  @Test
  void unreachableDaemonSaysToStartLibvirtd() {
    String uri = "qemu+unix:///system?socket=/nonexistent/vgapass/libvirt-sock";
    assertThatThrownBy(() -> LibvirtJavaPort.open(uri))
        .isInstanceOfSatisfying(LibvirtFailure.class, f -> {
          assertThat(f.getMessage())
              .startsWith("cannot connect to " + uri + ": is libvirtd running? "
                  + "(sudo systemctl start libvirtd)")
              .contains("/nonexistent/vgapass/libvirt-sock")
              .doesNotContain("\n");
          assertThat(f.operation()).isEqualTo("connect");
        });
  }

  @Test
  void closedPortFailsClearlyAndClosesTwiceQuietly() {
    LibvirtJavaPort other = LibvirtJavaPort.open(URI);
    other.close();
    other.close();
    assertThatThrownBy(other::domainNames)
        .isInstanceOf(LibvirtFailure.class)
        .hasMessage("list: the connection to test:///default is closed");
  }

  @Test
  void libvirtPrintsNothingToStderr() throws Exception {
    String sanity = NativeStderr.capture(() -> NativeStderr.writeNative("native-write-seen\n"));
    assertThat(sanity).isEqualTo("native-write-seen\n");

    String noise = NativeStderr.capture(() -> {
      assertThat(port.domain("vgapass-no-such-domain")).isEmpty();
      try {
        port.start("vgapass-no-such-domain");
      } catch (LibvirtFailure expected) {
        // the message is ours to show; libvirt must not print it too
      }
      try {
        LibvirtJavaPort.open("qemu+unix:///system?socket=/nonexistent/vgapass/libvirt-sock");
      } catch (LibvirtFailure expected) {
        // same
      }
    });
    assertThat(noise).isEmpty();
  }

  @Test
  void helpers() {
    assertThat(LibvirtJavaPort.dotted(9_000_000L)).isEqualTo("9.0.0");
    assertThat(LibvirtJavaPort.dotted(7_002_022L)).isEqualTo("7.2.22");
    assertThat(LibvirtJavaPort.nameIn("<domain><name> win-gpu </name></domain>")).isEqualTo("win-gpu");
    assertThat(LibvirtJavaPort.nameIn("<domain/>")).isEqualTo("(unnamed)");
    assertThat(new LibvirtFailure("start", "vm", "VIR_ERR_X", "line one\n  line two\n").getMessage())
        .isEqualTo("start vm: libvirt: line one; line two");
  }

  private void cleanUp(String name) {
    port.domain(name).ifPresent(d -> {
      if (d.active()) {
        port.destroy(name);
      }
      port.undefine(name);
    });
  }
}
