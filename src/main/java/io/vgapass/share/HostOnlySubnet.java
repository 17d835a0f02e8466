package io.vgapass.share;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the host-only network lies, from its libvirt XML: the bridge libvirt made for it, the host's address on it
 * and its IPv4 subnet.
 */
public record HostOnlySubnet(String bridge, String hostAddress, String cidr) {
  private static final Pattern BRIDGE = Pattern.compile("<bridge\\b[^>]*\\bname=['\"]([^'\"]+)['\"]");
  private static final Pattern IP = Pattern.compile("<ip\\b([^>]*)>");
  private static final Pattern ADDRESS = Pattern.compile("\\baddress=['\"]([0-9.]+)['\"]");
  private static final Pattern NETMASK = Pattern.compile("\\bnetmask=['\"]([0-9.]+)['\"]");
  private static final Pattern PREFIX = Pattern.compile("\\bprefix=['\"](\\d+)['\"]");

  /** Throws IllegalArgumentException naming the network when it has no bridge or no IPv4 address. */
  public static HostOnlySubnet parse(String network, String xml) {
    Matcher b = BRIDGE.matcher(xml);
    if (!b.find()) {
      throw new IllegalArgumentException("--hostonly " + network + ": the network has no bridge (is it started? "
          + "virsh net-start " + network + ")");
    }
    Matcher ip = IP.matcher(xml);
    while (ip.find()) {
      Matcher a = ADDRESS.matcher(ip.group(1));
      if (!a.find()) continue;
      int prefix;
      Matcher nm = NETMASK.matcher(ip.group(1));
      Matcher px = PREFIX.matcher(ip.group(1));
      if (nm.find()) prefix = Integer.bitCount(toInt(nm.group(1)));
      else if (px.find()) prefix = Integer.parseInt(px.group(1));
      else prefix = 24;
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      return new HostOnlySubnet(b.group(1), a.group(1), toText(toInt(a.group(1)) & mask) + "/" + prefix);
    }
    throw new IllegalArgumentException("--hostonly " + network + ": the network has no IPv4 address for the host; "
        + "recreate it with vgapass net setup");
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
