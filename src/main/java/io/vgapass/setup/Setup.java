package io.vgapass.setup;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostRequest;
import io.vgapass.apply.HostStatus;
import io.vgapass.apply.Preparation;
import io.vgapass.apply.PreparationPlanner;
import io.vgapass.apply.StepHook;
import io.vgapass.apply.Transaction;
import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.report.PciIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
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
   */
  public record Where(List<String> rootArgs, String shown, String label, boolean throwaway) {
    public Where {
      rootArgs = List.copyOf(rootArgs);
    }

    boolean rehearsal() {
      return !rootArgs.isEmpty();
    }
  }

  private final SysRoot root;
  private final Where where;
  private final Mode mode;
  private final Dialogue dialogue;
  private final StepRunner cli;
  private final PrintWriter out;
  private final Predicate<String> defined;
  private final OwnStateFile stateFile;
  private SetupState state = SetupState.empty();
  private int step;

  /** @param defined whether libvirt already has a domain of this name (asked on a live host only) */
  public Setup(SysRoot root, Where where, Mode mode, Dialogue dialogue, StepRunner cli, PrintWriter out,
      Predicate<String> defined) {
    this.root = root;
    this.where = where;
    this.mode = mode;
    this.dialogue = dialogue;
    this.cli = cli;
    this.out = out;
    this.defined = defined;
    this.stateFile = new OwnStateFile(root, SetupState.FILE, SetupState.MAX_BYTES);
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
    loadState();
    Applier applier = new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
    // an apply that a Ctrl-C (or a crash) stopped half-way is taken back before anything else
    if (mode != Mode.SHOW && applier.journal().interrupted().isPresent()) {
      applier.recover().ifPresent(m -> out.println("note: " + m + " (an earlier run was stopped half-way; nothing "
          + "of it stays)"));
    }
    try {
      return path();
    } catch (Halt e) {
      return e.code;
    } catch (Dialogue.Stopped e) {
      out.println("stopped: no answer. What is done stays done; vgapass setup" + shownRoot() + " resumes here.");
      return 0;
    }
  }

  private int path() {
    Host h = HostReader.read(root);
    Doctor.Report report = Doctor.examine(h);
    section("Audit", "doctor");
    verdict(report);
    section("The card", null);
    CardChoice.Choice choice = new CardChoice(out, dialogue, PciIds.load(root)).pick(report.gpus(), state.get("gpu"));
    if (choice == null) return 1;
    remember("gpu", choice.gpu().address().toString());
    remember("single", choice.single() ? "yes" : null);
    HostSteps prep = new HostSteps(h, choice);
    if (!prep.run()) return 0;
    int code = new VmSteps(h, choice).run();
    if (code != 0) return code;
    everyday();
    return selftestCode;
  }

  private int selftestCode;

  /** The host preparation and the reboot. */
  private final class HostSteps {
    private final Host h;
    private final CardChoice.Choice choice;

    HostSteps(Host h, CardChoice.Choice choice) {
      this.h = h;
      this.choice = choice;
    }

    /** True when the path goes on to the VM (prepared and booted, or only shown). */
    boolean run() {
      HostRequest req = new HostRequest(choice.gpu().address(), List.of(), null, choice.single());
      Applier applier = new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
      Preparation p = PreparationPlanner.plan(root, h, req, applier.journal().commandsInEffect());
      List<String> gpuArgs = choice.single() ? List.of("--gpu", choice.gpu().address().toString(),
          "--allow-host-display") : List.of("--gpu", choice.gpu().address().toString());
      if (!p.nothingToDo()) {
        section("Prepare the host (the changes first, as diffs)", null);
        List<String> dry = cmd(List.of("host", "apply"), gpuArgs, List.of("--dry-run"));
        int code = runShown(dry);
        if (code != 0) return stop(code);
        List<String> apply = cmd(List.of("host", "apply"), gpuArgs, List.of("--yes"));
        if (mode == Mode.SHOW) {
          out.println("  setup asks: Apply these changes? and on yes runs:");
          out.println("  $ " + shown(apply));
          reboot(p.kernelArgs());
          return true;
        }
        if (!dialogue.confirm("Apply these changes?", false, mode == Mode.DEFAULTS)) {
          out.println("  nothing was changed; vgapass setup" + shownRoot() + " asks again");
          return false;
        }
        code = runShown(apply);
        if (code != 0) return stop(code);
        applier.journal().latestCommitted().map(Transaction::id).ifPresent(id -> remember("journal", id));
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
        section("Prepare the host", null);
        out.println("  prepared (vgapass host status shows it), but the running kernel lacks " + String.join(" ", pending)
            + ": the reboot is still to come");
        reboot(pending);
        return mode == Mode.SHOW;
      }
      section("Prepare the host", null);
      out.println("  done: nothing left to change (vgapass host status shows what was changed)");
      section("Reboot", null);
      out.println("  done: the running kernel carries " + (status.running().isEmpty() ? "what the preparation adds"
          : String.join(" ", status.running())) + " (/proc/cmdline)");
      return true;
    }

    private void reboot(List<String> args) {
      section("Reboot", null);
      if (where.throwaway()) {
        out.println("  A reboot starts the kernel with " + String.join(" ", args) + "; then setup goes on here.");
      } else if (where.rehearsal()) {
        out.println("  A reboot starts the kernel with " + (args.isEmpty() ? "the new configuration" : String.join(" ",
            args)) + ". In this rehearsal, play it: add " + (args.isEmpty() ? "the arguments" : "them")
            + " to proc/cmdline under the root, then run vgapass setup" + shownRoot() + " again; it resumes here.");
      } else {
        out.println("  Reboot now (" + (args.isEmpty() ? "the new configuration" : String.join(" ", args))
            + " take effect at boot), then run sudo vgapass setup again: it resumes here.");
        out.println("  If the machine does not come up as before: sudo vgapass host undo takes every change back.");
      }
    }
  }

  /** The VM: questions, plan and definition, hooks, selftest. */
  private final class VmSteps {
    private final Host h;
    private final CardChoice.Choice choice;

    VmSteps(Host h, CardChoice.Choice choice) {
      this.h = h;
      this.choice = choice;
    }

    int run() {
      section("The VM", null);
      VmQuestions.Answers a = new VmQuestions(dialogue, h, where.rehearsal(), choice.gpu().address()).ask(state);
      a.asState().forEach(Setup.this::remember);
      List<String> plan = new ArrayList<>(cmd(List.of("plan"), List.of("--gpu", choice.gpu().address().toString()),
          a.planArgs()));
      if (choice.single()) plan.add("--single-gpu");
      String name = a.name();
      if (where.rehearsal()) {
        // a root kept between runs holds the XML; a throwaway one would lose it, so its plan prints the XML instead
        String xml = mode == Mode.SHOW || where.throwaway() ? name + ".xml"
            : root.resolve(SetupState.XML_DIR + "/" + name + ".xml").toString();
        if (mode == Mode.SHOW || !where.throwaway()) plan.addAll(List.of("--xml-out", xml));
        if (mode == Mode.SHOW) {
          out.println("  $ " + shown(plan));
        } else {
          if (!where.throwaway()) ensureDir(SetupState.XML_DIR);
          int code = runShown(plan);
          if (code != 0) return stopped(code);
        }
        section("Define it, install the hooks, selftest (rehearsal: shown, not run)", null);
        if (where.throwaway() && mode != Mode.SHOW) {
          out.println("  $ vgapass plan " + String.join(" ", a.planArgs()) + " --gpu " + choice.gpu().address()
              + " --xml-out " + xml + "   (on the machine itself)");
        }
        out.println("  $ sudo vgapass vm define " + xml);
        out.println("  $ sudo vgapass hooks install");
        out.println("  $ sudo vgapass selftest");
        return 0;
      }
      if (mode != Mode.SHOW && defined.test(name)) {
        out.println("  " + name + " is defined in libvirt already: left as it is (vgapass vm tune --domain " + name
            + " changes it; another name plans a new one)");
      } else {
        plan.add("--define");
        int code = runShown(plan);
        if (code != 0) return stopped(code);
      }
      section("Hooks (hugepages, CPU shield, governor around the VM)", null);
      if (hooksInstalled()) {
        out.println("  installed already (/etc/libvirt/hooks): left as they are");
      } else {
        int code = runShown(List.of("hooks", "install"));
        if (code != 0) return stopped(code);
      }
      section("Selftest (libvirt, QEMU and the kernel accept the tuning, on a throwaway VM)", null);
      selftestCode = runShown(List.of("selftest"));
      if (selftestCode != 0) out.println("  selftest found a problem (above); the VM is defined, the fix is above");
      return 0;
    }

    private int stopped(int code) {
      out.println("setup stopped at this step (exit " + code + "); what is done stays done, and vgapass setup"
          + shownRoot() + " resumes here after the fix");
      return code;
    }

    private boolean hooksInstalled() {
      for (String f : List.of("etc/libvirt/hooks/qemu.d/vgapass", "etc/libvirt/hooks/qemu")) {
        if (root.read(f).map(t -> t.contains("vgapass")).orElse(false)) return true;
      }
      return false;
    }
  }

  private void everyday() {
    section("Every day", null);
    String n = state.get("name") == null ? io.vgapass.plan.Planner.DEFAULT_NAME : state.get("name");
    String gpu = state.get("gpu");
    if (where.rehearsal()) out.println("  (on the machine itself)");
    out.println("  sudo vgapass vm start " + n + " && sudo vgapass verify " + n + "   # start it, prove the tuning");
    out.println("  sudo vgapass input toggle --domain " + n + "   # keyboard and mouse to the guest and back");
    out.println("  sudo vgapass vm stop " + n + "                 # shut it down (--force: pull the cord)");
    out.println("  sudo vgapass vm tune --domain " + n + " --vcpus N --dry-run   # change its tuning, as a diff first");
    out.println("  sudo vgapass gpu status " + gpu + "   # who holds the card");
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

  // ---- commands, shown and run

  /** A command line: words, then the root's arguments, then the rest. */
  private List<String> cmd(List<String> words, List<String> a, List<String> b) {
    List<String> c = new ArrayList<>(words);
    c.addAll(where.rootArgs());
    c.addAll(a);
    c.addAll(b);
    return c;
  }

  private int runShown(List<String> args) {
    out.println("  $ " + shown(args));
    if (mode == Mode.SHOW && !args.contains("--dry-run")) return 0;
    out.flush();
    int code = cli.run(args);
    out.flush();
    return code;
  }

  /** The command as the user would type it: the root as they gave it (a capture file, not where it was unpacked). */
  private String shown(List<String> args) {
    String line = "vgapass " + String.join(" ", args.stream().map(Setup::quote).toList());
    if (where.rehearsal()) {
      line = line.replace(String.join(" ", where.rootArgs().stream().map(Setup::quote).toList()), where.shown());
    }
    return line;
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=,@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private String shownRoot() {
    return where.rehearsal() ? " " + where.shown() : "";
  }

  private boolean stop(int code) {
    out.println("setup stopped at this step (exit " + code + "); nothing of it stays half-done. Run vgapass setup"
        + shownRoot() + " again after the fix.");
    throw new Halt(code);
  }

  private void section(String title, String command) {
    step++;
    out.println();
    out.println(step + ". " + title);
    if (command != null) out.println("  $ " + shown(cmd(List.of(command), List.of(), List.of())));
  }

  // ---- state

  private void loadState() {
    try {
      stateFile.read().ifPresent(t -> state = SetupState.parse(t));
    } catch (IOException | IllegalArgumentException e) {
      out.println("note: " + stateFile.shown() + " is damaged (" + e.getMessage() + "); setup asks again and "
          + "rewrites it (what is done is read from the host, not from that file)");
      state = SetupState.empty();
    }
  }

  private void remember(String key, String value) {
    SetupState next = state.with(key, value);
    if (next.equals(state)) return;
    state = next;
    if (mode == Mode.SHOW) return;
    try {
      stateFile.write(state.format());
    } catch (IOException e) {
      out.println("note: cannot write " + stateFile.shown() + " (" + e.getMessage() + "); a later run asks again");
    }
  }

  private void ensureDir(String relative) {
    try {
      java.nio.file.Files.createDirectories(root.entry(relative));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot make /" + relative + " under the root (" + e.getMessage() + ")");
    }
  }

  /** A step failed: its command already said why; setup stops with its exit code. */
  static final class Halt extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Halt(int code) {
      super("setup stopped (exit " + code + ")");
      this.code = code;
    }
  }
}
