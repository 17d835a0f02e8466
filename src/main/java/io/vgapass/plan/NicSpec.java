package io.vgapass.plan;

/**
 * A guest network interface: macvtap on a host NIC (bridge mode, the LAN sees the guest), the
 * isolated host-only network (host and guest only, where the switch-back service listens), or a
 * libvirt NAT network (the guest reaches the LAN and the internet through the host: the way out
 * on a Wi-Fi host, where macvtap cannot work).
 */
public record NicSpec(Kind kind, String source) {
  public enum Kind { MACVTAP, HOSTONLY, NAT }

  public static final String DEFAULT_HOSTONLY = "vgapass-hostonly";
  /** The NAT network libvirt ships and defines on most distributions (virbr0). */
  public static final String DEFAULT_NAT = "default";

  public static NicSpec parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("macvtap:") && t.length() > "macvtap:".length()) {
      return new NicSpec(Kind.MACVTAP, t.substring("macvtap:".length()));
    }
    if (t.equals("hostonly")) return new NicSpec(Kind.HOSTONLY, DEFAULT_HOSTONLY);
    if (t.startsWith("hostonly:") && t.length() > "hostonly:".length()) {
      return new NicSpec(Kind.HOSTONLY, t.substring("hostonly:".length()));
    }
    if (t.equals("nat")) return new NicSpec(Kind.NAT, DEFAULT_NAT);
    if (t.startsWith("nat:") && t.length() > "nat:".length()) return new NicSpec(Kind.NAT, t.substring("nat:".length()));
    throw new IllegalArgumentException("--nic " + text + ": use macvtap:IFACE, hostonly[:NETWORK] or nat[:NETWORK]");
  }

  /** How the plan's text and the report name it. */
  public String label() {
    return switch (kind) {
      case MACVTAP -> "macvtap on " + source;
      case HOSTONLY -> "host-only network " + source;
      case NAT -> "NAT network " + source;
    };
  }
}
