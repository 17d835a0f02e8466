package io.vgapass.cli;

import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import io.vgapass.runtime.Commands;
import io.vgapass.runtime.GpuHandover;
import io.vgapass.runtime.GpuRecovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "gpu", mixinStandardHelpOptions = true,
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
    @Option(names = "--sysroot", paramLabel = "DIR", description = "Act under this root instead of / (tests).")
    Path sysroot;
    @Spec CommandSpec spec;

    GpuHandover handover() {
      if (sysroot != null && !Files.isDirectory(sysroot)) throw new UserError("--sysroot " + sysroot + ": no such directory");
      SysRoot root = sysroot == null ? SysRoot.live() : new SysRoot(sysroot);
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

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Which driver holds each function, and who uses it.")
  static final class Status extends Base {
    @Option(names = "--json", description = "Print the functions as JSON.") boolean json;

    @Override
    public Integer call() throws Exception {
      List<GpuHandover.FunctionState> fs = handover().status(card());
      if (json) {
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

  @Command(name = "release", mixinStandardHelpOptions = true, description = "Give the card's own functions (display, "
      + "HDMI audio, USB-C/UCSI on its slot: what plan passes with it) to vfio-pci.")
  static final class Release extends Base {
    @Option(names = "--dry-run", description = "Show the sysfs writes, make none.") boolean dryRun;

    @Override
    public Integer call() throws Exception {
      handover().release(card(), dryRun).forEach(l -> spec.commandLine().getOut().println((dryRun ? "would: " : "") + l));
      return ExitCode.OK;
    }
  }

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = {"Bring back a card that failed to reset or to return to the host: unbind its functions, reset "
          + "each by the methods the kernel offers (reset_method order), remove them and rescan the bridge above, let "
          + "the host drivers take them. Refused while a process or a VM holds the card (named).",
          "Exit 0 when the card is back, 1 when only a host reboot will do, 2 when refused."})
  static final class Recover extends Base {
    @Option(names = "--dry-run", description = "Show the steps, write nothing.") boolean dryRun;
    @Option(names = "--json", description = "Print {address, recovered, steps: [{step, ok, detail}], verdict}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (sysroot != null && !Files.isDirectory(sysroot)) throw new UserError("--sysroot " + sysroot + ": no such directory");
      SysRoot root = sysroot == null ? SysRoot.live() : new SysRoot(sysroot);
      GpuRecovery.Outcome o = new GpuRecovery(root, root.isLive() ? Commands.REAL : Commands.NONE).recover(card(), dryRun);
      if (json) {
        spec.commandLine().getOut().println(Json.write(o));
      } else {
        for (GpuRecovery.Step s : o.steps()) {
          spec.commandLine().getOut().printf("%s %-7s %s%n", dryRun ? "would" : s.ok() ? "ok  " : "FAIL", s.step(),
              s.detail());
        }
        spec.commandLine().getOut().println(o.verdict());
      }
      return dryRun || o.recovered() ? ExitCode.OK : ExitCode.SHORT;
    }
  }

  @Command(name = "reclaim", mixinStandardHelpOptions = true,
      description = "Give the card's own functions back to their host drivers.")
  static final class Reclaim extends Base {
    @Option(names = "--dry-run", description = "Show the sysfs writes, make none.") boolean dryRun;

    @Override
    public Integer call() throws Exception {
      handover().reclaim(card(), dryRun).forEach(l -> spec.commandLine().getOut().println((dryRun ? "would: " : "") + l));
      return ExitCode.OK;
    }
  }
}
