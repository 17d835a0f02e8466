package io.vgapass.cli;

import io.vgapass.domain.DeviceEdits;
import io.vgapass.domain.DevicePaths;
import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import io.vgapass.input.EvdevInputs;
import io.vgapass.libvirt.LibvirtPort;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evdev", sortOptions = false,
    description = {"evdev passthrough, the alternative to USB switching: QEMU reads the host's keyboard and mouse, "
        + "and a key combination moves them between host and guest.",
        "Adds <input type='evdev'> entries to the domain's definition through the domain engine (validated, "
            + "redefined, recorded as vgapass's in its metadata, so vm tune keeps them); they take effect at the "
            + "next start. Running it again changes nothing; --remove takes them out again."})
final class InputEvdevCommand implements Callable<Integer> {
  @Mixin DomainOption domain;
  @Option(names = "--device", paramLabel = "/dev/input/by-id/...", description = "Repeatable. Default: every "
      + "...-event-kbd and ...-event-mouse in /dev/input/by-id.") List<String> devices = new ArrayList<>();
  @Option(names = "--grab-toggle", paramLabel = "KEYS", description = "ctrl-ctrl (default for a new keyboard; an "
      + "existing one keeps its own), alt-alt, shift-shift, meta-meta, scrolllock or ctrl-scrolllock.") String toggle;
  @Mixin RootDirOption sysroot;
  @Option(names = "--remove", description = "Take out the evdev entries vgapass added (those named with --device, "
      + "else all of them); the domain's own entries stay.") boolean remove;
  @Mixin DryRunOption dryRun;
  @Mixin ConnectOption connect;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (remove) return remove(out);
    if (toggle != null) EvdevInputs.checkToggle(toggle);
    List<String> devs = devices.isEmpty() ? EvdevInputs.defaults(sysroot.root()) : devices;
    if (devs.isEmpty()) {
      throw new UserError("no keyboard or mouse in /dev/input/by-id; name them with --device /dev/input/by-id/...");
    }
    devs = devs.stream().distinct().toList();
    var specs = EvdevInputs.specs(devs, toggle);
    if (!devices.isEmpty() && local(connect.uri)) {
      SysRoot root = sysroot.root();
      for (String dev : devs) {
        Path p = root.resolve(dev.substring(1));
        if (!Files.exists(p)) {
          throw new UserError("--device " + dev + ": no such input device"
              + (sysroot.dir == null ? "" : " under " + sysroot.dir)
              + "; vgapass input devices lists the keyboards and mice (ls /dev/input/by-id)");
        }
      }
    }
    try (LibvirtPort port = connect.open()) {
      DomainEdit edit = DomainEdit.read(port, domain.name, connect.uri);
      XmlDoc doc = edit.doc();
      List<DeviceEdits.Result> results = DeviceEdits.inputs(doc, specs, port.libvirtVersion());
      String note = edit.validate();
      String used = toggle;
      for (int k = 0; k < devs.size(); k++) {
        String dev = devs.get(k);
        String t = doc.list(DomainPaths.EVDEV_INPUTS).stream().filter(i -> dev.equals(i.get(DevicePaths.SOURCE_DEV)))
            .map(i -> i.get(DevicePaths.SOURCE_GRAB_TOGGLE)).filter(x -> x != null).findFirst().orElse("ctrl-ctrl");
        if (EvdevInputs.keyboard(dev) && used == null) used = t;
        String line = EvdevInputs.line(dev, t, results.get(k));
        out.println(dryRun.on ? line.replaceFirst("^added ", "would add ") : line);
      }
      if (dryRun.on) {
        out.print(edit.diff());
        out.println("dry run: nothing was defined");
        return ExitCode.OK;
      }
      if (edit.changed()) {
        edit.define(port);
        out.println("redefined " + domain.name + " (takes effect at its next start)" + note);
      }
      out.println(EvdevInputs.explain(used == null ? "ctrl-ctrl" : used));
      if (edit.changed()) NextStep.print(out, NextStep.start(port, domain.name));
    }
    return ExitCode.OK;
  }

  /** The domain runs on this machine, so its /dev/input is ours to check (not for qemu+ssh://other/...). */
  private static boolean local(String uri) {
    int at = uri.indexOf("://");
    return at < 0 || uri.startsWith("/", at + 3) || uri.startsWith("localhost/", at + 3);
  }

  private int remove(PrintWriter out) {
    if (toggle != null) throw new UserError("--remove takes no --grab-toggle");
    EvdevInputs.specs(devices, null); // the same check of the names as when adding
    try (LibvirtPort port = connect.open()) {
      DomainEdit edit = DomainEdit.read(port, domain.name, connect.uri);
      List<String> removed = DeviceEdits.removeInputs(edit.doc(),
          key -> devices.isEmpty() ? key.startsWith("/dev/input/") : devices.contains(key), port.libvirtVersion());
      String note = edit.validate();
      removed.forEach(d -> out.println("removed evdev " + (EvdevInputs.keyboard(d) ? "keyboard" : "input") + ": " + d));
      for (String d : devices) {
        if (removed.contains(d)) continue;
        boolean there = edit.doc().list(DomainPaths.EVDEV_INPUTS).stream()
            .anyMatch(i -> d.equals(i.get(DevicePaths.SOURCE_DEV)));
        out.println((there ? "not added by vgapass, left as it is: " : "not in the domain: ") + d);
      }
      if (removed.isEmpty() && devices.isEmpty()) {
        out.println("domain " + domain.name + ": no evdev entries added by vgapass");
      }
      if (dryRun.on) {
        out.print(edit.diff());
        out.println("dry run: nothing was defined");
      } else if (edit.changed()) {
        edit.define(port);
        out.println("redefined " + domain.name + " (takes effect at its next start)" + note);
      }
    }
    return ExitCode.OK;
  }
}
