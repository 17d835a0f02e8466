package io.vgapass.cli;

import io.vgapass.domain.DeviceEdits;
import io.vgapass.host.Network;
import io.vgapass.host.HostReader;
import io.vgapass.domain.HostOnlyNetwork;
import io.vgapass.input.ListenAddress;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.NicSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "net", description = "Guest networking.",
    subcommands = {NetCommand.Setup.class})
public final class NetCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "setup", sortOptions = false,
      description = {"A macvtap interface in bridge mode on the host's wired NIC (the guest on the LAN) plus the "
          + "isolated host-only network with DHCP for host-guest traffic (macvtap cannot reach the host).",
          "The network is defined and started through libvirt; the domain's definition gets both interfaces through "
              + "the domain engine (next start), recorded as vgapass's in its metadata, so vm tune keeps them and "
              + "running this again changes nothing. The switch-back service listens on the network's host address."})
  static final class Setup implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Option(names = "--macvtap", paramLabel = "IFACE", description = "The host NIC (default: the one with the "
        + "default route).") String macvtap;
    @Option(names = "--no-macvtap", description = "Only the host-only network.") boolean noMacvtap;
    @Option(names = "--hostonly", paramLabel = "NAME", defaultValue = NicSpec.DEFAULT_HOSTONLY,
        description = "The host-only network (default ${DEFAULT-VALUE}).") String hostonly;
    @Option(names = "--address", paramLabel = "ADDR/24", defaultValue = "192.168.150.1/24",
        description = "The host's address on it, when it is created (default ${DEFAULT-VALUE}).") String address;
    @Mixin RootDirOption sysroot;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String nic = noMacvtap ? null : macvtap != null ? macvtap : defaultNic();
      if (nic != null) checkNic(nic);
      String netXml = HostOnlyNetwork.xml(hostonly, address);
      try (LibvirtPort port = connect.open()) {
        DomainEdit edit = DomainEdit.read(port, domain.name, connect.uri);
        // the domain's edit is made and validated before the network is touched: bad input changes nothing
        List<NicSpec> nics = new ArrayList<>();
        if (nic != null) nics.add(new NicSpec(NicSpec.Kind.MACVTAP, nic));
        nics.add(new NicSpec(NicSpec.Kind.HOSTONLY, hostonly));
        List<DeviceEdits.Result> results = DeviceEdits.nics(edit.doc(), nics);
        String note = edit.validate();
        if (port.networkXml(hostonly).isEmpty()) {
          port.defineNetwork(netXml);
          out.println("defined the isolated network " + hostonly + " (host " + address + ", DHCP .100-.199)");
        } else {
          out.println("network " + hostonly + " exists; kept as it is");
        }
        if (!port.networkActive(hostonly)) {
          port.startNetwork(hostonly);
          out.println("started " + hostonly + " (virsh net-autostart " + hostonly + " starts it with libvirtd)");
        }
        for (int k = 0; k < nics.size(); k++) {
          String what = describe(nics.get(k));
          out.println(switch (results.get(k)) {
            case ADDED -> "added " + what;
            case OURS -> "the domain already has " + what + " (added by vgapass)";
            case USERS -> "the domain already has " + what + " (its own; left as it is)";
          });
        }
        if (edit.changed()) {
          edit.define(port);
          out.println("redefined " + domain.name + " (takes effect at its next start)" + note);
        }
        String host = ListenAddress.hostAddress(port.networkXml(hostonly).orElse("")).orElse("?");
        out.println("the switch-back service listens on " + host + ":" + ListenAddress.DEFAULT_PORT
            + ": vgapass input serve --domain " + domain.name);
        if (edit.changed()) NextStep.print(out, NextStep.start(port, domain.name));
      }
      return ExitCode.OK;
    }

    private static String describe(NicSpec n) {
      return n.kind() == NicSpec.Kind.MACVTAP ? "macvtap (bridge mode) on " + n.source()
          : "an interface on the network " + n.source();
    }

    private Network network() {
      return HostReader.read(sysroot.root()).network();
    }

    private String defaultNic() {
      Network n = network();
      if (n.defaultRoute() == null) {
        throw new UserError("no default route on this host to put macvtap on: give --macvtap IFACE, or --no-macvtap");
      }
      return n.defaultRoute();
    }

    private void checkNic(String nic) {
      Network n = network();
      Network.Interface i = n.interfaces().stream().filter(x -> x.name().equals(nic)).findFirst().orElseThrow(() ->
          new UserError("--macvtap " + nic + ": no such interface (this host has: " + String.join(", ",
              n.interfaces().stream().map(Network.Interface::name).toList()) + ")"));
      if (!i.physical()) {
        throw new UserError("--macvtap " + nic + " is not a physical NIC (a bridge, tap or veth); macvtap belongs on "
            + "the wired NIC");
      }
      if (i.wireless()) {
        throw new UserError((macvtap == null ? "the default route's NIC " : "--macvtap ") + nic + " is wireless: Wi-Fi "
            + "does not accept the extra MAC address macvtap gives the guest (it would get no LAN); give --macvtap "
            + "a wired NIC, or --no-macvtap (plan --nic nat gives the guest libvirt's NAT network instead)");
      }
    }
  }
}
