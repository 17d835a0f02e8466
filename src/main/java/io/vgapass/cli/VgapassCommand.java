package io.vgapass.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "vgapass",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "From a fresh Linux install to a tuned VM that owns a real graphics card (VFIO, KVM, libvirt).",
    subcommands = {DoctorCommand.class, HostCommand.class, PlanCommand.class, VmCommand.class, VerifyCommand.class,
        SelftestCommand.class, HooksCommand.class, GpuCommand.class, CaptureCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 ok, 1 the host or VM falls short, 2 bad usage or input, 3 failed and rolled back.",
        "Shell completion: source <(vgapass generate-completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"})
public final class VgapassCommand implements Runnable {
  @Option(names = "--debug", description = "Print stack traces on errors.", scope = picocli.CommandLine.ScopeType.INHERIT)
  boolean debug;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
