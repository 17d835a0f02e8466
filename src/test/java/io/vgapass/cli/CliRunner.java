package io.vgapass.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in-process ({@link Main#run}) and captures what it printed. */
public final class CliRunner {
  private CliRunner() {}

  /** One run: exit code, stdout, stderr. */
  public record Result(List<String> args, int code, String out, String err) {
    @Override
    public String toString() {
      return "vgapass " + String.join(" ", args) + " -> exit " + code + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  public static Result run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(List.copyOf(args), code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Result run(String... args) {
    return run(List.of(args));
  }
}
