package io.vgapass.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What handing the host's only card to a VM must stop, release and unload on this host, read through the root:
 * who holds the card (by /proc/PID/fd), the display manager, a compositor started from a TTY (its login session),
 * the desktop users' sound servers (stopped only when one of them holds the card's audio function), the framebuffer
 * consoles, the boot framebuffer and the driver stack. A holder that is none of these is a blocker: vgapass never
 * kills a process it does not know.
 *
 * @param displayManager the running display manager, null when none runs
 * @param sessions login sessions of compositors started from a TTY (no display manager), by session id
 * @param soundServers the sound servers to stop (empty when none holds the card's audio)
 * @param keptSoundServers sound servers that stay (they hold nothing of the card)
 * @param blockers holders vgapass does not know: the hand-over refuses while they run
 */
public record SingleGpuSurvey(String card, List<String> functions, List<String> nodes,
    List<CardHolders.Holder> holders, DisplayManager displayManager, Map<String, List<CardHolders.Holder>> sessions,
    List<SoundServer> soundServers, List<SoundServer> keptSoundServers, List<VtConsoles.Console> consoles,
    List<BootFramebuffers.BootFramebuffer> bootFramebuffers, DriverStack drivers, List<CardHolders.Holder> blockers) {

  /** Programs of a graphical session or of a display manager (comm is cut at 15 characters; both forms match). */
  static final Set<String> DESKTOP = Set.of("Xorg", "X", "Xwayland", "gnome-shell", "kwin_wayland", "kwin_x11",
      "kwin_wayland_wrapper", "kwin_wayland_wr", "plasmashell", "ksmserver", "sway", "weston", "mutter", "Hyprland",
      "labwc", "wayfire", "cage", "startplasma-wayland", "startplasma-way", "gdm-wayland-session", "gdm-wayland-ses",
      "gdm-x-session", "gdm-session-worker", "gdm-session-wor", "sddm-greeter", "sddm-helper", "lightdm-gtk-greeter",
      "lightdm-gtk-gre", "gdm", "gdm3", "sddm", "lightdm");

  /** The survey for the card's own functions (as {@link GpuCandidate#functions}). */
  public static SingleGpuSurvey of(SysRoot root, String card, List<String> functions) {
    List<HostProcess> processes = HostProcess.pids(root).stream().map(p -> HostProcess.read(root, p)).toList();
    Map<Integer, HostProcess> byPid = new LinkedHashMap<>();
    processes.forEach(p -> byPid.put(p.pid(), p));
    List<String> nodes = CardHolders.nodes(root, functions);
    List<CardHolders.Holder> holders = CardHolders.holders(root, nodes);
    List<String> audio = CardHolders.audioNodes(root, functions);
    DisplayManager dm = DisplayManager.find(root, processes);
    if (dm != null && !dm.running()) dm = null;
    Map<Integer, String> users = SoundServer.users(root);
    Set<Integer> holding = new java.util.HashSet<>();
    for (CardHolders.Holder h : holders) {
      if (!audio.contains(h.node())) continue;
      HostProcess server = ancestor(byPid.get(h.pid()), SoundServer::known, byPid);
      holding.add(server == null ? h.pid() : server.pid());
    }
    List<SoundServer> servers = SoundServer.find(processes, holding, users);
    Set<Integer> stopUids = new java.util.HashSet<>();
    servers.stream().filter(SoundServer::holdsCard).forEach(s -> stopUids.add(s.uid()));
    List<SoundServer> stop = servers.stream().filter(s -> stopUids.contains(s.uid())).toList();
    List<SoundServer> kept = servers.stream().filter(s -> !stopUids.contains(s.uid())).toList();
    Map<String, List<CardHolders.Holder>> sessions = new LinkedHashMap<>();
    List<CardHolders.Holder> blockers = new ArrayList<>();
    for (CardHolders.Holder h : holders) {
      HostProcess p = byPid.get(h.pid());
      if (p == null) p = HostProcess.read(root, h.pid());
      // a sound server being stopped, or a child of one (a script's sleep holding its fd): gone with it
      if (ancestor(p, q -> stop.stream().anyMatch(s -> s.pid() == q.pid()), byPid) != null) continue;
      boolean desktop = DESKTOP.contains(p.comm()) || DESKTOP.contains(p.name());
      if (dm != null && (desktop || descendsFrom(p, dm, byPid))) continue; // stopping the display manager ends it
      if (dm == null && desktop && p.sessionId() != null) {
        sessions.computeIfAbsent(p.sessionId(), k -> new ArrayList<>()).add(h);
        continue;
      }
      blockers.add(h);
    }
    return new SingleGpuSurvey(card, List.copyOf(functions), nodes, holders, dm, sessions, stop, kept,
        VtConsoles.boundFramebuffers(root), BootFramebuffers.bound(root), DriverStack.of(root, functions),
        List.copyOf(blockers));
  }

  /** The process itself or its nearest ancestor that matches, or null (at most 64 generations up). */
  private static HostProcess ancestor(HostProcess p, java.util.function.Predicate<HostProcess> match,
      Map<Integer, HostProcess> byPid) {
    HostProcess at = p;
    for (int depth = 0; at != null && depth < 64; depth++) {
      if (match.test(at)) return at;
      if (at.ppid() <= 1 || at.ppid() == at.pid()) return null;
      at = byPid.get(at.ppid());
    }
    return null;
  }

  /** The display manager's own processes and their children (its greeter, the X server it started, the sessions). */
  private static boolean descendsFrom(HostProcess p, DisplayManager dm, Map<Integer, HostProcess> byPid) {
    HostProcess at = p;
    for (int depth = 0; at != null && depth < 64; depth++) {
      if (dm.programs().contains(at.comm()) || dm.programs().contains(at.name())) return true;
      if (dm.manager().equals(DisplayManager.SYSTEMD) && at.cgroup().endsWith("/" + dm.name())) return true;
      if (at.ppid() <= 1 || at.ppid() == at.pid()) return false;
      at = byPid.get(at.ppid());
    }
    return false;
  }

  /** What the hand-over will do on this host, one line each, in order (doctor and plan say these). */
  public List<String> steps() {
    List<String> out = new ArrayList<>();
    if (!blockers.isEmpty()) {
      out.add("refuse to start while " + String.join("; ", blockers.stream().map(Object::toString).toList())
          + " (not a display manager or sound server vgapass knows; vgapass never kills it: close it first)");
    }
    if (displayManager != null) out.add("stop the display manager " + displayManager.describe());
    sessions.forEach((id, hs) -> out.add("end login session " + id + " (" + hs.get(0).name()
        + " started from a text console holds the card); log in again after the VM stops"));
    for (SoundServer s : soundServers) {
      out.add("stop " + s.user() + "'s sound server " + s.name() + (s.unit() == null ? " (pid " + s.pid() + ")"
          : " (" + s.unit() + ", systemd --user)") + (s.holdsCard() ? ": it holds the card's audio" : ""));
    }
    for (VtConsoles.Console c : consoles) out.add("unbind the framebuffer console " + c.name());
    for (BootFramebuffers.BootFramebuffer b : bootFramebuffers) {
      out.add("unbind the boot framebuffer " + b.device() + " from " + b.driver());
    }
    for (String m : drivers.unload()) out.add("unload " + m + " (modprobe -r)");
    for (DriverStack.Binding b : drivers.bindings()) {
      out.add((b.driver() == null ? "bind " + b.address() : "unbind " + b.address() + " from " + b.driver() + " and bind it")
          + " to vfio-pci");
    }
    return out;
  }
}
