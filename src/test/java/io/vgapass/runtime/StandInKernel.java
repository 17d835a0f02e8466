package io.vgapass.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel and the service manager would do to a {@link SingleGpuHost} fixture, since neither exists under a
 * fixture root: sysfs writes (driver_override, unbind, drivers_probe, a console's bind, a platform driver's
 * bind/unbind), and the commands vgapass runs (systemctl, an init script, loginctl, kill, runuser, modprobe). A
 * stopped service's processes move out of the tree and come back unchanged when it starts, so a full give-back
 * leaves the tree byte for byte as it was. Every call is recorded (the golden sequences); {@link #failAt} makes the
 * n-th call that would change something fail instead.
 */
final class StandInKernel implements Commands, SingleGpuHandover.SysWrites {
  private final SingleGpuHost host;
  private final Path stash;
  final List<String> calls = new ArrayList<>();
  private final Map<String, String> driverLinks = new HashMap<>();
  private final Map<String, String> platformLinks = new HashMap<>();
  private final Map<String, Integer> moduleLines = new HashMap<>();
  private final List<String> originalModules;
  private int changes;
  private int failAt = -1;

  StandInKernel(SingleGpuHost host, Path stash) {
    this.host = host;
    this.stash = stash;
    try {
      for (String f : host.naturalDrivers.keySet()) {
        Path link = host.root.resolve("sys/bus/pci/devices/" + f + "/driver");
        if (Files.isSymbolicLink(link)) driverLinks.put(f, Files.readSymbolicLink(link).toString());
      }
      Path mods = host.root.resolve("proc/modules");
      originalModules = Files.exists(mods) ? Files.readAllLines(mods) : List.of();
      for (int i = 0; i < originalModules.size(); i++) moduleLines.put(originalModules.get(i).split(" ")[0], i);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The n-th changing call (1-based) fails: a write throws, a command exits 1. */
  StandInKernel failAt(int n) {
    failAt = n;
    return this;
  }

  int changes() {
    return changes;
  }

  private boolean fails() {
    return ++changes == failAt;
  }

  @Override
  public void write(String relative, String value) {
    calls.add("write /" + relative + " " + value.replace("\n", "\\n"));
    if (fails()) throw new HookFailure("write error: injected failure");
    try {
      doWrite(relative, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void doWrite(String rel, String value) throws IOException {
    Path root = host.root;
    if (rel.endsWith("/driver_override")) {
      Files.writeString(root.resolve(rel), (value.isBlank() ? "(null)" : value) + "\n");
    } else if (rel.matches("sys/bus/pci/devices/[^/]+/driver/unbind")) {
      unbindPci(rel.split("/")[4]);
    } else if (rel.equals("sys/bus/pci/drivers_probe")) {
      probe(value);
    } else if (rel.matches("sys/class/vtconsole/vtcon[0-9]+/bind")) {
      Files.writeString(root.resolve(rel), value + "\n");
    } else if (rel.matches("sys/bus/platform/drivers/[^/]+/unbind")) {
      Path link = root.resolve("sys/bus/platform/devices/" + value + "/driver");
      platformLinks.put(value, Files.readSymbolicLink(link).toString());
      Files.delete(link);
    } else if (rel.matches("sys/bus/platform/drivers/[^/]+/bind")) {
      Path link = root.resolve("sys/bus/platform/devices/" + value + "/driver");
      if (!Files.isSymbolicLink(link)) Files.createSymbolicLink(link, Path.of(platformLinks.get(value)));
    } else if (!rel.endsWith("/status")) {
      throw new IOException("the stand-in kernel has no file /" + rel);
    }
  }

  private String driver(String f) throws IOException {
    Path link = host.root.resolve("sys/bus/pci/devices/" + f + "/driver");
    return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString() : null;
  }

  private void unbindPci(String f) throws IOException {
    String d = driver(f);
    if (d == null) return;
    Files.delete(host.root.resolve("sys/bus/pci/devices/" + f + "/driver"));
    Files.deleteIfExists(host.root.resolve("sys/bus/pci/drivers/" + d + "/" + f));
  }

  private void bindPci(String f, String driver) throws IOException {
    Path dev = host.root.resolve("sys/bus/pci/devices/" + f);
    String target = driver.equals(host.naturalDrivers.get(f)) ? driverLinks.get(f)
        : dev.toRealPath().getParent().relativize(host.root.resolve("sys/bus/pci/drivers/" + driver)).toString();
    Files.createSymbolicLink(dev.resolve("driver"), Path.of(target));
    Path back = host.root.resolve("sys/bus/pci/drivers/" + driver + "/" + f);
    Files.createSymbolicLink(back, back.getParent().relativize(dev.toRealPath()));
  }

  private void probe(String f) throws IOException {
    if (driver(f) != null) return;
    String override = Files.readString(host.root.resolve("sys/bus/pci/devices/" + f + "/driver_override")).trim();
    String natural = host.naturalDrivers.get(f);
    String want = override.equals("(null)") ? natural : override;
    if (want != null && driverLoaded(want)) bindPci(f, want);
  }

  private boolean driverLoaded(String driver) throws IOException {
    if (!driver.equals("nvidia")) return true;
    Path mods = host.root.resolve("proc/modules");
    return Files.readAllLines(mods).stream().anyMatch(l -> l.startsWith("nvidia "));
  }

  @Override
  public int run(List<String> command) {
    String line = String.join(" ", command).replace(host.root.toString(), "ROOT");
    calls.add("run " + line);
    if (fails()) return 1;
    try {
      return doRun(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int doRun(List<String> c) throws IOException {
    String verb = c.get(0);
    if (verb.equals("systemctl") && c.size() == 3) return service(c.get(2), c.get(1));
    if (verb.equals("systemctl") && c.get(1).equals("--user")) {
      String user = c.get(2).substring("--machine=".length(), c.get(2).length() - 1);
      return service(user + ":" + c.get(c.size() - 1), c.get(3)); // the service; its socket goes with it
    }
    if (verb.startsWith(host.root.resolve("etc/init.d").toString())) {
      return service(Path.of(verb).getFileName().toString(), c.get(1));
    }
    if (verb.equals("loginctl")) return service("session:" + c.get(2), "stop");
    if (verb.equals("kill")) return service("pid:" + c.get(2), "stop");
    if (verb.equals("runuser")) {
      List<String> args = c.subList(c.indexOf("-f") + 1, c.size());
      for (String s : host.services.keySet()) {
        if (!s.startsWith("pid:")) continue;
        Path cmdline = stash.resolve(s.substring(4) + "/cmdline");
        if (Files.exists(cmdline) && Files.readString(cmdline).equals(String.join("\0", args) + "\0")) {
          return service(s, "start");
        }
      }
      return 1;
    }
    if (verb.equals("modprobe")) return c.get(1).equals("-r") ? unload(c.get(2)) : load(c.get(1));
    return 127;
  }

  private int service(String name, String verb) throws IOException {
    List<Integer> pids = host.services.getOrDefault(name, List.of());
    for (int pid : pids) {
      Path live = host.root.resolve("proc/" + pid);
      Path away = stash.resolve(String.valueOf(pid));
      if (verb.equals("stop") && Files.exists(live)) {
        Files.createDirectories(stash);
        Files.move(live, away);
      } else if (verb.equals("start") && Files.exists(away)) {
        Files.move(away, live);
      }
    }
    return 0;
  }

  private int unload(String module) throws IOException {
    Path mods = host.root.resolve("proc/modules");
    List<String> lines = new ArrayList<>(Files.readAllLines(mods));
    // a module with a user (nvidia under nvidia_drm) cannot go: the stack must leave top-down
    int at = io.vgapass.host.DriverStack.NVIDIA_MODULES.indexOf(module);
    for (int i = 0; i < at; i++) {
      String above = io.vgapass.host.DriverStack.NVIDIA_MODULES.get(i);
      if (lines.stream().anyMatch(l -> l.startsWith(above + " "))) return 1;
    }
    if (module.equals("nvidia")) {
      for (String f : host.naturalDrivers.keySet()) if ("nvidia".equals(driver(f))) unbindPci(f);
    }
    lines.removeIf(l -> l.startsWith(module + " "));
    Files.write(mods, lines);
    return 0;
  }

  private int load(String module) throws IOException {
    if (!moduleLines.containsKey(module)) return module.equals("vfio-pci") ? 0 : 1;
    Path mods = host.root.resolve("proc/modules");
    List<String> lines = new ArrayList<>(Files.readAllLines(mods));
    if (lines.stream().noneMatch(l -> l.startsWith(module + " "))) {
      String line = originalModules.get(moduleLines.get(module));
      // back where it was, so the file reads as before
      int pos = 0;
      while (pos < lines.size() && moduleLines.getOrDefault(lines.get(pos).split(" ")[0], -1) < moduleLines.get(module)) pos++;
      lines.add(pos, line);
      Files.write(mods, lines);
    }
    if (module.equals("nvidia")) {
      for (String f : host.naturalDrivers.keySet()) {
        if ("nvidia".equals(host.naturalDrivers.get(f)) && driver(f) == null) probe(f);
      }
    }
    return 0;
  }

  /** Every file, directory and link under the root with its bytes or target: the tree to compare. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (var s = Files.walk(root)) {
      for (Path p : s.toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) out.put(rel, "-> " + Files.readSymbolicLink(p));
        else if (Files.isDirectory(p)) out.put(rel, "dir");
        else out.put(rel, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }
}
