package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.setup.Dialogue;
import io.vgapass.setup.Setup;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "setup", sortOptions = false,
    description = {"Start here: the guided path from the audit to a defined VM, each step shown as its command.",
        "Audit, pick the card, prepare the host (diffs first, applied on yes), reboot and run it again (it resumes), "
            + "plan the VM from your answers, define it, install the hooks, run selftest, and end with the everyday "
            + "commands. Each step prints the vgapass command it runs.",
        "Without a terminal (or with --no-input) it prints the whole path and changes nothing, unless --yes (then it "
            + "takes the defaults). With --sysroot or --example it is a rehearsal on that root: host files change "
            + "under it only; define, hooks and selftest are shown, not run.",
        "Exit 0 done (or stopped to reboot), 1 no card can go to a VM or selftest found a problem, 2 bad input, "
            + "3 a step failed and was rolled back."},
    footer = {"", "Examples:",
        "  vgapass setup --example              # the reference machine's path.",
        "  sudo vgapass setup                   # this host, asking on the terminal.",
        "  vgapass setup --sysroot host.tar.gz  # a rehearsal on a capture."})
public final class SetupCommand implements Callable<Integer> {
  private static final String DEFAULT_URI = "qemu:///system";

  @Mixin HostOptions host;

  @Option(names = "--no-input", description = "Ask nothing: print the whole path with its defaults and change "
      + "nothing (as without a terminal); with --yes, take the defaults and go.")
  boolean noInput;

  @Option(names = "--yes", description = "Take every default and confirm every step without asking (also without a "
      + "terminal).")
  boolean yes;

  @Mixin ConnectOption connect;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Terminal terminal = Terminal.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    boolean person = terminal.interactive() && !noInput && !yes;
    Setup.Mode mode = person ? Setup.Mode.ASK : yes ? Setup.Mode.DEFAULTS : Setup.Mode.SHOW;
    SysRoot root = host.sysRoot();
    if (root.isLive() && mode != Setup.Mode.SHOW && !"root".equals(System.getProperty("user.name"))) {
      throw new UserError("vgapass setup prepares the host and defines the VM: run it as root (sudo vgapass setup), "
          + "or rehearse it with vgapass setup --example");
    }
    // a capture is unpacked once, and its steps run on that directory (shown as the file the user gave)
    boolean throwaway = host.source.example || (host.source.sysroot != null
        && java.nio.file.Files.isRegularFile(host.source.sysroot));
    List<String> connectArgs = connect.uri.equals(DEFAULT_URI) ? List.of() : List.of("--connect", connect.uri);
    Setup.Where where = host.live() ? new Setup.Where(List.of(), "", host.label(), false, connectArgs)
        : new Setup.Where(host.source.example ? List.of("--example") : List.of("--sysroot", root.root().toString()),
            host.elsewhere(), host.label(), throwaway);
    Dialogue dialogue = new Dialogue(out, terminal::readLine, person);
    // each step is the command the user is shown, run in this process on the same terminal
    Main main = new Main(terminal);
    return new Setup(root, where, mode, dialogue, args -> main.run(args.toArray(String[]::new)), out,
        this::defined).run();
  }

  private boolean defined(String name) {
    try (LibvirtPort port = connect.open()) {
      return port.domain(name).isPresent();
    }
  }
}
