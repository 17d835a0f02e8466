package io.vgapass.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The streams one run was given (whoever calls {@link Main} injects them) and whether a person sits at them. Commands
 * reach it through their spec instead of through {@code System.in} or {@code System.console()}, so tests can feed
 * stdin and answer questions.
 *
 * @param interactive a person can answer a question: colour and confirmations depend on it
 */
public record Terminal(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
  /** Longest answer read from stdin: a question's answer is a word, never a file. */
  private static final int MAX_LINE = 4096;

  /** The streams given; interactive only when they are the process's own and its stdin and stdout are a terminal. */
  public static Terminal of(InputStream in, PrintStream out, PrintStream err) {
    return new Terminal(in, out, err, in == System.in && out == System.out && System.console() != null);
  }

  /** The terminal of the run this command belongs to; a tree built without one (tests) reads as no terminal. */
  static Terminal of(CommandSpec spec) {
    return spec.root().userObject() instanceof VgapassCommand v && v.terminal != null ? v.terminal
        : new Terminal(InputStream.nullInputStream(), System.out, System.err, false);
  }

  /** One line of stdin without its line end; null at the end of input. Reads byte by byte so nothing is held back. */
  String readLine() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        if (line.size() < MAX_LINE) line.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
  }
}
