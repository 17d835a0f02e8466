package io.vgapass.runtime;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixture root of a one-card desktop for single-GPU tests: the card (from a sketch), its device nodes, DRM
 * connectors, framebuffer console and boot framebuffer, /etc/passwd, the service manager's marks, and processes
 * under proc with their fd links. {@link #services} tells the stand-in kernel which processes each service runs.
 */
final class SingleGpuHost {
  final Path root;
  final String card;
  final String audio;
  /** Service (unit, init script, "USER:unit", "session:ID", "pid:N") to the pids it runs. */
  final Map<String, List<Integer>> services = new LinkedHashMap<>();
  /** The driver each function comes back to when probed (the kernel's own choice). */
  final Map<String, String> naturalDrivers = new LinkedHashMap<>();

  private SingleGpuHost(Path root, String card, String audio) {
    this.root = root;
    this.card = card;
    this.audio = audio;
  }

  /** A card on its root port with its HDMI audio, group 5; {@code extra} sketch lines (modules, etc.). */
  static SingleGpuHost card(Path root, String ids, String driver, String audioIds, String... extra) {
    List<String> lines = new ArrayList<>(List.of("iommu amd", "kernel 6.1.0-18-amd64",
        "pci 0000:00:03.1 1022:1483 class=060400 driver=pcieport group=5",
        "pci 0000:0b:00.0 " + ids + " class=030000 driver=" + driver + " parent=0000:00:03.1 boot_vga=1 group=5",
        "dir sys/bus/pci/drivers/vfio-pci run/vgapass"));
    if (audioIds != null) {
      lines.add("pci 0000:0b:00.1 " + audioIds + " class=040300 driver=snd_hda_intel parent=0000:00:03.1 group=5");
    }
    lines.addAll(List.of(extra));
    try {
      SketchWriter.write(HostSketch.parse("single", String.join("\n", lines) + "\n"), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SingleGpuHost h = new SingleGpuHost(root, "0000:0b:00.0", audioIds == null ? null : "0000:0b:00.1");
    h.naturalDrivers.put(h.card, driver);
    if (audioIds != null) h.naturalDrivers.put(h.audio, "snd_hda_intel");
    h.file("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nGdm:x:120:128::/var/lib/gdm3:/bin/false\n"
        + "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n");
    h.file("dev/vfio/vfio", "");
    h.file("dev/vfio/5", "");
    return h;
  }

  /** The DRM nodes and one connector of the card (card0, renderD128, HDMI-A-1). */
  SingleGpuHost drm() {
    String d = "sys/bus/pci/devices/" + card + "/drm/";
    dir(d + "card0/card0-HDMI-A-1");
    file(d + "card0/card0-HDMI-A-1/status", "connected\n");
    dir(d + "renderD128");
    file("dev/dri/card0", "");
    file("dev/dri/renderD128", "");
    return this;
  }

  /** A framebuffer of the card (fb0: a DRM driver's emulation or aty128fb's own). */
  SingleGpuHost fb() {
    dir("sys/bus/pci/devices/" + card + "/graphics/fb0");
    file("dev/fb0", "");
    return this;
  }

  /** The audio function's ALSA card 0. */
  SingleGpuHost sound() {
    dir("sys/bus/pci/devices/" + audio + "/sound/card0");
    file("dev/snd/controlC0", "");
    file("dev/snd/pcmC0D3p", "");
    return this;
  }

  /** vtcon0 the bound framebuffer console, vtcon1 the dummy one. */
  SingleGpuHost consoles() {
    file("sys/class/vtconsole/vtcon0/name", "(M) frame buffer device\n");
    file("sys/class/vtconsole/vtcon0/bind", "1\n");
    file("sys/class/vtconsole/vtcon1/name", "(S) dummy device\n");
    file("sys/class/vtconsole/vtcon1/bind", "0\n");
    return this;
  }

  /** The firmware's framebuffer: efi-framebuffer.0 (or simple-framebuffer.0) bound to its platform driver. */
  SingleGpuHost bootFramebuffer(String device, String driver) {
    dir("sys/bus/platform/drivers/" + driver);
    dir("sys/bus/platform/devices/" + device);
    link("sys/bus/platform/devices/" + device + "/driver", "../../drivers/" + driver);
    return this;
  }

  SingleGpuHost systemd(String displayManager) {
    dir("run/systemd/system");
    if (displayManager != null) {
      file("usr/lib/systemd/system/" + displayManager, "[Unit]\n");
      link("etc/systemd/system/display-manager.service", "/usr/lib/systemd/system/" + displayManager);
    }
    return this;
  }

  /** Debian without systemd: the display manager named by /etc/X11/default-display-manager, its init script. */
  SingleGpuHost sysvinit(String program) {
    file("etc/X11/default-display-manager", "/usr/sbin/" + program + "\n");
    file("etc/init.d/" + program, "#!/bin/sh\n");
    return this;
  }

  /** A process; {@code holds} are device nodes its fds point to. */
  SingleGpuHost process(int pid, String comm, int uid, int ppid, String cgroup, String session, String cmdline,
      String... holds) {
    String d = "proc/" + pid + "/";
    file(d + "comm", comm + "\n");
    file(d + "status", "Name:\t" + comm + "\nPPid:\t" + ppid + "\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
        + "\n");
    file(d + "cgroup", "0::" + cgroup + "\n");
    file(d + "sessionid", session == null ? "4294967295" : session);
    file(d + "cmdline", cmdline.replace(' ', '\0') + "\0");
    file(d + "environ", uid >= 1000 ? "HOME=/home/alice\0XDG_RUNTIME_DIR=/run/user/" + uid + "\0" : "HOME=/\0");
    link(d + "cwd", uid >= 1000 ? "/home/alice" : "/var/empty"); // real daemons: "/", which JUnit warns about
    dir(d + "fd");
    link(d + "fd/0", "pipe:[" + (40000 + pid) + "]");
    for (int i = 0; i < holds.length; i++) link(d + "fd/" + (20 + i), holds[i]);
    return this;
  }

  SingleGpuHost service(String name, Integer... pids) {
    services.put(name, List.of(pids));
    return this;
  }

  SingleGpuHost file(String relative, String content) {
    try {
      Path p = root.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  private void dir(String relative) {
    try {
      Files.createDirectories(root.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void link(String relative, String target) {
    try {
      Path p = root.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.deleteIfExists(p);
      Files.createSymbolicLink(p, Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Processes added or removed while a test runs (a QEMU that holds the card's VFIO group, then is killed). */
  static final class Proc {
    private final SingleGpuHost host;

    Proc(SingleGpuHost host) {
      this.host = host;
    }

    void qemu(int pid) {
      host.process(pid, "qemu-system-x86", 64055, 1, "/machine.slice/machine-qemu.scope", null,
          "/usr/bin/qemu-system-x86_64 -name guest=win11", "/dev/vfio/5");
    }

    void remove(int pid) throws IOException {
      try (var s = Files.walk(host.root.resolve("proc/" + pid))) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }
}
