package io.vgapass.cli;

import io.vgapass.host.HostReader;
import io.vgapass.host.InitSystem;
import io.vgapass.host.SysRoot;
import io.vgapass.runtime.HookInstaller;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "hooks",
    description = "Install or remove libvirt's qemu hook that prepares the host around vgapass VMs "
        + "(hugepages, CPU shielding, governor) and undoes it when they stop.",
    subcommands = {HooksCommand.Install.class, HooksCommand.Uninstall.class})
public final class HooksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base implements Callable<Integer> {
    @Mixin RootDirOption sysroot;

    @Mixin DryRunOption dryRun;

    @Spec CommandSpec spec;

    SysRoot root() {
      return sysroot.root();
    }

    void print(List<String> lines) {
      lines.forEach(l -> spec.commandLine().getOut().println((dryRun.on ? "would " : "") + l));
    }
  }

  @Command(name = "install",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass hooks install --dry-run",
        "  sudo vgapass hooks install"},
    description = "Install the hook (as root).")
  static final class Install extends Base {
    @Override
    public Integer call() throws IOException {
      SysRoot root = root();
      Path jar = runningJar();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String version = HostReader.read(root).virt().libvirtVersion();
      try {
        print(new HookInstaller(root).install(jar, null, java, version, dryRun.on));
      } catch (AccessDeniedException e) {
        throw new UserError("cannot write " + e.getFile() + ": run as root (sudo vgapass hooks install)");
      } catch (io.vgapass.apply.Refusal e) {
        throw new UserError(e.getMessage()); // the journal's refusal: one line, nothing changed
      }
      if (!dryRun.on) {
        String how = InitSystem.restartHint(root, "libvirtd");
        // selftest starts a throwaway domain through the hook: the proof that libvirt runs it
        NextStep.print(spec.commandLine().getOut(), "restart libvirtd once so it picks up a new hook file (" + how + ")",
            NextStep.vgapass("selftest"));
      }
      return ExitCode.OK;
    }

    private static Path runningJar() {
      try {
        Path p = Path.of(HooksCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(p)) {
          throw new UserError("hooks install needs the packaged jar: run it through ./vgapass (it builds one)");
        }
        return p;
      } catch (URISyntaxException e) {
        throw new UserError("cannot locate the vgapass jar: " + e.getMessage());
      }
    }
  }

  @Command(name = "uninstall", description = "Remove the hook, restore an earlier one.")
  static final class Uninstall extends Base {
    @Override
    public Integer call() throws IOException {
      List<String> done = new HookInstaller(root()).uninstall(dryRun.on);
      if (done.isEmpty()) spec.commandLine().getOut().println("no vgapass hook installed: nothing to do");
      print(done);
      return ExitCode.OK;
    }
  }
}
