package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.DamagedEntry;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.Journal;
import io.vgapass.apply.JournalLock;
import io.vgapass.apply.Refusal;
import io.vgapass.apply.StepHook;
import io.vgapass.apply.Transaction;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "undo",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass host undo --dry-run         # what it would restore",
        "  sudo vgapass host undo                   # asks, restores, then reboot"},
    sortOptions = false,
    description = {"Take back the last host apply: every file restored byte for byte (files it created removed), "
        + "its commands taken back, the initramfs and boot configuration regenerated.",
        "Safe to interrupt and run again. An apply that was interrupted is rolled back instead.",
        "Exit 0 done (or nothing to undo), 2 refused (a file changed since, a damaged journal entry, another "
            + "vgapass running; nothing done), 3 failed part-way "
            + "(run it again)."})
public final class HostUndoCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
  boolean yes;

  @Mixin DryRunOption dryRun;

  @Option(names = "--force", description = "Restore files even where they changed after the apply.")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!dryRun.on && !yes && !Terminal.of(spec).interactive()) {
      throw new UserError("vgapass host undo changes the boot configuration and there is no terminal to confirm it: "
          + "pass --yes to undo, or --dry-run to see what it would restore");
    }
    SysRoot root = host.sysRoot();
    if (root.isLive() && !dryRun.on && !"root".equals(System.getProperty("user.name"))) {
      throw new UserError("vgapass host undo edits /etc and the boot configuration: run it as root (sudo vgapass host "
          + "undo ...), or with --dry-run to only show the changes");
    }
    Applier applier = new Applier(root, Applier.runnerFor(root), out::println, StepHook.Counting.fromSystemProperties());
    // held from choosing the transaction until it is taken back, so that no apply slips in between
    try (JournalLock lock = dryRun.on ? null : applier.journal().lock("host undo")) {
      return run(applier, root, out);
    }
  }

  private int run(Applier applier, SysRoot root, PrintWriter out) {
    Journal journal = applier.journal();
    journal.requireIntact();
    noteHalfMade(journal, out);
    Optional<Transaction> target = journal.interrupted().or(journal::latestCommitted);
    if (target.isEmpty()) {
      out.println("nothing to undo: no apply in effect (journal: /" + Journal.DIR + ")");
      return ExitCode.OK;
    }
    Transaction t = target.get();
    out.println((t.interrupted() ? "interrupted transaction " : "transaction ") + t.id() + " (" + t.created() + "):");
    if (!t.checked()) {
      out.println("warning: transaction " + t.id() + " was written by a vgapass that recorded no digests, so its "
          + "saved copies cannot be checked; if in doubt, compare them (/" + Journal.DIR + "/" + t.id()
          + "/*.prior) with what the files held before the apply");
    }
    for (var s : t.steps()) {
      if (s.change() instanceof HostChange.FileEdit f) {
        out.println("  " + (f.prior() == null ? "remove  /" : "restore /") + f.path());
      } else if (s.change() instanceof HostChange.Command c) {
        out.println("  " + (c.regenerates() ? "rerun   " + c.display() : "undo    " + c.display() + "  ->  "
            + String.join(" ", c.inverse())));
      }
    }
    if (dryRun.on) {
      out.println("dry run: nothing was changed");
      return ExitCode.OK;
    }
    if (!yes && !Confirm.ask(Terminal.of(spec), out, "Undo these changes?")) {
      out.println("nothing was changed");
      return ExitCode.OK;
    }
    Optional<String> recovered = applier.recover();
    if (recovered.isPresent()) {
      out.println(recovered.get());
      return ExitCode.OK;
    }
    Optional<Transaction> undone = applier.undo(force);
    undone.ifPresent(x -> out.println("undone: transaction " + x.id()
        + " taken back; reboot for the old kernel line and initramfs to take effect"));
    if (undone.isPresent()) NextStep.print(out, "reboot", NextStep.vgapass(root, "doctor"));
    return ExitCode.OK;
  }

  /** Entries a run left half-made changed nothing and are passed over; say so, with what to do. */
  static void noteHalfMade(Journal journal, PrintWriter out) {
    for (DamagedEntry d : journal.damaged()) {
      if (!d.mayBeInEffect()) out.println("note: passing over the " + d.label() + " journal entry " + d.id() + ": "
          + d.file() + " " + d.problem() + "; " + d.fix());
    }
  }
}
