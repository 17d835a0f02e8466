package io.vgapass.cli;

import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.runtime.Commands;
import io.vgapass.runtime.GpuHandover;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "gpu",
    description = "Hand a card's functions to vfio-pci and back to the host drivers (libvirt's managed='yes' does this "
        + "around a VM; this is for cards whose host driver needs care).",
    subcommands = {GpuCommand.Status.class, GpuCommand.Release.class, GpuCommand.Reclaim.class})
public final class GpuCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base implements Callable<Integer> {
    @Parameters(paramLabel = "ADDR", description = "Any function of a graphics card, e.g. 0000:01:00.0 (anything "
        + "else is refused: a disk controller, the chipset's audio, SMBus or Ethernet are never touched).")
    String address;
    @Mixin RootDirOption sysroot;
    @Spec CommandSpec spec;

    GpuHandover handover() {
      SysRoot root = sysroot.root();
      return new GpuHandover(root, root.isLive() ? Commands.REAL : Commands.NONE);
    }

    PciAddress card() {
      try {
        return PciAddress.parse(address);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
    }
  }

  @Command(name = "status", description = "Which driver holds each function, and who uses it.")
  static final class Status extends Base {
    @Mixin JsonOption json;

    @Override
    public Integer call() throws Exception {
      List<GpuHandover.FunctionState> fs = handover().status(card());
      if (json.on) {
        spec.commandLine().getOut().println(Json.write(fs));
      } else {
        for (GpuHandover.FunctionState f : fs) {
          spec.commandLine().getOut().printf("%s %s driver=%s%s group=%s%s%n", f.address(), f.ids(),
              f.driver() == null ? "none" : f.driver(), f.driverOverride() == null ? "" : " override=" + f.driverOverride(),
              f.group() == null ? "?" : f.group(), f.holders().isEmpty() ? "" : " in use: " + String.join("; ", f.holders()));
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "release", description = "Give the card's own functions (display, "
      + "HDMI audio, USB-C/UCSI on its slot: what plan passes with it) to vfio-pci.")
  static final class Release extends Base {
    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      handover().release(card(), dryRun.on)
          .forEach(l -> spec.commandLine().getOut().println((dryRun.on ? "would: " : "") + l));
      if (!dryRun.on) {
        NextStep.print(spec.commandLine().getOut(), "start the VM that takes it (sudo vgapass vm start NAME); give it "
            + "back with " + NextStep.vgapass(sysroot.root(), "gpu reclaim " + card()));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "reclaim",
      description = "Give the card's own functions back to their host drivers.")
  static final class Reclaim extends Base {
    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws Exception {
      handover().reclaim(card(), dryRun.on)
          .forEach(l -> spec.commandLine().getOut().println((dryRun.on ? "would: " : "") + l));
      if (!dryRun.on) NextStep.print(spec.commandLine().getOut(), NextStep.vgapass(sysroot.root(), "gpu status " + card()));
      return ExitCode.OK;
    }
  }
}
