package io.vgapass.host;

import java.util.List;

/**
 * Network interfaces from sys/class/net and the interface of the default route.
 *
 * @param defaultRoute the interface carrying the IPv4 default route (proc/net/route), null when none
 */
public record Network(List<Interface> interfaces, String defaultRoute) {

  /**
   * One interface; physical ones have a device link (not bridges, taps or veths); wireless ones a {@code wireless}
   * or {@code phy80211} entry (a Wi-Fi client takes one MAC address only: no macvtap on it).
   */
  public record Interface(String name, boolean physical, String mac, boolean wireless) {}

  /** The named interface is a wireless NIC. */
  public boolean wireless(String name) {
    return interfaces.stream().anyMatch(i -> i.name().equals(name) && i.wireless());
  }
}
