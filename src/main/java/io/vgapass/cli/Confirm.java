package io.vgapass.cli;

import java.io.PrintWriter;

/** A yes/no question on the terminal; anything but y or yes is no. */
final class Confirm {
  private Confirm() {}

  static boolean ask(Terminal terminal, PrintWriter out, String question) {
    out.print(question + " [y/N] ");
    out.flush();
    String answer = terminal.interactive() ? terminal.readLine() : null;
    return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
  }
}
