package io.vgapass.cli;

import io.vgapass.apply.HostStatus;
import io.vgapass.apply.Refusal;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status",
    description = {"What is in effect now (running kernel line, drivers bound) and what the next boot carries "
        + "(boot configuration, vgapass's files), the journal, and the way back at the boot menu."})
public final class HostStatusCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SysRoot root = host.sysRoot();
    Host h = HostPlanCommand.read(host, root);
    HostStatus s;
    try {
      s = HostStatus.of(root, h);
    } catch (Refusal e) {
      throw new UserError(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json.on) {
      out.println(Json.write(s));
      return ExitCode.OK;
    }
    out.println("now (running kernel):");
    out.println("  IOMMU " + (s.iommuActive() ? "on" : "off") + "; kernel line: "
        + (s.running().isEmpty() ? "(none of vgapass's arguments)" : String.join(" ", s.running())));
    out.println("after the next boot (boot configuration):");
    out.println("  kernel line: " + (s.nextBoot().isEmpty() ? "(none of vgapass's arguments)"
        : String.join(" ", s.nextBoot())));
    if (!s.pending().isEmpty()) out.println("  not yet in effect (reboot): " + String.join(" ", s.pending()));
    for (HostStatus.DeviceState d : s.devices()) {
      String now = d.driverNow() == null ? "no driver" : d.driverNow();
      out.println("  " + d.address() + " " + (d.ids() == null ? "" : d.ids() + " ") + "now " + now
          + (d.driverAfterBoot() != null && !d.driverAfterBoot().equals(d.driverNow())
              ? ", after the reboot " + d.driverAfterBoot() : ""));
    }
    if (!s.vfioConfig().isEmpty()) {
      out.println("  /etc/modprobe.d/vgapass-vfio.conf:");
      s.vfioConfig().lines().filter(l -> !l.startsWith("#")).forEach(l -> out.println("    " + l));
    }
    out.println("journal (/var/lib/vgapass/journal):");
    if (s.journal().isEmpty()) out.println("  no transactions");
    for (HostStatus.Entry e : s.journal()) {
      if (e.problem() != null) {
        out.println("  " + e.id() + "  " + e.state() + ": " + e.problem());
        out.println("    what to do: " + e.fix());
        continue;
      }
      out.println("  " + e.id() + "  " + e.state() + "  gpu " + e.gpu() + ", " + e.steps() + " steps"
          + (e.checked() ? "" : " (written before digests: its copies cannot be checked)"));
    }
    if (s.inProgress() != null) {
      out.println("  in progress: another vgapass is changing the host now (" + s.inProgress() + "); run status "
          + "again when it has finished");
    }
    if (s.interrupted() != null) {
      out.println("  interrupted: " + s.interrupted() + "; vgapass host undo (or apply) finishes it");
    }
    if (!s.recovery().isEmpty()) {
      out.println("the way back:");
      s.recovery().forEach(r -> out.println("  " + r));
    }
    return ExitCode.OK;
  }
}
