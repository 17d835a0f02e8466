package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.DamagedEntry;
import io.vgapass.apply.HostRequest;
import io.vgapass.apply.Preparation;
import io.vgapass.apply.PreparationPlanner;
import io.vgapass.apply.PreparationReport;
import io.vgapass.apply.Refusal;
import io.vgapass.apply.StepHook;
import io.vgapass.host.CpuList;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan",
    footerHeading = "%nExamples:%n",
    footer = {"  vgapass host plan --gpu 0000:01:00.0     # the changes, as diffs; nothing is written",
        "  vgapass host plan --example"},
    sortOptions = false,
    description = {"Show what vgapass host apply would change: every file as a unified diff, every command.",
        "Exit 0 with a plan, 2 when the host cannot be prepared safely (the reason says why)."})
public final class HostPlanCommand implements Callable<Integer> {
  @Mixin HostOptions host;
  @Mixin RequestOptions request;

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  /** The flags plan and apply share. */
  public static final class RequestOptions {
    @Option(names = "--gpu", paramLabel = "ADDR", description = "The card for the guest (0000:01:00.0); may be left "
        + "out when exactly one card qualifies.")
    String gpu;

    @Option(names = "--static-isolation", paramLabel = "CPUS", description = "Isolate these CPUs from the host at boot "
        + "(isolcpus, nohz_full, rcu_nocbs), e.g. 2-3,6-7.")
    String isolation;

    @Option(names = "--boot-hugepages", paramLabel = "1G:N", description = "Reserve N hugepages at boot "
        + "(default_hugepagesz, hugepagesz, hugepages), e.g. 1G:8.")
    String hugepages;

    @Option(names = "--allow-host-display", description = "Let --gpu name the boot VGA that drives this host's "
        + "display: after the reboot the host has no console or desktop on that card. Refused without it.")
    boolean allowHostDisplay;

    @Option(names = "--single-gpu", description = "Single-GPU mode: the card stays the host's display at boot and "
        + "goes to the VM when it starts (vgapass plan --single-gpu); only the IOMMU is prepared here.")
    boolean singleGpu;

    HostRequest toRequest() {
      PciAddress a = gpu == null ? null : PciAddress.parse(gpu);
      List<Integer> cpus = isolation == null ? List.of() : CpuList.parse(isolation);
      if (isolation != null && cpus.isEmpty()) throw new UserError("--static-isolation: give a CPU list, e.g. 2-3");
      return new HostRequest(a, cpus, hugepages == null ? null : HostRequest.BootHugepages.parse(hugepages),
          allowHostDisplay, singleGpu);
    }
  }

  static Host read(HostOptions options, SysRoot root) {
    Host h = HostReader.read(root);
    return options.source.example ? h.withSource("example:reference-h97") : h;
  }

  static Preparation plan(SysRoot root, Host h, HostRequest req, Applier applier) {
    return PreparationPlanner.plan(root, h, req, applier.journal().commandsInEffect());
  }

  @Override
  public Integer call() {
    HostRequest req = request.toRequest();
    SysRoot root = host.sysRoot();
    Host h = read(host, root);
    Applier applier = new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
    PrintWriter out = spec.commandLine().getOut();
    applier.journal().interrupted().ifPresent(t -> out.println("note: the " + t.state() + " transaction " + t.id()
        + " did not finish; host apply or undo finishes it first, and this plan may then change"));
    applier.journal().damaged().stream().filter(DamagedEntry::mayBeInEffect).forEach(d -> out.println(
        "note: host apply and undo refuse until the damaged journal entry " + d.id() + " is dealt with: " + d.file()
            + " " + d.problem() + "; " + d.fix()));
    Preparation p = plan(root, h, req, applier);
    if (json.on) {
      out.println(Json.write(PreparationReport.json(p)));
    } else {
      PreparationReport.render(p, true, !root.isLive(), out);
    }
    return ExitCode.OK;
  }
}
