package io.vgapass.setup;

import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Questions on the terminal, read from the stdin the run was given (never System.in directly), so tests can type the
 * answers. Without a person to ask, every question takes its default and says so.
 */
public final class Dialogue {
  /** A person stopped answering (end of input): setup stops where it is. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("no answer (end of input)");
    }
  }

  /** How many times a wrong answer is asked again before setup gives up. */
  static final int TRIES = 3;

  private final PrintWriter out;
  private final Supplier<String> lines;
  private final boolean person;

  /**
   * @param lines the next line of stdin, null at its end
   * @param person someone answers (a terminal); otherwise every question takes its default
   */
  public Dialogue(PrintWriter out, Supplier<String> lines, boolean person) {
    this.out = out;
    this.lines = lines;
    this.person = person;
  }

  boolean person() {
    return person;
  }

  /**
   * Asks until {@code check} accepts the answer (it returns null, or the reason it is wrong); an empty answer is the
   * default. Returns the answer.
   */
  String ask(String question, String def, Function<String, String> check) {
    for (int i = 0; i < TRIES; i++) {
      out.print("  " + question + (def == null || def.isEmpty() ? "" : " [" + def + "]") + ": ");
      if (!person) {
        out.println(def == null || def.isEmpty() ? "(none)" : def);
        return def == null ? "" : def;
      }
      out.flush();
      String a = line().strip();
      if (a.isEmpty()) a = def == null ? "" : def;
      String wrong = check.apply(a);
      if (wrong == null) return a;
      out.println("    " + wrong);
    }
    throw new IllegalArgumentException(question + ": no usable answer after " + TRIES + " tries; run vgapass setup "
        + "again (it resumes here)");
  }

  /** A yes/no question; without a person, {@code unattended} is the answer (--yes: true). */
  boolean confirm(String question, boolean def, boolean unattended) {
    out.print("  " + question + (def ? " [Y/n] " : " [y/N] "));
    if (!person) {
      out.println(unattended ? "yes (--yes)" : "no (no terminal)");
      return unattended;
    }
    out.flush();
    String a = line().strip().toLowerCase(java.util.Locale.ROOT);
    if (a.isEmpty()) return def;
    return a.equals("y") || a.equals("yes");
  }

  private String line() {
    String l = lines.get();
    if (l == null) {
      out.println();
      throw new Stopped();
    }
    return l;
  }
}
