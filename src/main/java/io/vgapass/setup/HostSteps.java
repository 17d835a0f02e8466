package io.vgapass.setup;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostRequest;
import io.vgapass.apply.HostStatus;
import io.vgapass.apply.Preparation;
import io.vgapass.apply.PreparationPlanner;
import io.vgapass.apply.StepHook;
import io.vgapass.apply.Transaction;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.List;

/**
 * The host preparation and the reboot: the diffs first, the apply on yes (host apply, journaled), then the reboot;
 * done when host apply has nothing left to change and the running kernel's /proc/cmdline carries the arguments.
 */
final class HostSteps {
  private final SysRoot root;
  private final Setup.Where where;
  private final Setup.Mode mode;
  private final Dialogue dialogue;
  private final Narrator n;
  private final Progress progress;
  private final PrintWriter out;
  private final Host h;
  private final CardChoice.Choice choice;

  HostSteps(SysRoot root, Setup.Where where, Setup.Mode mode, Dialogue dialogue, Narrator n, Progress progress,
      PrintWriter out, Host h, CardChoice.Choice choice) {
    this.root = root;
    this.where = where;
    this.mode = mode;
    this.dialogue = dialogue;
    this.n = n;
    this.progress = progress;
    this.out = out;
    this.h = h;
    this.choice = choice;
  }

  /** True when the path goes on to the VM (prepared and booted, or only shown). */
  boolean run() {
    // single-GPU mode binds nothing at boot (the host keeps its display until the VM starts): host apply
    // --single-gpu prepares the IOMMU only
    HostRequest req = new HostRequest(choice.gpu().address(), List.of(), null, false, choice.single());
    Applier applier = new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
    Preparation p = PreparationPlanner.plan(root, h, req, applier.journal().commandsInEffect());
    List<String> gpuArgs = choice.single() ? List.of("--gpu", choice.gpu().address().toString(), "--single-gpu")
        : List.of("--gpu", choice.gpu().address().toString());
    if (!p.nothingToDo()) {
      n.section("Prepare the host (the changes first, as diffs)", null);
      List<String> dry = n.cmd(List.of("host", "apply"), gpuArgs, List.of("--dry-run"));
      int code = n.runShown(dry);
      if (code != 0) return n.stop(code);
      List<String> apply = n.cmd(List.of("host", "apply"), gpuArgs, List.of("--yes"));
      if (mode == Setup.Mode.SHOW) {
        out.println("  setup asks: Apply these changes? and on yes runs:");
        out.println("  $ " + n.shown(apply));
        reboot(p.kernelArgs());
        return true;
      }
      if (!dialogue.confirm("Apply these changes?", false, mode == Setup.Mode.DEFAULTS)) {
        out.println("  nothing was changed; vgapass setup" + n.shownRoot() + " asks again");
        return false;
      }
      code = n.runShown(apply);
      if (code != 0) return n.stop(code);
      applier.journal().latestCommitted().map(Transaction::id).ifPresent(id -> progress.remember("journal", id));
      reboot(p.kernelArgs());
      if (!where.throwaway()) return false;
      RehearsalBoot.boot(root, p.kernelArgs());
      out.println("  (played: " + where.label() + " lives for this run only, so setup boots it here with those "
          + "arguments on its /proc/cmdline and goes on)");
      return true;
    }
    HostStatus status = HostStatus.of(root, h);
    List<String> pending = status.pending();
    if (!pending.isEmpty()) {
      n.section("Prepare the host", null);
      out.println("  prepared (vgapass host status shows it), but the running kernel lacks " + String.join(" ", pending)
          + ": the reboot is still to come");
      reboot(pending);
      return mode == Setup.Mode.SHOW;
    }
    n.section("Prepare the host", null);
    out.println("  done: nothing left to change (vgapass host status shows what was changed)");
    if (choice.single()) {
      out.println("  In single-GPU mode nothing is bound to vfio-pci at boot: the hook hands the card over when the VM "
          + "starts and back when it stops.");
    }
    n.section("Reboot", null);
    out.println("  done: the running kernel carries " + (status.running().isEmpty() ? "what the preparation adds"
        : String.join(" ", status.running())) + " (/proc/cmdline)");
    return true;
  }

  private void reboot(List<String> args) {
    n.section("Reboot", null);
    if (where.throwaway()) {
      out.println("  A reboot starts the kernel with " + String.join(" ", args) + "; then setup goes on here.");
    } else if (where.rehearsal()) {
      out.println("  A reboot starts the kernel with " + (args.isEmpty() ? "the new configuration" : String.join(" ",
          args)) + ". In this rehearsal, play it: add " + (args.isEmpty() ? "the arguments" : "them")
          + " to proc/cmdline under the root, then run vgapass setup" + n.shownRoot() + " again; it resumes here.");
    } else {
      out.println("  Reboot now (" + (args.isEmpty() ? "the new configuration" : String.join(" ", args))
          + " take effect at boot), then run sudo vgapass setup again: it resumes here.");
      out.println("  If the machine does not come up as before: sudo vgapass host undo takes every change back.");
    }
  }
}
