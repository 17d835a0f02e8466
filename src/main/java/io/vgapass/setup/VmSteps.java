package io.vgapass.setup;

import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The VM: the questions, then plan (with --define on a live host), hooks install and selftest, each left alone when
 * the host shows it done (libvirt has the domain, the hooks are in /etc/libvirt/hooks). A rehearsal writes or prints
 * the plan and shows the rest.
 */
/** The VM: questions, plan and definition, hooks, selftest. */
final class VmSteps {
  private final SysRoot root;
  private final Setup.Where where;
  private final Setup.Mode mode;
  private final Dialogue dialogue;
  private final Narrator n;
  private final Progress progress;
  private final PrintWriter out;
  private final Predicate<String> defined;
  private final Host h;
  private final CardChoice.Choice choice;
  private int selftestCode;

  VmSteps(SysRoot root, Setup.Where where, Setup.Mode mode, Dialogue dialogue, Narrator n, Progress progress,
      PrintWriter out, Predicate<String> defined, Host h, CardChoice.Choice choice) {
    this.root = root;
    this.where = where;
    this.mode = mode;
    this.dialogue = dialogue;
    this.n = n;
    this.progress = progress;
    this.out = out;
    this.defined = defined;
    this.h = h;
    this.choice = choice;
  }

  /** selftest's exit code (0 when it passed or was only shown). */
  int selftestCode() {
    return selftestCode;
  }

  int run() {
    n.section("The VM", null);
    VmQuestions questions = new VmQuestions(dialogue, h, where.rehearsal(), choice.gpu().address(),
        choice.single());
    VmQuestions.Answers a = questions.ask(progress.state());
    a.asState().forEach(progress::remember);
    List<String> plan = new ArrayList<>(n.cmd(List.of("plan"), List.of("--gpu", choice.gpu().address().toString()),
        a.planArgs()));
    if (choice.single()) plan.add("--single-gpu");
    String name = a.name();
    if (where.rehearsal()) {
      // a root kept between runs holds the XML; a throwaway one would lose it, so its plan prints the XML instead
      String xml = mode == Setup.Mode.SHOW || where.throwaway() ? name + ".xml"
          : root.resolve(SetupState.XML_DIR + "/" + name + ".xml").toString();
      if (mode == Setup.Mode.SHOW || !where.throwaway()) plan.addAll(List.of("--xml-out", xml));
      if (mode == Setup.Mode.SHOW) {
        out.println("  $ " + n.shown(plan));
      } else {
        if (!where.throwaway()) ensureDir(SetupState.XML_DIR);
        int code = n.runShown(plan);
        if (code != 0) return stopped(code);
      }
      n.section("Define it, install the hooks, selftest (rehearsal: shown, not run)", null);
      if (where.throwaway() && mode != Setup.Mode.SHOW) {
        out.println("  $ vgapass plan " + String.join(" ", a.planArgs()) + " --gpu " + choice.gpu().address()
            + " --xml-out " + xml + "   (on the machine itself)");
      }
      out.println("  $ sudo vgapass vm define " + xml);
      out.println("  $ sudo vgapass hooks install");
      out.println("  $ sudo vgapass selftest");
      return 0;
    }
    if (mode != Setup.Mode.SHOW && defined.test(name)) {
      out.println("  " + name + " is defined in libvirt already: left as it is (vgapass vm tune --domain " + name
          + " changes it; another name plans a new one)");
    } else {
      plan.add("--define");
      plan.addAll(where.connectArgs());
      int code = n.runShown(plan);
      if (code != 0) return stopped(code);
    }
    n.section("Hooks (hugepages, CPU shield, governor around the VM)", null);
    if (hooksInstalled()) {
      out.println("  installed already (/etc/libvirt/hooks): left as they are");
    } else {
      int code = n.runShown(List.of("hooks", "install"));
      if (code != 0) return stopped(code);
    }
    n.section("Selftest (libvirt, QEMU and the kernel accept the tuning, on a throwaway VM)", null);
    List<String> selftest = new ArrayList<>(List.of("selftest"));
    selftest.addAll(where.connectArgs());
    selftestCode = n.runShown(selftest);
    if (selftestCode != 0) out.println("  selftest found a problem (above); the VM is defined, the fix is above");
    return 0;
  }

  private int stopped(int code) {
    out.println("setup stopped at this step (exit " + code + "); what is done stays done, and vgapass setup"
        + n.shownRoot() + " resumes here after the fix");
    return code;
  }

  private boolean hooksInstalled() {
    for (String f : List.of("etc/libvirt/hooks/qemu.d/vgapass", "etc/libvirt/hooks/qemu")) {
      if (root.read(f).map(t -> t.contains("vgapass")).orElse(false)) return true;
    }
    return false;
  }

  private void ensureDir(String relative) {
    try {
      java.nio.file.Files.createDirectories(root.entry(relative));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot make /" + relative + " under the root (" + e.getMessage() + ")");
    }
  }
}
