package io.vgapass.runtime;

import io.vgapass.host.BootFramebuffers;
import io.vgapass.host.CardHolders;
import io.vgapass.host.DisplayManager;
import io.vgapass.host.DriverStack;
import io.vgapass.host.HostProcess;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SingleGpuSurvey;
import io.vgapass.host.SoundServer;
import io.vgapass.host.SysRoot;
import io.vgapass.host.VtConsoles;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-GPU mode's hand-over of the host's only card, as a transaction on the VM's state file: each step is
 * recorded before it is made, in this order: stop the display manager, end a TTY compositor's login session, stop
 * the desktop user's sound server (only if it holds the card's audio), wait until nothing holds the card, unbind the
 * framebuffer consoles and the boot framebuffer, unload NVIDIA's modules (top-down), give every function to
 * vfio-pci. A step that fails, or a hand-over that runs past its limit, throws a {@link HookFailure} naming the step;
 * {@link Lifecycle} then replays the state file backwards ({@link #undo}), which is also what libvirt's release runs
 * at stop and after a crashed QEMU, and what {@code gpu reclaim --force} runs by hand.
 */
public final class SingleGpuHandover {
  static final StateKind DM = StateKind.SINGLE_DM;
  static final StateKind SESSION = StateKind.SINGLE_SESSION;
  static final StateKind SOUND = StateKind.SINGLE_SOUND;
  static final StateKind CONNECTORS = StateKind.SINGLE_CONNECTORS;
  static final StateKind VTCON = StateKind.SINGLE_VTCON;
  static final StateKind BOOTFB = StateKind.SINGLE_BOOTFB;
  static final StateKind MODULE = StateKind.SINGLE_MODULE;
  static final StateKind VFIO = StateKind.SINGLE_VFIO;

  /** Time and waiting, a seam so tests can run past the limit without sleeping. */
  public interface Pace {
    long millis();

    void pause(long ms);

    Pace REAL = new Pace() {
      @Override
      public long millis() {
        return System.nanoTime() / 1_000_000;
      }

      @Override
      public void pause(long ms) {
        try {
          Thread.sleep(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HookFailure("interrupted while waiting for the card to be free");
        }
      }
    };
  }

  /** Writes a kernel file; tests put a stand-in kernel here that acts on the fixture tree as sysfs would. */
  public interface SysWrites {
    void write(String relative, String value);
  }

  private final SysRoot root;
  private final Commands commands;
  private final ServiceManager services;
  private final SysWrites sys;
  private final Pace pace;

  public SingleGpuHandover(SysRoot root, Commands commands) {
    this(root, commands, new SysFiles(root)::write, Pace.REAL);
  }

  public SingleGpuHandover(SysRoot root, Commands commands, SysWrites sys, Pace pace) {
    this.root = root;
    this.commands = commands;
    this.services = ServiceManager.of(root, commands);
    this.sys = sys;
    this.pace = pace;
  }

  /** Hands the card over; returns one log line per step. Nothing is changed when a blocker holds the card. */
  public List<String> handOver(PciAddress card, int limitSeconds, StateStore state) {
    List<String> functions = new GpuHandover(root, commands).functions(card);
    SingleGpuSurvey s = SingleGpuSurvey.of(root, card.toString(), functions);
    if (!s.blockers().isEmpty()) {
      throw new HookFailure("single-GPU hand-over refused, nothing changed: " + String.join("; ",
          s.blockers().stream().map(Object::toString).toList()) + ", which is not a display manager or sound server "
          + "vgapass knows (vgapass never kills it); close it and start the VM again");
    }
    long deadline = pace.millis() + limitSeconds * 1000L;
    Steps steps = new Steps(state, deadline, limitSeconds);
    DisplayManager dm = s.displayManager();
    if (dm != null) {
      steps.run("stop the display manager " + dm.describe(), new StateStore.Entry(DM, dm.manager() + ":" + dm.name(),
          "", 0), () -> must(services.stop(dm.name()), String.join(" ", services.command("stop", dm.name()))));
    }
    s.sessions().forEach((id, hs) -> steps.run("end login session " + id + " (" + hs.get(0).name() + ")",
        new StateStore.Entry(SESSION, id, hs.get(0).name(), 0),
        () -> must(commands.run(List.of("loginctl", "terminate-session", id)), "loginctl terminate-session " + id)));
    for (SoundServer snd : s.soundServers()) {
      if (snd.unit() != null) {
        steps.run("stop " + snd.user() + "'s " + snd.unit(), new StateStore.Entry(SOUND, "systemd:" + snd.user() + ":"
            + snd.unit(), "", 0), () -> must(services.stopUser(snd.user(), snd.unit()),
                String.join(" ", services.userCommand("stop", snd.user(), snd.unit()))));
      } else {
        steps.run("stop " + snd.user() + "'s " + snd.name() + " (pid " + snd.pid() + ")", new StateStore.Entry(SOUND,
            "process:" + snd.user() + ":" + snd.pid(), SoundServerRestart.encode(snd), 0), () -> stopProcess(snd));
      }
    }
    steps.check("wait until nothing holds the card");
    waitFree(s.nodes(), deadline, limitSeconds);
    steps.run("note the card's connectors for a re-probe at stop", new StateStore.Entry(CONNECTORS, card.toString(),
        "", 0), () -> { });
    for (VtConsoles.Console c : s.consoles()) {
      steps.run("unbind the framebuffer console " + c.name(), new StateStore.Entry(VTCON, c.bindFile(), "1", 0),
          () -> sys.write(c.bindFile(), "0"));
    }
    for (BootFramebuffers.BootFramebuffer b : s.bootFramebuffers()) {
      steps.run("unbind the boot framebuffer " + b.device() + " from " + b.driver(), new StateStore.Entry(BOOTFB,
          b.driverDir(), b.device(), 0), () -> sys.write(b.driverDir() + "/unbind", b.device()));
    }
    for (String m : s.drivers().unload()) {
      steps.run("unload " + m, new StateStore.Entry(MODULE, m, "", 0),
          () -> must(commands.run(List.of("modprobe", "-r", m)), "modprobe -r " + m));
    }
    if (!root.exists("sys/bus/pci/drivers/vfio-pci")) {
      // loading vfio-pci is not undone (as gpu release): it holds nothing until a device is bound to it
      steps.run("load vfio-pci", null, () -> must(commands.run(List.of("modprobe", "vfio-pci")),
          "modprobe vfio-pci (is VFIO in this kernel? vgapass doctor)"));
    }
    for (DriverStack.Binding b : s.drivers().bindings()) {
      String was = driver(b.address());
      steps.run("give " + b.address() + " to vfio-pci", new StateStore.Entry(VFIO, b.address(), was == null ? ""
          : was, 0), () -> toVfio(b.address()));
    }
    return steps.log;
  }

  /** Runs each step after recording it, within the deadline, and names the step that failed. */
  private final class Steps {
    final StateStore state;
    final long deadline;
    final int limit;
    final List<String> log = new ArrayList<>();

    Steps(StateStore state, long deadline, int limit) {
      this.state = state;
      this.deadline = deadline;
      this.limit = limit;
    }

    void check(String step) {
      if (pace.millis() > deadline) {
        throw new HookFailure("single-GPU hand-over failed before step '" + step + "': it took longer than its limit"
            + " of " + limit + " s (vgapass plan --single-gpu-limit); what was done is given back");
      }
    }

    /** Records {@code e} (null: nothing to undo), then runs the action. */
    void run(String step, StateStore.Entry e, Runnable action) {
      check(step);
      if (e != null) state.record(e);
      try {
        action.run();
      } catch (RuntimeException x) {
        throw new HookFailure("single-GPU hand-over failed at step '" + step + "': " + x.getMessage()
            + "; what was done is given back");
      }
      log.add(step);
    }
  }

  private void waitFree(List<String> nodes, long deadline, int limit) {
    while (true) {
      List<CardHolders.Holder> held = CardHolders.holders(root, nodes);
      if (held.isEmpty()) return;
      if (pace.millis() > deadline) {
        throw new HookFailure("single-GPU hand-over failed at step 'wait until nothing holds the card': after "
            + limit + " s " + String.join("; ", held.stream().map(Object::toString).toList())
            + "; what was done is given back");
      }
      pace.pause(50);
    }
  }

  private void stopProcess(SoundServer snd) {
    HostProcess now = HostProcess.read(root, snd.pid());
    if (!now.comm().equals("?") && !now.name().equals(snd.name()) && !now.comm().equals(snd.name())) {
      return; // gone, and the number is someone else's now: nothing of ours to stop
    }
    if (!root.exists("proc/" + snd.pid())) return;
    must(commands.run(List.of("kill", "-TERM", String.valueOf(snd.pid()))), "kill -TERM " + snd.pid());
  }

  private void toVfio(String address) {
    String dir = "sys/bus/pci/devices/" + address;
    sys.write(dir + "/driver_override", "vfio-pci");
    if (driver(address) != null && !"vfio-pci".equals(driver(address))) sys.write(dir + "/driver/unbind", address);
    if (!"vfio-pci".equals(driver(address))) sys.write("sys/bus/pci/drivers_probe", address);
    String now = driver(address);
    if (!"vfio-pci".equals(now)) {
      throw new HookFailure(address + " is on " + (now == null ? "no driver" : now) + ", not vfio-pci, after "
          + "drivers_probe (dmesg says why)");
    }
  }

  private String driver(String address) {
    return root.linkNameAt(root.resolve("sys/bus/pci/devices/" + address + "/driver")).orElse(null);
  }

  private static void must(int code, String what) {
    if (code != 0) throw new HookFailure(what + " exited " + code);
  }

  /** Gives back what one state entry records; a HookFailure keeps it for the next release. Returns the log line. */
  public String undo(StateStore.Entry e) {
    StateKind kind = e.type();
    if (!kind(kind)) throw new HookFailure("not a single-GPU step: " + e.kind());
    switch (kind) {
      case SINGLE_VFIO -> {
        String address = e.path();
        String group = root.linkNameAt(root.resolve("sys/bus/pci/devices/" + address + "/iommu_group")).orElse(null);
        if (group != null) {
          List<CardHolders.Holder> held = CardHolders.holders(root, List.of("/dev/vfio/" + group));
          if (!held.isEmpty()) {
            throw new HookFailure(address + " is still in use: " + held.get(0) + " (the VM's QEMU has not exited)");
          }
        }
        String dir = "sys/bus/pci/devices/" + address;
        sys.write(dir + "/driver_override", "\n");
        if ("vfio-pci".equals(driver(address))) sys.write(dir + "/driver/unbind", address);
        tryWrite("sys/bus/pci/drivers_probe", address); // a driver that is not loaded yet takes it when it loads
        return "gave " + address + " back to " + (driver(address) == null ? "its driver (when loaded)" : driver(address));
      }
      case SINGLE_MODULE -> {
        must(commands.run(List.of("modprobe", e.path())), "modprobe " + e.path());
        return "loaded " + e.path();
      }
      case SINGLE_BOOTFB -> {
        sys.write(e.path() + "/bind", e.previous());
        return "bound the boot framebuffer " + e.previous() + " again";
      }
      case SINGLE_VTCON -> {
        sys.write(e.path(), "1");
        return "bound the framebuffer console " + e.path().split("/")[3] + " again";
      }
      case SINGLE_CONNECTORS -> {
        int n = reprobe(e.path());
        return "asked " + n + " connector" + (n == 1 ? "" : "s") + " of " + e.path() + " to detect the display again";
      }
      case SINGLE_SOUND -> {
        String[] f = e.path().split(":", 3);
        if (f[0].equals("systemd")) {
          must(services.startUser(f[1], f[2]), String.join(" ", services.userCommand("start", f[1], f[2])));
          return "started " + f[1] + "'s " + f[2];
        }
        List<String> cmd = SoundServerRestart.command(root, f[1], e.previous());
        List<String> args = cmd.subList(cmd.indexOf("-f") + 1, cmd.size());
        if (f[2].matches("[0-9]{1,10}") && HostProcess.read(root, Integer.parseInt(f[2])).cmdline().equals(args)) {
          return f[1] + "'s sound server (pid " + f[2] + ") still runs: the step that stopped it had failed";
        }
        must(commands.run(cmd), String.join(" ", cmd));
        return "started " + f[1] + "'s sound server again (" + String.join(" ", cmd.subList(cmd.indexOf("-f") + 1,
            cmd.size())) + ")";
      }
      case SINGLE_SESSION -> {
        return "login session " + e.path() + " (" + e.previous() + ") was ended: log in again";
      }
      case SINGLE_DM -> {
        String name = e.path().substring(e.path().indexOf(':') + 1);
        must(services.start(name), String.join(" ", services.command("start", name)));
        return "started the display manager " + name;
      }
      default -> throw new HookFailure("not a single-GPU step: " + e.kind());
    }
  }

  /** Writes "detect" to each connector's status of the card's DRM devices, so a link that dropped comes back. */
  private int reprobe(String card) {
    int n = 0;
    for (String f : new GpuHandover(root, commands).functions(PciAddress.parse(card))) {
      for (String drm : root.list("sys/bus/pci/devices/" + f + "/drm")) {
        if (!drm.matches("card[0-9]+")) continue;
        for (String c : root.list("sys/bus/pci/devices/" + f + "/drm/" + drm)) {
          if (c.startsWith(drm + "-") && tryWrite("sys/bus/pci/devices/" + f + "/drm/" + drm + "/" + c + "/status",
              "detect")) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private boolean tryWrite(String relative, String value) {
    try {
      sys.write(relative, value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True for the kinds this class records and undoes. */
  static boolean kind(StateKind kind) {
    return kind != null && kind.id().startsWith("single-");
  }
}
