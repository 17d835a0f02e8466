package io.vgapass.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point. {@link #run} returns the exit code so the whole CLI is testable in-process. */
public final class Main {
  /** Exit codes: 0 ok, 1 the host or VM falls short, 2 bad usage or input, 3 failed and rolled back. */
  public static final int OK = 0;
  public static final int SHORT = 1;
  public static final int USAGE = 2;
  public static final int FAILED = 3;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("hook")) {
      return io.vgapass.runtime.HookMain.run(args, System.in, err); // libvirt's start path: no CLI framework
    }
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    CommandLine cli = VgapassCommand.build(args);
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
      e.println("vgapass: " + ex.getMessage() + hint + " (see: vgapass " + commandPath(ex.getCommandLine()) + "--help)");
      return USAGE;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof io.vgapass.libvirt.LibvirtFailure) {
        e.println("vgapass: " + ex.getMessage());
        if (debug) ex.printStackTrace(e);
        return FAILED;
      }
      if (ex instanceof io.vgapass.apply.Applier.Failed) {
        e.println("vgapass: " + ex.getMessage()); // rolled back: exit 3
        if (debug) ex.printStackTrace(e);
        return FAILED;
      }
      if (ex instanceof UserError || ex instanceof IllegalArgumentException || ex instanceof io.vgapass.apply.Refusal
          || ex instanceof io.vgapass.runtime.HookFailure) {
        e.println("vgapass: " + ex.getMessage());
        if (debug) ex.printStackTrace(e);
        return ex instanceof UserError u ? u.exitCode() : USAGE;
      }
      e.println("vgapass: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
          + (debug ? "" : " (run again with --debug for details)"));
      if (debug) ex.printStackTrace(e);
      return FAILED;
    });
    int code = cli.execute(args);
    o.flush();
    e.flush();
    return code;
  }

  private static String commandPath(CommandLine c) {
    StringBuilder b = new StringBuilder();
    for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
      b.insert(0, p.getCommandName() + " ");
    }
    return b.toString();
  }
}
