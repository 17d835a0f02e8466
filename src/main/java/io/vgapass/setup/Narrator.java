package io.vgapass.setup;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps as the user sees them: numbered sections, and each command printed as they would type it (the root as
 * they gave it) before it runs, so the path teaches the CLI. Without a terminal only --dry-run commands run.
 */
final class Narrator {
  private final Setup.Where where;
  private final Setup.Mode mode;
  private final StepRunner cli;
  private final PrintWriter out;
  private int step;

  Narrator(Setup.Where where, Setup.Mode mode, StepRunner cli, PrintWriter out) {
    this.where = where;
    this.mode = mode;
    this.cli = cli;
    this.out = out;
  }

  /** A command line: words, then the root's arguments, then the rest. */
  List<String> cmd(List<String> words, List<String> a, List<String> b) {
    List<String> c = new ArrayList<>(words);
    c.addAll(where.rootArgs());
    c.addAll(a);
    c.addAll(b);
    return c;
  }

  int runShown(List<String> args) {
    out.println("  $ " + shown(args));
    if (mode == Setup.Mode.SHOW && !args.contains("--dry-run")) return 0;
    out.flush();
    int code = cli.run(args);
    out.flush();
    return code;
  }

  /** The command as the user would type it: the root as they gave it (a capture file, not where it was unpacked). */
  String shown(List<String> args) {
    String line = "vgapass " + String.join(" ", args.stream().map(Narrator::quote).toList());
    if (where.rehearsal()) {
      line = line.replace(String.join(" ", where.rootArgs().stream().map(Narrator::quote).toList()), where.shown());
    }
    return line;
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=,@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  String shownRoot() {
    return where.rehearsal() ? " " + where.shown() : "";
  }

  boolean stop(int code) {
    out.println("setup stopped at this step (exit " + code + "); nothing of it stays half-done. Run vgapass setup"
        + shownRoot() + " again after the fix.");
    throw new Halt(code);
  }

  void section(String title, String command) {
    step++;
    out.println();
    out.println(step + ". " + title);
    if (command != null) out.println("  $ " + shown(cmd(List.of(command), List.of(), List.of())));
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
