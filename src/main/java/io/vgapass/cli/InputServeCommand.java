package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.apply.HostChange;
import io.vgapass.host.Printable;
import io.vgapass.host.SysRoot;
import io.vgapass.input.BackAfter;
import io.vgapass.input.GuestDevice;
import io.vgapass.input.LibvirtSwitchActions;
import io.vgapass.input.ListenAddress;
import io.vgapass.input.SwitchService;
import io.vgapass.input.SwitchServiceUnit;
import io.vgapass.input.SystemdUnit;
import io.vgapass.input.TokenFile;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.NicSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", sortOptions = false,
    description = {"The switch-back service: the guest calls POST /switch-back to give the keyboard and mouse back, "
        + "POST /switch-to-guest to take them, GET /status to ask (Authorization: Bearer TOKEN).",
        "Listens on the host's address on the host-only network (vgapass net setup), never on every address unless "
            + "--listen 0.0.0.0:PORT says so. vgapass guest switch-script prints the guest's side."})
final class InputServeCommand extends InputCommand.Switch {
  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "Default: the host-only network's host "
      + "address, port " + ListenAddress.DEFAULT_PORT + ".")
  String listen;
  @Option(names = "--hostonly", paramLabel = "NETWORK", defaultValue = NicSpec.DEFAULT_HOSTONLY,
      description = "The host-only libvirt network (default ${DEFAULT-VALUE}).")
  String hostonly;
  @Option(names = "--token-file", paramLabel = "FILE", description = "The bearer token, 0600 (default /"
      + TokenFile.DEFAULT + ", generated on first use).")
  Path tokenFile;
  @Option(names = "--install", description = "Write a systemd unit that runs this service with these options "
      + "(through the host journal: vgapass host undo removes it), instead of serving.")
  boolean install;
  @Mixin DryRunOption dryRun;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    SysRoot root = sysroot.root();
    if (install) return install(root, out);
    checkTokenFile();
    List<GuestDevice> devs = select();
    InetSocketAddress bind = listen != null ? ListenAddress.parse(listen) : hostOnlyAddress();
    Path tf = tokenFile != null ? tokenFile : root.resolve(TokenFile.DEFAULT);
    TokenFile.Token token = TokenFile.loadOrCreate(tf, tokenFile == null);
    if (token.generated()) out.println("generated a token in " + tf + " (0600); copy it into the guest's script");
    SwitchService.Actions actions = new LibvirtSwitchActions(connect::open, domain.name, devs);
    SwitchService service;
    try {
      service = SwitchService.start(bind, token.value(), actions, SwitchService.Limits.DEFAULT);
    } catch (IOException e) {
      throw new UserError("--listen " + bind.getAddress().getHostAddress() + ":" + bind.getPort() + ": cannot listen ("
          + e.getMessage() + ")", ExitCode.FAILED);
    }
    if (bind.getAddress().isAnyLocalAddress()) {
      spec.commandLine().getErr().println("vgapass: warning: listening on every address, as --listen asked");
    }
    out.println("serving " + domain.name + " on http://" + hostPort(service.address())
        + " (POST /switch-back, POST /switch-to-guest, GET /status; token in " + tf + "); Ctrl-C stops");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stop.countDown();
    }));
    stop.await();
    return ExitCode.OK;
  }

  /** A --token-file that can never hold the token is refused before anything else is looked at. */
  private void checkTokenFile() {
    if (tokenFile == null) return;
    Path dir = tokenFile.toAbsolutePath().getParent();
    if (Files.isDirectory(tokenFile)) {
      throw new UserError("--token-file " + tokenFile + ": a directory; give the token file's path");
    }
    if (dir != null && !Files.isDirectory(dir)) {
      throw new UserError("--token-file " + tokenFile + ": the directory " + dir + " does not exist; check the path, "
          + "or create the directory first");
    }
  }

  private InetSocketAddress hostOnlyAddress() {
    try (LibvirtPort port = connect.open()) {
      String xml = port.networkXml(hostonly).orElseThrow(() -> new UserError("no host-only network " + hostonly
          + " on " + connect.uri + ": create it with vgapass net setup --domain " + domain.name
          + ", or name an address with --listen ADDR:PORT"));
      if (!port.networkActive(hostonly)) {
        throw new UserError("the host-only network " + hostonly + " is not active: virsh net-start " + hostonly);
      }
      String ip = ListenAddress.hostAddress(xml).orElseThrow(() -> new UserError("the network " + hostonly
          + " has no IPv4 host address (<ip address=...>); give --listen ADDR:PORT"));
      return ListenAddress.parse(ip + ":" + ListenAddress.DEFAULT_PORT);
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  /** The unit that runs {@code input serve} with the options of this command line. */
  SwitchServiceUnit unit() {
    List<String> argv = new ArrayList<>(List.of(BackAfter.javaCommand().get(0), "-cp",
        System.getProperty("java.class.path"), "io.vgapass.cli.Main", "input", "serve", "--domain", domain.name,
        "--connect", connect.uri, "--hostonly", hostonly));
    if (listen != null) argv.addAll(List.of("--listen", listen));
    if (tokenFile != null) argv.addAll(List.of("--token-file", tokenFile.toAbsolutePath().toString()));
    devices.forEach(d -> argv.addAll(List.of("--device", d)));
    emulated.forEach(d -> argv.addAll(List.of("--emulated", d)));
    return new SwitchServiceUnit(domain.name, argv);
  }

  private int install(SysRoot root, PrintWriter out) throws IOException {
    // the unit runs these options later, unattended: what serving would refuse is refused now
    if (domain.name.isBlank()) throw new UserError("--domain: an empty name; give the guest's domain name");
    String problem = SystemdUnit.textProblem(domain.name);
    if (problem != null) {
      // the unit names the domain in its Description=, where neither can be escaped
      throw new UserError("--domain " + Printable.of(domain.name) + ": " + problem
          + ", which a systemd unit cannot carry; rename the domain (virsh domrename) without it");
    }
    if (listen != null) ListenAddress.parse(listen);
    checkTokenFile();
    SwitchServiceUnit unit = unit();
    HostChange.FileEdit edit = unit.edit(root);
    if (edit.prior() != null && Arrays.equals(edit.prior(), edit.next())) {
      out.println("/" + unit.path() + " is up to date");
      return ExitCode.OK;
    }
    if (dryRun.on) {
      out.print(Diffs.unified(edit));
      out.println("dry run: nothing was written");
      return ExitCode.OK;
    }
    HostEdits.apply(root, out, List.of(edit), Map.of("command", "input serve --install --domain " + domain.name));
    out.println("wrote /" + unit.path() + "; start it with: systemctl daemon-reload && systemctl enable --now "
        + unit.name() + " (undo: vgapass host undo)");
    return ExitCode.OK;
  }
}
