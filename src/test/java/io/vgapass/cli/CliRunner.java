package io.vgapass.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in-process ({@link Main#run}) on injected streams and keeps what it printed: the one test runner. */
public final class CliRunner {
  private CliRunner() {}

  /** One run: exit code, stdout, stderr. */
  public record Result(List<String> args, int code, String out, String err) {
    /** stderr's non-blank lines (the error contract: one line per refusal). */
    public List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "vgapass " + String.join(" ", args) + " -> exit " + code + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  public static Result run(List<String> args) {
    return run(InputStream.nullInputStream(), false, args);
  }

  public static Result run(String... args) {
    return run(List.of(args));
  }

  /** A run with this text on stdin, as if a person typed it at a terminal (so questions are asked and answered). */
  public static Result typing(String stdin, String... args) {
    return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), true, List.of(args));
  }

  /** A run with this text piped to stdin, no terminal (as libvirt runs the hook with the domain XML). */
  public static Result piping(String stdin, String... args) {
    return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false, List.of(args));
  }

  private static Result run(InputStream in, boolean interactive, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = new Main(new Terminal(in, o, e, interactive)).run(args.toArray(String[]::new));
    }
    return new Result(List.copyOf(args), code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
