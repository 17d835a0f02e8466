package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** XmlDoc with a {@code <network>} root: built, read and checked against libvirt's network.rng. */
class NetworkXmlTest {

  /** As libvirt 9 dumps a started isolated network: an IPv6 address first, then the host's IPv4 one. */
  private static final String DUMPED = """
      <network connections='1'>
        <name>vgapass-hostonly</name>
        <uuid>6f1ea0b4-3c7e-4a43-9a43-3a4d6d1d3f11</uuid>
        <bridge name='virbr3' stp='on' delay='0'/>
        <mac address='52:54:00:6e:1b:2c'/>
        <ip family='ipv6' address='fd00:150::1' prefix='64'/>
        <ip address='192.168.150.1' netmask='255.255.255.0'>
          <dhcp>
            <range start='192.168.150.100' end='192.168.150.199'/>
          </dhcp>
        </ip>
      </network>
      """;

  @Test
  void theHostOnlyNetworkIsValidForLibvirtsNetworkSchema() {
    SchemaValidator v = SchemaValidator.libvirtNetwork();
    Assumptions.assumeTrue(v.available(), "no libvirt network schema at " + v.schemaFile());
    XmlDoc built = NetworkXml.parse("built", HostOnlyNetwork.xml("vgapass-hostonly", "192.168.150.1/24"));
    assertThat(v.validate(built)).isEmpty();
    assertThat(v.validate(NetworkXml.parse("dumped", DUMPED))).isEmpty();
    built.set("./ip/@bogus", "1");
    assertThatThrownBy(() -> v.check(built))
        .hasMessageStartingWith("built: line 4: /network/ip: attribute \"bogus\" not allowed here")
        .hasMessageContaining("libvirt would refuse this network");
  }

  @Test
  void readsTheBridgeAndTheFirstIpv4AddressWithItsSubnet() {
    XmlDoc net = NetworkXml.parse("dumped", DUMPED);
    assertThat(net.kind()).isEqualTo(XmlDoc.Root.NETWORK);
    assertThat(NetworkXml.bridge(net)).contains("virbr3");
    NetworkXml.HostAddress host = NetworkXml.hostAddress(net).orElseThrow();
    assertThat(host).isEqualTo(new NetworkXml.HostAddress("192.168.150.1", 24));
    assertThat(host.subnet()).isEqualTo("192.168.150.0/24");
    assertThat(new NetworkXml.HostAddress("10.1.2.3", 16).subnet()).isEqualTo("10.1.0.0/16");
    XmlDoc bare = NetworkXml.parse("bare", "<network><name>n</name><ip address='10.0.0.1'/></network>");
    assertThat(NetworkXml.bridge(bare)).isEmpty();
    assertThat(NetworkXml.hostAddress(bare).orElseThrow().prefix()).as("no netmask or prefix: /24").isEqualTo(24);
    assertThat(NetworkXml.hostAddress(NetworkXml.parse("v6", "<network><ip family='ipv6' address='fd00::1'/>"
        + "</network>"))).isEmpty();
  }

  @Test
  void eachRootIsRefusedWhereTheOtherIsExpected() {
    assertThatThrownBy(() -> XmlDoc.parseNetwork("d.xml", "<domain type='kvm'/>"))
        .hasMessage("d.xml: the root element is <domain>, not libvirt's <network> — give a network's XML, as "
            + "`virsh net-dumpxml NAME` prints it");
    assertThatThrownBy(() -> XmlDoc.parse("n.xml", "<network/>"))
        .hasMessage("n.xml: the root element is <network>, not libvirt's <domain> — give a domain's XML, as "
            + "`virsh dumpxml NAME` prints it");
    assertThatThrownBy(() -> XmlDoc.parseNetwork("n.xml", " "))
        .hasMessage("n.xml: the input is empty — export the network with `virsh net-dumpxml NAME`");
    assertThatThrownBy(() -> XmlDoc.parseNetwork("n.xml", "<!DOCTYPE network [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        + "<network><name>&x;</name></network>")).hasMessageContaining("a <!DOCTYPE> is not accepted");
  }

  @Test
  void aNetworkCopyStaysANetworkAndRoundTrips() {
    XmlDoc net = NetworkXml.parse("dumped", DUMPED);
    XmlDoc copy = net.copy();
    assertThat(copy.kind()).isEqualTo(XmlDoc.Root.NETWORK);
    assertThat(copy.serialize()).isEqualTo(DUMPED);
  }
}
