package io.vgapass.host;

/** Which service manager the host runs, as the messages that tell a user how to restart a service need it. */
public final class InitSystem {
  private InitSystem() {}

  /** systemd marks its boot with /run/systemd/system (sd_booted(3)). */
  public static boolean systemd(SysRoot root) {
    return root.exists("run/systemd/system");
  }

  /** The command that restarts {@code service} on this host, for a hint; a plain sentence where neither is known. */
  public static String restartHint(SysRoot root, String service) {
    if (systemd(root)) return "sudo systemctl restart " + service;
    if (root.exists("etc/init.d/" + service)) return "sudo /etc/init.d/" + service + " restart";
    return "stop " + service + " and start it again";
  }
}
