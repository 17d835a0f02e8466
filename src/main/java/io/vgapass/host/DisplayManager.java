package io.vgapass.host;

import java.util.List;
import java.util.Set;

/**
 * The display manager and how this host's service manager controls it. With systemd (run/systemd/system exists):
 * {@code display-manager.service}, whatever unit it links to (gdm.service, sddm.service, lightdm.service). Without
 * systemd: the program Debian's {@code /etc/X11/default-display-manager} names, through its init script
 * {@code /etc/init.d/NAME}.
 *
 * @param manager "systemd" or "sysvinit"
 * @param name the unit ("gdm.service") or the init script's name ("lightdm")
 * @param programs the process names it runs under (comm is cut at 15 characters)
 * @param running a process of it runs now
 */
public record DisplayManager(String manager, String name, Set<String> programs, boolean running) {
  public static final String SYSTEMD = "systemd";
  public static final String SYSVINIT = "sysvinit";
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9@._+-]{0,63}";

  /** True when systemd is the service manager (sd_booted's test). */
  public static boolean systemd(SysRoot root) {
    return InitSystem.systemd(root);
  }

  /** The host's display manager, or null when it has none (a desktop started from a TTY, or no desktop). */
  public static DisplayManager find(SysRoot root, List<HostProcess> processes) {
    if (systemd(root)) {
      String link = root.linkNameAt(root.resolve("etc/systemd/system/display-manager.service")).orElse(null);
      if (link == null || !link.matches(NAME) || !link.endsWith(".service")) return null;
      String base = link.substring(0, link.length() - ".service".length());
      Set<String> programs = base.startsWith("gdm") ? Set.of("gdm", "gdm3") : Set.of(base);
      return new DisplayManager(SYSTEMD, link, programs, runs(processes, programs, "/" + link));
    }
    String path = root.read("etc/X11/default-display-manager").map(String::trim).orElse("");
    String base = path.substring(path.lastIndexOf('/') + 1);
    if (!base.matches(NAME) || !root.exists("etc/init.d/" + base)) return null;
    Set<String> programs = Set.of(base.length() > 15 ? base.substring(0, 15) : base);
    return new DisplayManager(SYSVINIT, base, programs, runs(processes, programs, null));
  }

  private static boolean runs(List<HostProcess> processes, Set<String> programs, String unitInCgroup) {
    return processes.stream().anyMatch(p -> programs.contains(p.comm()) || programs.contains(p.name())
        || unitInCgroup != null && p.cgroup().endsWith(unitInCgroup));
  }

  /** How the user would say it: "gdm.service (systemd)", "/etc/init.d/lightdm". */
  public String describe() {
    return manager.equals(SYSTEMD) ? name + " (systemd)" : "/etc/init.d/" + name;
  }
}
