package io.vgapass.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "vm", description = "Build, tune and run libvirt domains.",
    subcommands = {VmTuneCommand.class, VmLifecycleCommands.Define.class, VmLifecycleCommands.Start.class,
        VmLifecycleCommands.Stop.class})
public final class VmCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
