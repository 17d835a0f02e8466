package io.vgapass.cli;

import io.vgapass.runtime.HookMain;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Entry point, as thin as google-java-format's: the streams are injected, {@link #run} returns the exit code, so the
 * whole CLI runs in-process in tests. What a failure prints and which exit code it gets is {@link CommandExecution}'s.
 */
public final class Main {
  private final Terminal terminal;

  public Main(InputStream in, PrintStream out, PrintStream err) {
    this(Terminal.of(in, out, err));
  }

  /** A run on streams the caller describes (tests: stdin typed as if at a terminal). */
  public Main(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.in, System.out, System.err).run(args));
  }

  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return new Main(in, out, err).run(args);
  }

  public int run(String... args) {
    if (args.length > 0 && args[0].equals("hook")) {
      // libvirt's start path: no CLI framework, the domain XML on stdin
      return CommandExecution.guard(() -> HookMain.run(args, terminal.in(), terminal.err()), terminal.err());
    }
    return CommandExecution.run(() -> VgapassCommand.build(args, terminal), args, terminal);
  }
}
