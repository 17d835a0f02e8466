package io.vgapass.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a timeout and captures its output (test support). */
public final class Cmd {
  private Cmd() {}

  /** What a command did. */
  public record Result(List<String> argv, int exit, String out, String err) {
    public boolean ok() {
      return exit == 0;
    }

    /** Returns this result if the command succeeded; else throws, naming command, exit and stderr. */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(
            String.join(" ", argv) + " exited " + exit + ": " + (err.isBlank() ? out : err).strip());
      }
      return this;
    }
  }

  /** virsh against the test daemon ({@link LabAssumptions#LIBVIRT_URI}); its output, or an exception naming the failure. */
  public static String virsh(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "virsh";
    argv[1] = "-c";
    argv[2] = LabAssumptions.LIBVIRT_URI;
    System.arraycopy(args, 0, argv, 3, args.length);
    return run(Duration.ofSeconds(120), argv).orThrow().out();
  }

  /** Runs argv; exit code -1 and a message in err when it timed out or could not start. */
  public static Result run(Duration timeout, String... argv) {
    return runWithInput(timeout, null, argv);
  }

  /** Runs argv with the given text on its standard input (null: none). */
  public static Result runWithInput(Duration timeout, String stdin, String... argv) {
    List<String> cmd = List.of(argv);
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      return new Result(cmd, -1, "", "cannot start " + argv[0] + ": " + e.getMessage());
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
    try {
      try (var in = p.getOutputStream()) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(cmd, -1, out.getNow(""), "timed out after " + timeout.toSeconds() + " s");
      }
      return new Result(cmd, p.exitValue(), out.get(), err.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Result(cmd, -1, "", "interrupted");
    } catch (IOException | ExecutionException e) {
      return new Result(cmd, -1, "", String.valueOf(e.getMessage()));
    }
  }

  private static String slurp(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
