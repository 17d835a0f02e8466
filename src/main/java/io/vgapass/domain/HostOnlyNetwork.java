package io.vgapass.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The isolated host-only libvirt network: no {@code <forward>} (guest and host only), DHCP for the guest, and the
 * host's address on it, where the switch-back service listens. macvtap puts the guest on the LAN but cannot reach
 * the host, so a guest with macvtap needs this second interface for host-guest traffic.
 */
public final class HostOnlyNetwork {
  private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/24");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,50}");

  private HostOnlyNetwork() {}

  /**
   * The network's XML, built through {@link XmlDoc} in libvirt's layout; {@code hostAddress} is the host's side, e.g.
   * {@code 192.168.150.1/24}.
   */
  public static String xml(String name, String hostAddress) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("--hostonly " + name + ": letters, digits, '.', '_' and '-' only");
    }
    Matcher m = CIDR.matcher(hostAddress);
    if (!m.matches()) {
      throw new IllegalArgumentException("--address " + hostAddress + ": give the host's address with /24, e.g. "
          + "192.168.150.1/24");
    }
    int[] o = new int[4];
    for (int i = 0; i < 4; i++) {
      o[i] = Integer.parseInt(m.group(i + 1));
      if (o[i] > 255) throw new IllegalArgumentException("--address " + hostAddress + ": not an IPv4 address");
    }
    if (o[3] == 0 || o[3] >= 100) {
      throw new IllegalArgumentException("--address " + hostAddress + ": use .1 to .99 for the host (.100-.199 is "
          + "the guests' DHCP range)");
    }
    String net = o[0] + "." + o[1] + "." + o[2] + ".";
    XmlDoc doc = XmlDoc.newNetwork("network " + name);
    doc.set(NetworkXml.NAME, name);
    doc.root().element().appendChild(doc.dom().createComment(
        " isolated: no <forward>, so only the host and its guests reach it (vgapass net setup) "));
    XmlNode ip = doc.add(NetworkXml.IP);
    ip.set(NetworkXml.ADDRESS, net + o[3]);
    ip.set(NetworkXml.NETMASK, "255.255.255.0");
    XmlNode range = ip.ensure(NetworkXml.DHCP_RANGE);
    range.set(NetworkXml.RANGE_START, net + "100");
    range.set(NetworkXml.RANGE_END, net + "199");
    return doc.serialize();
  }
}
