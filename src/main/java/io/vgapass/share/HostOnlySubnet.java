package io.vgapass.share;

import io.vgapass.domain.NetworkXml;
import io.vgapass.domain.XmlDoc;

/**
 * Where the host-only network lies, from its libvirt XML: the bridge libvirt made for it, the host's address on it
 * and its IPv4 subnet.
 */
public record HostOnlySubnet(String bridge, String hostAddress, String cidr) {

  /** Throws IllegalArgumentException naming the network when it has no bridge or no IPv4 address. */
  public static HostOnlySubnet parse(String network, String xml) {
    XmlDoc doc = NetworkXml.parse("network " + network, xml);
    String bridge = NetworkXml.bridge(doc).orElseThrow(() -> new IllegalArgumentException("--hostonly " + network
        + ": the network has no bridge (is it started? virsh net-start " + network + ")"));
    NetworkXml.HostAddress host = NetworkXml.hostAddress(doc).orElseThrow(() -> new IllegalArgumentException(
        "--hostonly " + network + ": the network has no IPv4 address for the host; recreate it with vgapass net setup"));
    return new HostOnlySubnet(bridge, host.address(), host.subnet());
  }
}
