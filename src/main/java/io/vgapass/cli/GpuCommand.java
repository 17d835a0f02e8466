package io.vgapass.cli;

import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.runtime.Commands;
import io.vgapass.runtime.GpuHandover;
import io.vgapass.runtime.GpuRecovery;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "gpu",
    description = "Hand a card's functions to vfio-pci and back to the host drivers (libvirt's managed='yes' does this "
        + "around a VM; this is for cards whose host driver needs care).",
    subcommands = {GpuCommand.Status.class, GpuCommand.Release.class, GpuCommand.Reclaim.class,
        GpuCommand.Recover.class})
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

  @Command(name = "status",
    footerHeading = "%nExamples:%n",
    footer = {"  vgapass gpu status 0000:01:00.0"},
    description = "Which driver holds each function, and who uses it.")
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

  @Command(name = "release",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass gpu release 0000:01:00.0 --dry-run",
        "  sudo vgapass gpu release 0000:01:00.0"},
    description = "Give the card's own functions (display, "
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

  @Command(name = "recover",
      description = {"Bring back a card that failed to reset or to return to the host: unbind its functions, reset "
          + "each by the methods the kernel offers (reset_method order), remove them and rescan the bridge above, let "
          + "the host drivers take them. Refused while a process or a VM holds the card (named).",
          "Exit 0 when the card is back, 1 when only a host reboot will do, 2 when refused."})
  static final class Recover extends Base {
    @Mixin DryRunOption dryRun;
    @Mixin JsonOption json;

    @Override
    public Integer call() throws Exception {
      SysRoot root = sysroot.root();
      GpuRecovery.Outcome o = new GpuRecovery(root, root.isLive() ? Commands.REAL : Commands.NONE)
          .recover(card(), dryRun.on);
      if (json.on) {
        spec.commandLine().getOut().println(Json.write(o));
      } else {
        for (GpuRecovery.Step s : o.steps()) {
          spec.commandLine().getOut().printf("%s %-7s %s%n", dryRun.on ? "would" : s.ok() ? "ok  " : "FAIL", s.step(),
              s.detail());
        }
        spec.commandLine().getOut().println(o.verdict());
      }
      return dryRun.on || o.recovered() ? ExitCode.OK : ExitCode.SHORT;
    }
  }

  @Command(name = "reclaim",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass gpu reclaim 0000:01:00.0",
        "  sudo vgapass gpu reclaim --force win-gpu   # after a single-GPU VM left the screen black"},
      description = {"Give the card's own functions back to their host drivers.",
          "With --force: restore the desktop from a VM's state file (/run/vgapass/DOMAIN.state) whatever state the VM "
              + "is in (QEMU killed, libvirt gone): the card back to its driver, console and boot framebuffer bound, "
              + "connectors re-probed, sound server and display manager started. Run it from ssh (or a text console "
              + "once the VM is off) when the screen stays black."})
  static final class Reclaim implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ADDR|DOMAIN", description = "Any function of a graphics card (without "
        + "--force), or the domain whose hand-over to undo (with --force; may be left out when only one state file "
        + "records a single-GPU hand-over).")
    String target;
    @Option(names = "--force", description = "Undo a VM's recorded hand-over from its state file (see above).")
    boolean force;
    @Mixin RootDirOption sysroot;
    @Mixin DryRunOption dryRun;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      SysRoot root = sysroot.root();
      Commands commands = root.isLive() ? Commands.REAL : Commands.NONE;
      if (force) return ForcedReclaim.run(root, commands, target, dryRun.on, spec.commandLine().getOut());
      if (target == null) throw new UserError("gpu reclaim: give the card's address (ADDR), or --force [DOMAIN]");
      PciAddress card;
      try {
        card = PciAddress.parse(target);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage() + " (to undo a VM's single-GPU hand-over: vgapass gpu reclaim --force "
            + target + ")");
      }
      new GpuHandover(root, commands).reclaim(card, dryRun.on)
          .forEach(l -> spec.commandLine().getOut().println((dryRun.on ? "would: " : "") + l));
      if (!dryRun.on) NextStep.print(spec.commandLine().getOut(), NextStep.vgapass(root, "gpu status " + card));
      return ExitCode.OK;
    }
  }
}
