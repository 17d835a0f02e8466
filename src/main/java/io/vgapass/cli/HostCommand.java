package io.vgapass.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "host",
    description = {"Prepare the host for passthrough (IOMMU, vfio-pci at boot, initramfs) as one reversible "
        + "transaction.", "plan shows the changes, apply makes them, undo takes them back, status tells what is in "
        + "effect now and after the next boot."},
    subcommands = {HostPlanCommand.class, HostApplyCommand.class, HostUndoCommand.class, HostStatusCommand.class})
public final class HostCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
