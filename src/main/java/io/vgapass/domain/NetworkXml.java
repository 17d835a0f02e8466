package io.vgapass.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A libvirt network's XML ({@code virsh net-dumpxml NAME}) as vgapass reads and writes it: its paths, declared once,
 * and what the commands need from a defined network, read through {@link XmlDoc} (hardened, no regex over the text).
 */
public final class NetworkXml {
  /** {@code <name>}. */
  static final String NAME = "./name";
  /** The bridge libvirt made for a started network. */
  static final String BRIDGE_NAME = "./bridge/@name";
  /** Each {@code <ip>}; the paths below are relative to one. */
  static final String IP = "./ip";
  static final String ADDRESS = "./@address";
  static final String NETMASK = "./@netmask";
  static final String PREFIX = "./@prefix";
  /** The DHCP range under an {@code <ip>}; its {@code start} and {@code end} are relative to it. */
  static final String DHCP_RANGE = "./dhcp/range";
  static final String RANGE_START = "./@start";
  static final String RANGE_END = "./@end";

  private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private NetworkXml() {}

  /** The host's IPv4 address on a network and its subnet's prefix length. */
  public record HostAddress(String address, int prefix) {
    /** The IPv4 subnet in CIDR notation, e.g. {@code 192.168.150.0/24}. */
    public String subnet() {
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      return toText(toInt(address) & mask) + "/" + prefix;
    }
  }

  /**
   * Parses a network's XML; {@code name} names it in messages.
   *
   * @throws IllegalArgumentException in one line when the XML is malformed or not a {@code <network>}
   */
  public static XmlDoc parse(String name, String xml) {
    return XmlDoc.parseNetwork(name, xml);
  }

  /** The bridge libvirt made for the network; empty when it has none (not started). */
  public static Optional<String> bridge(XmlDoc network) {
    return Optional.ofNullable(network.get(BRIDGE_NAME));
  }

  /**
   * The host's side of the network: the first {@code <ip>} with an IPv4 address, its prefix from {@code netmask},
   * else {@code prefix}, else 24. Empty when the network has no IPv4 address.
   */
  public static Optional<HostAddress> hostAddress(XmlDoc network) {
    for (XmlNode ip : network.list(IP)) {
      String address = ip.get(ADDRESS);
      if (address == null || !DOTTED.matcher(address).matches()) continue;
      String netmask = ip.get(NETMASK);
      String prefix = ip.get(PREFIX);
      int length;
      if (netmask != null && DOTTED.matcher(netmask).matches()) length = Integer.bitCount(toInt(netmask));
      else if (prefix != null && DIGITS.matcher(prefix).matches()) length = Integer.parseInt(prefix);
      else length = 24;
      return Optional.of(new HostAddress(address, length));
    }
    return Optional.empty();
  }

  private static int toInt(String dotted) {
    String[] p = dotted.split("\\.");
    int v = 0;
    for (String s : p) v = v << 8 | Integer.parseInt(s);
    return v;
  }

  private static String toText(int v) {
    return (v >>> 24) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
  }
}
