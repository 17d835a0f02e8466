package io.vgapass.cli;

import io.vgapass.domain.XmlDoc;
import io.vgapass.input.EvdevInputs;
import io.vgapass.libvirt.LibvirtPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evdev", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"evdev passthrough, the alternative to USB switching: QEMU reads the host's keyboard and mouse, "
        + "and a key combination moves them between host and guest.",
        "Adds <input type='evdev'> entries to the domain's definition (validated, redefined); they take effect at "
            + "the next start."})
final class InputEvdevCommand implements Callable<Integer> {
  @Option(names = "--domain", required = true, paramLabel = "NAME") String domain;
  @Option(names = "--device", paramLabel = "/dev/input/by-id/...", description = "Repeatable. Default: every "
      + "...-event-kbd and ...-event-mouse in /dev/input/by-id.") List<String> devices = new ArrayList<>();
  @Option(names = "--grab-toggle", paramLabel = "KEYS", defaultValue = "ctrl-ctrl", description = "ctrl-ctrl "
      + "(default), alt-alt, shift-shift, meta-meta, scrolllock or ctrl-scrolllock.") String toggle;
  @Option(names = "--sysroot", paramLabel = "DIR", description = "Read /dev/input under this root.") Path sysroot;
  @Option(names = "--dry-run", description = "Print the new XML, define nothing.") boolean dryRun;
  @Mixin ConnectOption connect;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String> devs = devices.isEmpty() ? EvdevInputs.defaults(InputCommand.root(sysroot)) : devices;
    if (devs.isEmpty()) {
      throw new UserError("no keyboard or mouse in /dev/input/by-id; name them with --device /dev/input/by-id/...");
    }
    if (!EvdevInputs.TOGGLES.contains(toggle)) EvdevInputs.add(XmlDoc.parse("x", "<domain/>"), List.of(), toggle);
    try (LibvirtPort port = connect.open()) {
      if (port.domain(domain).isEmpty()) {
        throw new UserError("--domain " + domain + ": no such domain on " + connect.uri + " (virsh list --all)");
      }
      XmlDoc doc = XmlDoc.parse("domain " + domain, port.domainXml(domain, true));
      List<String> lines = EvdevInputs.add(doc, devs, toggle);
      String note = SchemaCheck.validate(doc);
      if (dryRun) {
        spec.commandLine().getOut().print(doc.serialize());
        return Main.OK;
      }
      if (lines.stream().anyMatch(l -> l.startsWith("added"))) port.define(doc.serialize());
      lines.forEach(spec.commandLine().getOut()::println);
      spec.commandLine().getOut().println(EvdevInputs.explain(toggle) + (note == null ? "" : "; " + note));
    }
    return Main.OK;
  }
}
