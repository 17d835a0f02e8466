package io.vgapass.setup;

import io.vgapass.apply.Applier;
import io.vgapass.apply.StepHook;
import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.Planner;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Predicate;

/**
 * The guided path. Each run reads the host, finds the first step the host does not show as done, and goes on from
 * there: audit, card, host preparation (then the reboot), the VM's plan and definition, hooks, selftest, and the
 * everyday commands. Each step prints the vgapass command it runs and runs exactly that.
 */
public final class Setup {
  /** How the questions are answered: by a person, by their defaults (--yes), or not at all (the path is shown). */
  public enum Mode { ASK, DEFAULTS, SHOW }

  /**
   * Where setup works.
   *
   * @param rootArgs the arguments that point a command at the same root ([] live, [--example], [--sysroot, DIR])
   * @param shown how those arguments are printed (the user's own spelling: --sysroot FILE.tar.gz), "" live
   * @param label the host in words ("this host", "the reference machine (--example)")
   * @param throwaway the root lives for this run only (--example, an unpacked capture): a later run cannot resume on
   *     it, so the rehearsal plays the reboot itself
   * @param connectArgs [--connect, URI] when the user named a libvirt other than the default, for the steps that
   *     talk to libvirt (plan --define, selftest); else []
   */
  public record Where(List<String> rootArgs, String shown, String label, boolean throwaway, List<String> connectArgs) {
    public Where {
      rootArgs = List.copyOf(rootArgs);
      connectArgs = List.copyOf(connectArgs);
    }

    public Where(List<String> rootArgs, String shown, String label, boolean throwaway) {
      this(rootArgs, shown, label, throwaway, List.of());
    }

    boolean rehearsal() {
      return !rootArgs.isEmpty();
    }
  }

  private final SysRoot root;
  private final Where where;
  private final Mode mode;
  private final Dialogue dialogue;
  private final PrintWriter out;
  private final Predicate<String> defined;
  private final Narrator n;
  private final Progress progress;

  /** @param defined whether libvirt already has a domain of this name (asked on a live host only) */
  public Setup(SysRoot root, Where where, Mode mode, Dialogue dialogue, StepRunner cli, PrintWriter out,
      Predicate<String> defined) {
    this.root = root;
    this.where = where;
    this.mode = mode;
    this.dialogue = dialogue;
    this.out = out;
    this.defined = defined;
    this.n = new Narrator(where, mode, cli, out);
    this.progress = new Progress(new OwnStateFile(root, SetupState.FILE, SetupState.MAX_BYTES), mode, out);
  }

  /** Runs the path; returns the exit code (0 done or stopped where the user chose, 1 the host falls short). */
  public int run() {
    out.println("vgapass setup — " + where.label());
    if (where.rehearsal()) {
      out.println("A rehearsal on " + where.label() + ": host files change only under that root, libvirt is not "
          + "touched (define, hooks and selftest are shown, not run).");
    }
    if (mode == Mode.SHOW) {
      out.println("No terminal: this is the whole path setup would take, with its defaults. Nothing is changed "
          + "(on a terminal setup asks; --yes takes the defaults and goes).");
    }
    progress.load();
    Applier applier = new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
    // an apply that a Ctrl-C (or a crash) stopped half-way is taken back before anything else
    if (mode != Mode.SHOW && applier.journal().interrupted().isPresent()) {
      applier.recover().ifPresent(m -> out.println("note: " + m + " (an earlier run was stopped half-way; nothing "
          + "of it stays)"));
    }
    try {
      return path();
    } catch (Narrator.Halt e) {
      return e.code;
    } catch (Dialogue.Stopped e) {
      out.println("stopped: no answer. What is done stays done; vgapass setup" + n.shownRoot() + " resumes here.");
      return 0;
    }
  }

  private int path() {
    Host h = HostReader.read(root);
    Doctor.Report report = Doctor.examine(h);
    n.section("Audit", "doctor");
    verdict(report);
    n.section("The card", null);
    CardChoice cards = new CardChoice(out, dialogue, root, mode == Mode.SHOW);
    CardChoice.Choice choice = cards.pick(report.gpus(), progress.state().get("gpu"),
        "yes".equals(progress.state().get("single")));
    if (choice == null) return 1;
    progress.remember("gpu", choice.gpu().address().toString());
    progress.remember("single", choice.single() ? "yes" : null);
    if (!new HostSteps(root, where, mode, dialogue, n, progress, out, h, choice).run()) return 0;
    VmSteps vm = new VmSteps(root, where, mode, dialogue, n, progress, out, defined, h, choice);
    int code = vm.run();
    if (code != 0) return code;
    everyday();
    return vm.selftestCode();
  }

  private void everyday() {
    n.section("Every day", null);
    SetupState state = progress.state();
    String name = state.get("name") == null ? Planner.DEFAULT_NAME : state.get("name");
    String gpu = state.get("gpu");
    if (where.rehearsal()) out.println("  (on the machine itself)");
    out.println("  sudo vgapass vm start " + name + " && sudo vgapass verify " + name
        + "   # start it, prove the tuning");
    out.println("  sudo vgapass input toggle --domain " + name + "   # keyboard and mouse to the guest and back");
    out.println("  sudo vgapass vm stop " + name + "                 # shut it down (--force: pull the cord)");
    out.println("  sudo vgapass vm tune --domain " + name
        + " --vcpus N --dry-run   # change its tuning, as a diff first");
    out.println("  sudo vgapass gpu status " + gpu + "   # who holds the card");
    if ("yes".equals(state.get("single"))) {
      out.println("  sudo vgapass gpu reclaim --force     # from ssh or a text console, if the screen stays black");
    }
    out.println("  sudo vgapass host status             # what the host preparation changed; host undo takes it back");
  }

  private void verdict(Doctor.Report r) {
    List<GpuCandidate> guests = GpuAnalyzer.guestCandidates(r.gpus());
    List<Finding> errors = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
    if (r.ready()) {
      out.println("  Ready: a card can go to a VM now.");
    } else if (!guests.isEmpty()) {
      out.println("  Not yet: " + errors.size() + " thing" + (errors.size() == 1 ? "" : "s")
          + " to do first. The host preparation below does what vgapass can do for you:");
    } else {
      out.println("  Not as the host is: no card can go to a VM (the card step says why).");
    }
    for (Finding f : errors) out.println("    - " + f.message());
  }

}
