package io.vgapass.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "vgapass",
    mixinStandardHelpOptions = true,
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

  static CommandLine build(String[] args) {
    CommandLine cli = new CommandLine(new VgapassCommand());
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
    versionEverywhere(cli);
    return cli;
  }

  /** {@code vgapass plan --version} answers like {@code vgapass --version} (mixinStandardHelpOptions alone prints nothing). */
  private static void versionEverywhere(CommandLine cli) {
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) sub.getCommandSpec().versionProvider(new VersionProvider());
      versionEverywhere(sub);
    }
  }

  @Option(names = "--debug", description = "Print the stack trace of an error after its one-line message.", scope = picocli.CommandLine.ScopeType.INHERIT)
  boolean debug;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
