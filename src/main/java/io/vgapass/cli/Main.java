package io.vgapass.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point. {@link #run} returns the exit code so the whole CLI is testable in-process. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("hook")) {
      try {
        return io.vgapass.runtime.HookMain.run(args, System.in, err); // libvirt's start path: no CLI framework
      } catch (Throwable t) { // a bug: libvirt shows the hook's output, so one line, never a stack trace
        return internal(t, new PrintWriter(err, true, StandardCharsets.UTF_8), false);
      }
    }
    return execute(() -> VgapassCommand.build(args), args, out, err);
  }

  /** Runs a command line of the given command tree with vgapass's error contract (tests give their own tree). */
  static int execute(java.util.function.Supplier<CommandLine> tree, String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    try {
      String refusal = Arguments.controlCharacterRefusal(args);
      if (refusal != null) {
        e.println("vgapass: " + refusal);
        return ExitCode.USAGE;
      }
      return execute(tree.get(), args, o, e, out, debug);
    } catch (Throwable t) { // picocli hands on Errors (StackOverflowError, OutOfMemoryError) and its own bugs
      return internal(t, e, debug);
    } finally {
      o.flush();
      e.flush();
    }
  }

  private static int execute(CommandLine cli, String[] args, PrintWriter o, PrintWriter e, PrintStream out,
      boolean debug) {
    cli.registerConverter(java.nio.file.Path.class, Arguments::path);
    cli.setOut(o);
    cli.setErr(e);
    // colour only on a real terminal: never in pipes, files or in-process tests
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(
        out == System.out && System.console() != null ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cli.setParameterExceptionHandler((ex, a) -> {
      String hint = "";
      if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
        hint = "; did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?";
      }
      e.println("vgapass: " + Arguments.oneLine(ex.getMessage()) + hint + " (see: vgapass "
          + commandPath(ex.getCommandLine()) + "--help)");
      return ExitCode.USAGE;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      int code = exitCode(ex);
      if (code == ExitCode.INTERNAL) return internal(ex, e, debug);
      e.println("vgapass: " + Arguments.oneLine(ex.getMessage()));
      if (debug) ex.printStackTrace(e);
      return code;
    });
    return cli.execute(args);
  }

  /** What a failure means for the exit code; {@link ExitCode#INTERNAL} for anything no user input explains. */
  private static int exitCode(Exception ex) {
    if (ex instanceof io.vgapass.libvirt.LibvirtFailure f) {
      // nothing was attempted when the URI reaches no libvirt or the domain/network named does not exist
      return f.operation().equals("connect") || f.isNotFound() ? ExitCode.USAGE : ExitCode.FAILED;
    }
    if (ex instanceof io.vgapass.apply.Applier.Failed) return ExitCode.FAILED; // rolled back
    if (ex instanceof UserError u) return u.exitCode();
    if (ex instanceof IllegalArgumentException || ex instanceof io.vgapass.apply.Refusal
        || ex instanceof io.vgapass.runtime.HookFailure) {
      return ExitCode.USAGE;
    }
    return ExitCode.INTERNAL;
  }

  /** One line naming the failure and --debug; the stack trace only with --debug. */
  private static int internal(Throwable t, PrintWriter e, boolean debug) {
    e.println("vgapass: internal error (" + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + Arguments.oneLine(t.getMessage())) + "); "
        + (debug ? "the stack trace follows; please report it" : "run again with --debug for the stack trace"));
    if (debug) t.printStackTrace(e);
    return ExitCode.INTERNAL;
  }

  private static String commandPath(CommandLine c) {
    StringBuilder b = new StringBuilder();
    for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
      b.insert(0, p.getCommandName() + " ");
    }
    return b.toString();
  }
}
