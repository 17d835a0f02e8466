package io.vgapass.plan;

/**
 * A guest network interface: macvtap on a host NIC (bridge mode, the LAN sees the guest), or
 * the isolated host-only network (host and guest only, where the switch-back service listens).
 */
public record NicSpec(Kind kind, String source) {
  public enum Kind { MACVTAP, HOSTONLY }

  public static final String DEFAULT_HOSTONLY = "vgapass-hostonly";

  public static NicSpec parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("macvtap:") && t.length() > "macvtap:".length()) {
      return new NicSpec(Kind.MACVTAP, t.substring("macvtap:".length()));
    }
    if (t.equals("hostonly")) return new NicSpec(Kind.HOSTONLY, DEFAULT_HOSTONLY);
    if (t.startsWith("hostonly:") && t.length() > "hostonly:".length()) {
      return new NicSpec(Kind.HOSTONLY, t.substring("hostonly:".length()));
    }
    throw new IllegalArgumentException("--nic " + text + ": use macvtap:IFACE or hostonly[:NETWORK]");
  }
}
