package io.vgapass.cli;

import io.vgapass.domain.XmlDoc;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** vm define / start / stop through the libvirt port. */
final class VmLifecycleCommands {
  private VmLifecycleCommands() {}

  @Command(name = "define",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass vm define win.xml"},
      description = "Validate a domain XML against libvirt's schema and define it.")
  static final class Define implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Domain XML (from vgapass plan --xml-out or vm tune --out).")
    Path file;

    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) throw new UserError(file + ": no such file; write one with vgapass plan --xml-out");
      XmlDoc doc = XmlDoc.read(file);
      String note = SchemaCheck.validate(doc);
      try (LibvirtPort port = connect.open()) {
        String name = port.define(doc.serialize());
        spec.commandLine().getOut().println("defined " + name + " on " + connect.uri + (note == null ? "" : "; " + note));
        NextStep.print(spec.commandLine().getOut(), NextStep.vgapass("vm start " + name),
            NextStep.vgapass("verify " + name));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "start",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass vm start --domain win-gpu   # or: vgapass vm start win-gpu",
        "  sudo vgapass vm start win-gpu && sudo vgapass verify win-gpu"},
    description = "Start a defined domain.")
  static final class Start implements Callable<Integer> {
    @Mixin DomainArgument domain;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      String name = domain.name();
      try (LibvirtPort port = connect.open()) {
        DomainNames.requireDefined(port, name, connect.uri);
        port.start(name);
        spec.commandLine().getOut().println("started " + name);
        NextStep.print(spec.commandLine().getOut(), NextStep.vgapass("verify " + name));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "stop",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass vm stop win-gpu             # ACPI shutdown, up to 120 s",
        "  sudo vgapass vm stop win-gpu --force     # pull the plug"},
      description = "Shut a domain down (ACPI), waiting up to --timeout seconds; --force pulls the plug.")
  static final class Stop implements Callable<Integer> {
    @Mixin DomainArgument domain;
    @Option(names = "--force", description = "Destroy at once (like pulling the power cord).") boolean force;
    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
        description = "How long to wait for a clean shutdown (default ${DEFAULT-VALUE}); then it fails, "
            + "naming --force.")
    int timeout;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
      String name = domain.name();
      try (LibvirtPort port = connect.open()) {
        DomainNames.requireDefined(port, name, connect.uri);
        DomainInfo info = port.domain(name).orElseThrow();
        if (!info.active()) {
          spec.commandLine().getOut().println(name + " is not running");
          return ExitCode.OK;
        }
        if (force) {
          port.destroy(name);
        } else {
          port.shutdown(name);
          long end = System.nanoTime() + timeout * 1_000_000_000L;
          while (port.domain(name).map(DomainInfo::active).orElse(false)) {
            if (System.nanoTime() > end) {
              throw new UserError(name + " did not shut down within " + timeout + " s; retry, or vgapass vm stop --force "
                  + name, ExitCode.FAILED);
            }
            Thread.sleep(250);
          }
        }
        spec.commandLine().getOut().println("stopped " + name);
      }
      return ExitCode.OK;
    }
  }
}
