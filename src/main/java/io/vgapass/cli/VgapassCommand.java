package io.vgapass.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(
    name = "vgapass",
    versionProvider = VersionProvider.class,
    description = "From a fresh Linux install to a tuned VM that owns a real graphics card (VFIO, KVM, libvirt).",
    footer = {"", "Exit codes: 0 ok, 1 the host or VM falls short, 2 bad usage or input, 3 failed and rolled back, 70 internal "
            + "error (a bug in vgapass: run again with --debug for the stack trace and report it).",
        "Shell completion: source <(vgapass generate-completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"})
public final class VgapassCommand implements Runnable {
  /**
   * The verbs, in help order. Main registers only the one a command line names (building
   * picocli's model of every command costs a fifth of a second per run), and all of them for
   * help, completion and unknown words.
   */
  static final Map<String, Supplier<Object>> VERBS = verbs();

  private static Map<String, Supplier<Object>> verbs() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("doctor", DoctorCommand::new);
    m.put("host", HostCommand::new);
    m.put("plan", PlanCommand::new);
    m.put("vm", VmCommand::new);
    m.put("verify", VerifyCommand::new);
    m.put("selftest", SelftestCommand::new);
    m.put("hooks", HooksCommand::new);
    m.put("gpu", GpuCommand::new);
    m.put("capture", CaptureCommand::new);
    m.put("input", InputCommand::new);
    m.put("guest", GuestCommand::new);
    m.put("net", NetCommand::new);
    m.put("audio", AudioCommand::new);
    m.put("looking-glass", LookingGlassCommand::new);
    m.put("share", ShareCommand::new);
    m.put("firmware", FirmwareCommand::new);
    m.put("report", ReportCommand::new);
    m.put("generate-completion", CompletionCommand::new);
    return m;
  }

  /** The command tree for one run on the given terminal; also without one (tests that only read the model). */
  static CommandLine build(String[] args, Terminal terminal) {
    CommandLine cli = new CommandLine(new VgapassCommand(terminal));
    String verb = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        verb = a;
        break;
      }
    }
    if (verb != null && VERBS.containsKey(verb) && !verb.equals("generate-completion")) {
      cli.addSubcommand(verb, VERBS.get(verb).get());
    } else {
      VERBS.forEach((name, make) -> cli.addSubcommand(name, make.get()));
    }
    cli.setExecutionStrategy(VgapassCommand::execute);
    return cli;
  }

  /**
   * --version is inherited by every command, but picocli prints the version of the command that was named, and only
   * the top command has a version provider: so the whole tree answers with vgapass's version, stated here once.
   * --help keeps picocli's meaning (the named command's usage) and wins when both are given, as it did.
   */
  private static int execute(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested()) break;
      if (p.isVersionHelpRequested()) {
        CommandLine top = parsed.commandSpec().commandLine();
        top.printVersionHelp(top.getOut(), top.getColorScheme().ansi());
        return ExitCode.OK;
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  // Declared once here; ScopeType.INHERIT gives them to every command below (picocli copies them into each spec).
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.",
      scope = ScopeType.INHERIT)
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.",
      scope = ScopeType.INHERIT)
  boolean version;

  @Option(names = "--debug", description = "Print the stack trace of an error after its one-line message.",
      scope = ScopeType.INHERIT)
  boolean debug;

  /** The streams this run was given; commands reach them through {@link Terminal#of(CommandSpec)}. */
  final Terminal terminal;

  private VgapassCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
