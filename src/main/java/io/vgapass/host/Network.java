package io.vgapass.host;

import java.util.List;

/**
 * Network interfaces from sys/class/net and the interface of the default route.
 *
 * @param defaultRoute the interface carrying the IPv4 default route (proc/net/route), null when none
 */
public record Network(List<Interface> interfaces, String defaultRoute) {

  /** One interface; physical ones have a device link (not bridges, taps or veths). */
  public record Interface(String name, boolean physical, String mac) {}
}
