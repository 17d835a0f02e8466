package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A desktop user's sound server process (PipeWire and its session manager and Pulse bridge, or PulseAudio), as
 * single-GPU mode needs it: stopped only when the user's servers hold the card's audio function, and started again
 * the way it ran (its systemd user unit, or its command line as the same user in the same directory).
 *
 * @param unit the systemd user unit it runs in ("pipewire.service"), null when systemd --user did not start it
 * @param holdsCard it holds one of the card's audio nodes itself
 */
public record SoundServer(int pid, String name, String user, int uid, String unit, List<String> cmdline, String cwd,
    String runtimeDir, boolean holdsCard) {
  /** The programs vgapass knows as sound servers, in the order they are stopped (the ones that use pipewire first). */
  public static final List<String> NAMES = List.of("wireplumber", "pipewire-pulse", "pulseaudio", "pipewire");
  private static final Set<String> KNOWN = Set.copyOf(NAMES);

  public static boolean known(HostProcess p) {
    return KNOWN.contains(p.name()) || KNOWN.contains(p.comm());
  }

  /**
   * Every sound server of a regular user (uid 1000 and up), in stop order; {@code holding} are the pids that hold
   * the card's audio (a server whose child holds it counts as holding it).
   */
  public static List<SoundServer> find(List<HostProcess> processes, Set<Integer> holding, Map<Integer, String> users) {
    List<SoundServer> out = new ArrayList<>();
    for (String n : NAMES) {
      for (HostProcess p : processes) {
        if (!known(p) || !(p.name().equals(n) || p.comm().equals(n)) || p.uid() < 1000) continue;
        String user = users.get(p.uid());
        if (user == null) continue; // not a user of this host's passwd: not a desktop user's server
        boolean holds = holding.contains(p.pid());
        out.add(new SoundServer(p.pid(), n, user, p.uid(), userUnit(p.cgroup()), p.cmdline(), p.cwd(),
            p.runtimeDir(), holds));
      }
    }
    return out;
  }

  /** "pipewire.service" for a cgroup under user@UID.service, else null. */
  static String userUnit(String cgroup) {
    if (!cgroup.contains("/user@")) return null;
    String last = cgroup.substring(cgroup.lastIndexOf('/') + 1);
    return last.matches("[A-Za-z0-9@._+-]{1,64}\\.service") ? last : null;
  }

  /** Regular users by uid, from etc/passwd. */
  public static Map<Integer, String> users(SysRoot root) {
    Map<Integer, String> out = new java.util.HashMap<>();
    for (String line : root.lines("etc/passwd")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && f[0].matches("[a-z_][a-z0-9_.-]{0,31}") && f[2].matches("[0-9]{1,9}")) {
        out.putIfAbsent(Integer.parseInt(f[2]), f[0]);
      }
    }
    return out;
  }
}
