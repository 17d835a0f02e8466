package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.CommandRunner;
import io.vgapass.apply.HostRequest;
import io.vgapass.apply.JournalLock;
import io.vgapass.apply.Preparation;
import io.vgapass.apply.PreparationReport;
import io.vgapass.apply.Refusal;
import io.vgapass.apply.StepHook;
import io.vgapass.apply.Transaction;
import io.vgapass.host.CpuList;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "apply",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass host apply --gpu 0000:01:00.0 --dry-run   # show, change nothing",
        "  sudo vgapass host apply --gpu 0000:01:00.0             # asks, applies, then reboot"},
    sortOptions = false,
    description = {"Prepare the host: kernel arguments, vfio-pci at boot, the initramfs, as one transaction.",
        "Every file is written atomically after the journal (/var/lib/vgapass/journal) records it; a failing "
            + "command rolls everything back. With --sysroot other than / the commands are listed, not run.",
        "Exit 0 done (or nothing to do), 2 refused (nothing changed), 3 failed and rolled back."})
public final class HostApplyCommand implements Callable<Integer> {
  @Mixin HostOptions host;
  @Mixin HostPlanCommand.RequestOptions request;

  @Mixin DryRunOption dryRun;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
  boolean yes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    HostRequest req = request.toRequest();
    PrintWriter out = spec.commandLine().getOut();
    if (!dryRun.on && !yes && !Terminal.of(spec).interactive()) {
      throw new UserError("vgapass host apply changes the boot configuration and there is no terminal to confirm "
          + "it: pass --yes to apply, or --dry-run to only show the changes");
    }
    SysRoot root = host.sysRoot();
    if (root.isLive() && !dryRun.on && !"root".equals(System.getProperty("user.name"))) {
      throw new UserError("vgapass host apply edits /etc and the boot configuration: run it as root (sudo vgapass host "
          + "apply ...), or with --dry-run to only show the changes");
    }
    CommandRunner runner = Applier.runnerFor(root);
    Applier applier = new Applier(root, runner, out::println, StepHook.Counting.fromSystemProperties());
    // one run at a time from reading the journal to the last marker: a second apply plans over the first's result
    try (JournalLock lock = dryRun.on ? null : applier.journal().lock("host apply")) {
      return run(req, root, runner, applier, out);
    }
  }

  private int run(HostRequest req, SysRoot root, CommandRunner runner, Applier applier, PrintWriter out) {
    if (!dryRun.on) {
      HostUndoCommand.noteHalfMade(applier.journal(), out);
      applier.recover().ifPresent(m -> out.println("note: " + m));
    }
    Host h = HostPlanCommand.read(host, root);
    Preparation p = HostPlanCommand.plan(root, h, req, applier);
    PreparationReport.render(p, dryRun.on, !runner.executes(), out);
    if (p.nothingToDo()) return ExitCode.OK;
    if (dryRun.on) {
      out.println();
      out.println("dry run: nothing was changed");
      return ExitCode.OK;
    }
    if (!yes && !Confirm.ask(Terminal.of(spec), out, "Apply these changes?")) {
      out.println("nothing was changed");
      return ExitCode.OK;
    }
    out.println();
    Optional<Transaction> tx = applier.apply(p.changes(), request(req, p));
    out.println();
    out.println("applied (journal " + tx.map(Transaction::id).orElse("-") + "); reboot for it to take effect. "
        + "vgapass host status tells what is in effect; vgapass host undo takes it all back.");
    p.recovery().forEach(out::println);
    NextStep.print(out, "reboot", NextStep.vgapass(root, "host status"), NextStep.vgapass(root, "plan --gpu " + p.gpu()
        + (req.singleGpu() ? " --single-gpu" : "") + (root.isLive() ? " --define" : "")));
    return ExitCode.OK;
  }


  /** What the journal records as the request: enough for status and recovery to be told later. */
  static Map<String, Object> request(HostRequest req, Preparation p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gpu", p.gpu().toString());
    m.put("staticIsolation", req.isolate().isEmpty() ? null : CpuList.format(req.isolate()));
    m.put("bootHugepages", req.hugepages() == null ? null : req.hugepages().size() + ":" + req.hugepages().count());
    m.put("functions", p.functions().stream().map(Object::toString).toList());
    m.put("ids", p.ids());
    m.put("binding", p.binding());
    m.put("kernelArgs", p.kernelArgs());
    m.put("bootloader", p.bootloader());
    m.put("initramfs", p.initramfs());
    return m;
  }
}
