package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.Refusal;
import io.vgapass.libvirt.LibvirtFailure;
import io.vgapass.runtime.HookFailure;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Runs one command line under vgapass's error contract: bad input is one line naming it and its fix (exit 2), a
 * failure one line with its {@link ExitCode}, a bug one line pointing at --debug (70); never a stack trace unasked.
 */
final class CommandExecution {
  private CommandExecution() {}

  /** Runs a command line of the given command tree (tests give their own tree). */
  static int run(Supplier<CommandLine> tree, String[] args, Terminal terminal) {
    PrintWriter o = new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8);
    boolean debug = Arrays.asList(args).contains("--debug");
    try {
      String refusal = Arguments.controlCharacterRefusal(args);
      if (refusal != null) {
        e.println("vgapass: " + refusal);
        return ExitCode.USAGE;
      }
      return execute(tree.get(), args, o, e, terminal.interactive(), debug);
    } catch (Throwable t) { // picocli hands on Errors (StackOverflowError, OutOfMemoryError) and its own bugs
      return internal(t, e, debug);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** Runs code outside picocli (the libvirt hook) with the same contract for a bug: one line, never a stack trace. */
  static int guard(IntSupplier code, PrintStream err) {
    try {
      return code.getAsInt();
    } catch (Throwable t) { // a bug: libvirt shows the hook's output, so one line, never a stack trace
      return internal(t, new PrintWriter(err, true, StandardCharsets.UTF_8), false);
    }
  }

  private static int execute(CommandLine cli, String[] args, PrintWriter o, PrintWriter e, boolean colour,
      boolean debug) {
    cli.registerConverter(Path.class, Arguments::path);
    cli.setOut(o);
    cli.setErr(e);
    // colour only on a real terminal: never in pipes, files or in-process tests
    cli.setColorScheme(CommandLine.Help.defaultColorScheme(colour ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    cli.setParameterExceptionHandler((ex, a) -> {
      String verb = unknownCommand(ex);
      if (verb != null) {
        e.println("vgapass: " + verb);
        return ExitCode.USAGE;
      }
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
    if (ex instanceof LibvirtFailure f) {
      // nothing was attempted when the URI reaches no libvirt or the domain/network named does not exist
      return f.operation().equals("connect") || f.isNotFound() ? ExitCode.USAGE : ExitCode.FAILED;
    }
    if (ex instanceof Applier.Failed) return ExitCode.FAILED; // rolled back
    if (ex instanceof UserError u) return u.exitCode();
    if (ex instanceof IllegalArgumentException || ex instanceof Refusal || ex instanceof HookFailure) {
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

  /**
   * "unknown command 'docter'; did you mean doctor?" for a word where a command has subcommands, instead of picocli's
   * "Unmatched arguments from index 0"; null for anything else (an unknown option, a stray argument).
   */
  static String unknownCommand(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) return null;
    CommandLine c = u.getCommandLine();
    if (c.getSubcommands().isEmpty() || u.getUnmatched().isEmpty()) return null;
    String word = u.getUnmatched().get(0);
    if (word.startsWith("-")) return null;
    // a command with subcommands takes no word of its own: an unmatched one is a mistyped subcommand
    String path = commandPath(c);
    List<String> names = c.getSubcommands().keySet().stream()
        .filter(n -> !c.getSubcommands().get(n).getCommandSpec().usageMessage().hidden()).sorted().toList();
    List<String> similar = ClosestWords.to(word, names);
    return "unknown command '" + path + Arguments.oneLine(word) + "'; " + (similar.isEmpty()
        ? "the commands" + (path.isEmpty() ? "" : " of vgapass " + path.strip()) + ": " + String.join(", ", names)
        : "did you mean " + String.join(" or ", similar.stream().map(s -> path + s).toList()) + "?");
  }

  private static String commandPath(CommandLine c) {
    StringBuilder b = new StringBuilder();
    for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) {
      b.insert(0, p.getCommandName() + " ");
    }
    return b.toString();
  }
}
