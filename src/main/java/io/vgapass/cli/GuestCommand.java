package io.vgapass.cli;

import io.vgapass.guest.MsiScript;
import io.vgapass.guest.SwitchScript;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.input.ListenAddress;
import io.vgapass.input.TokenFile;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.NicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "guest", description = "Scripts for the Windows guest.",
    subcommands = {GuestCommand.SwitchScriptCommand.class, GuestCommand.Msi.class})
public final class GuestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "switch-script", sortOptions = false,
      description = "The guest's PowerShell script that calls vgapass input serve (POST /switch-back) with the token, "
          + "or with --ahk an AutoHotkey v2 hotkey that runs it.")
  static final class SwitchScriptCommand implements Callable<Integer> {
    @Option(names = "--domain", paramLabel = "NAME", defaultValue = "win-gpu", description = "The guest (named in "
        + "the script; default ${DEFAULT-VALUE}).") String domain;
    @Option(names = "--url", paramLabel = "http://ADDR:PORT", description = "The service (default: the host-only "
        + "network's host address, port " + ListenAddress.DEFAULT_PORT + ").") String url;
    @Option(names = "--hostonly", paramLabel = "NETWORK", defaultValue = NicSpec.DEFAULT_HOSTONLY,
        description = "The host-only network (default ${DEFAULT-VALUE}).") String hostonly;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Default /" + TokenFile.DEFAULT
        + " (generated when missing, as input serve does).") Path tokenFile;
    @Option(names = "--ahk", description = "Print the AutoHotkey hotkey script instead.") boolean ahk;
    @Option(names = "--hotkey", paramLabel = "KEYS", defaultValue = "^!Home",
        description = "AutoHotkey hotkey (default ${DEFAULT-VALUE}: Ctrl+Alt+Home).") String hotkey;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (ahk) {
        spec.commandLine().getOut().print(SwitchScript.autohotkey(hotkey));
        return ExitCode.OK;
      }
      String u = url != null ? url : defaultUrl();
      Path tf = tokenFile != null ? tokenFile : Path.of("/").resolve(TokenFile.DEFAULT);
      TokenFile.Token token = TokenFile.loadOrCreate(tf, tokenFile == null);
      if (token.generated()) spec.commandLine().getErr().println("vgapass: generated a token in " + tf + " (0600)");
      spec.commandLine().getOut().print(SwitchScript.powershell(domain, u, token.value()));
      return ExitCode.OK;
    }

    private String defaultUrl() {
      try (LibvirtPort port = connect.open()) {
        String xml = port.networkXml(hostonly).orElseThrow(() -> new UserError("no host-only network " + hostonly
            + " on " + connect.uri + ": create it with vgapass net setup, or give --url http://ADDR:PORT"));
        String ip = ListenAddress.hostAddress(xml).orElseThrow(() -> new UserError("the network " + hostonly
            + " has no IPv4 host address; give --url http://ADDR:PORT"));
        return "http://" + ip + ":" + ListenAddress.DEFAULT_PORT;
      }
    }
  }

  @Command(name = "msi",
      description = {"A PowerShell script for the guest that switches every passed-through function of the card to "
          + "MSI interrupts (MSISupported=1 per function, matched by vendor and device id); idempotent.",
          "After a guest reboot, vgapass verify shows from the host whether it took effect."})
  static final class Msi implements Callable<Integer> {
    @Option(names = "--gpu", required = true, paramLabel = "ADDR", description = "Any function of the card.") String gpu;
    @Mixin HostOptions host;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PciAddress addr;
      try {
        addr = PciAddress.parse(gpu);
      } catch (IllegalArgumentException e) {
        throw new UserError("--gpu " + gpu + ": " + e.getMessage());
      }
      Host h = host.read();
      PciDevice dev = h.device(addr).orElseThrow(() -> new UserError("--gpu " + gpu + ": no PCI device "
          + addr + " on " + host.label() + " (vgapass doctor lists the cards)"));
      GpuCandidate card = GpuAnalyzer.analyze(h).stream()
          .filter(c -> c.address().equals(addr) || c.functions().contains(addr)).findFirst()
          .orElseThrow(() -> new UserError("--gpu " + gpu + ": " + dev.ids() + " is not a graphics card's function ("
              + dev.kind() + "); vgapass doctor lists the cards"));
      List<PciDevice> functions = new ArrayList<>();
      for (PciAddress f : card.functions()) h.device(f).ifPresent(functions::add);
      spec.commandLine().getOut().print(MsiScript.of(card.address(), functions));
      return ExitCode.OK;
    }
  }

}
