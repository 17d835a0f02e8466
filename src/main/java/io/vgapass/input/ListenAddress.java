package io.vgapass.input;

import io.vgapass.domain.NetworkXml;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the switch-back service listens. By default the host's address on the isolated host-only network, so only
 * the guest (and the host) can reach it. Every address ({@code 0.0.0.0}, {@code [::]}) only when written out; an
 * empty host, {@code *}, or a name that resolves to the wildcard is refused.
 */
public final class ListenAddress {
  public static final int DEFAULT_PORT = 47801;
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]*]|[^:\\[\\]]*):(\\d{1,5})");

  private ListenAddress() {}

  public static InetSocketAddress parse(String text) {
    Matcher m = HOST_PORT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("--listen " + text + ": use ADDR:PORT, e.g. 192.168.150.1:" + DEFAULT_PORT);
    }
    String host = m.group(1);
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) throw new IllegalArgumentException("--listen " + text + ": port 1 to 65535");
    if (host.isEmpty() || host.equals("*") || host.equals("[]")) {
      throw new IllegalArgumentException("--listen " + text + " would listen on every address; the service belongs "
          + "on the host-only network (the default). Write --listen 0.0.0.0:" + port + " if every address is meant");
    }
    boolean explicitWildcard = host.equals("0.0.0.0") || host.equals("[::]");
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress a;
    try {
      a = InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--listen " + text + ": unknown host " + bare);
    }
    if (a.isAnyLocalAddress() && !explicitWildcard) {
      throw new IllegalArgumentException("--listen " + text + ": " + bare + " means every address; write --listen "
          + "0.0.0.0:" + port + " if that is meant");
    }
    return new InetSocketAddress(a, port);
  }

  /**
   * The host's IPv4 address on a libvirt network, from the network's XML ({@code <ip address='...'>}); empty when
   * there is no XML or it has no IPv4 address. Malformed XML is refused in one line (IllegalArgumentException).
   */
  public static Optional<String> hostAddress(String networkXml) {
    if (networkXml == null || networkXml.isBlank()) return Optional.empty();
    return NetworkXml.hostAddress(NetworkXml.parse("the libvirt network", networkXml))
        .map(NetworkXml.HostAddress::address);
  }
}
