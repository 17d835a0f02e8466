package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import io.vgapass.input.BackAfter;
import io.vgapass.input.DeviceSelection;
import io.vgapass.input.DeviceXmlCheck;
import io.vgapass.input.EmulatedUsbInput;
import io.vgapass.input.GuestDevice;
import io.vgapass.input.InputSwitcher;
import io.vgapass.input.UsbDevice;
import io.vgapass.input.UsbDevices;
import io.vgapass.libvirt.LibvirtPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "input",
    description = "Keyboard and mouse between host and guest: USB hot-plug (live only), the switch-back service, evdev.",
    subcommands = {InputCommand.Devices.class, InputCommand.Attach.class, InputCommand.Detach.class,
        InputCommand.Toggle.class, InputServeCommand.class, InputEvdevCommand.class})
public final class InputCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "devices",
      description = "The host's USB devices; keyboards and mice (the default for attach) are marked.")
  static final class Devices implements Callable<Integer> {
    @Mixin RootDirOption sysroot;
    @Mixin JsonOption json;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      SysRoot root = sysroot.root();
      List<UsbDevice> all = UsbDevices.read(root);
      PrintWriter out = spec.commandLine().getOut();
      if (json.on) {
        out.println(Json.write(all));
        return ExitCode.OK;
      }
      if (all.isEmpty()) out.println("no USB devices (nothing in /sys/bus/usb/devices)");
      for (UsbDevice d : all) {
        out.println(d.describe());
        for (String i : d.inputs()) out.println("    " + i);
      }
      for (String k : UsbDevices.otherKeyboards(root)) out.println("not USB, stays with the host: " + k);
      return ExitCode.OK;
    }
  }

  /** Options shared by attach, detach and toggle. */
  abstract static class Switch implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Option(names = "--device", paramLabel = "VID:PID|BUS-PORT", description = "Repeatable. Default: the keyboards "
        + "and mice vgapass input devices lists. Devices sharing a VID:PID are addressed by bus and port.")
    List<String> devices = new ArrayList<>();
    @Option(names = "--emulated", paramLabel = "keyboard|mouse|tablet", description = "QEMU's own USB input device "
        + "instead of a host device (hosts without USB hardware, tests). Repeatable.")
    List<String> emulated = new ArrayList<>();
    @Mixin RootDirOption sysroot;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    List<UsbDevice> host;
    DeviceSelection.Chosen chosen;

    List<GuestDevice> select() {
      List<GuestDevice> out = new ArrayList<>();
      for (String e : emulated) out.add(new EmulatedUsbInput(e.strip()));
      host = UsbDevices.read(sysroot.root());
      if (!devices.isEmpty() || emulated.isEmpty()) {
        chosen = DeviceSelection.choose(host, devices);
        chosen.notes().forEach(n -> spec.commandLine().getOut().println("note: " + n));
        out.addAll(chosen.guestDevices());
      }
      preflight();
      return out;
    }

    /** Checks made before libvirt is asked anything. */
    void preflight() {}

    /** The arguments of an input detach that gives exactly these devices back. */
    List<String> detachArgs() {
      List<String> a = new ArrayList<>(List.of("input", "detach", "--connect", connect.uri, "--domain", domain.name));
      if (sysroot.dir != null) a.addAll(List.of("--sysroot", sysroot.dir.toAbsolutePath().toString()));
      if (chosen != null) chosen.devices().forEach(h -> a.addAll(List.of("--device", h.device().name())));
      emulated.forEach(e -> a.addAll(List.of("--emulated", e.strip())));
      return a;
    }

    void print(List<String> lines) {
      lines.forEach(spec.commandLine().getOut()::println);
    }
  }

  /** attach and toggle: --back-after and --force. */
  abstract static class GiveToGuest extends Switch {
    @Option(names = "--back-after", paramLabel = "SECONDS", description = "Give them back to the host after this "
        + "delay, even if vgapass is interrupted meanwhile (a detached helper process; kill its pid to cancel).")
    Integer backAfter;
    @Option(names = "--force", description = "Take the host's last keyboard without --back-after.") boolean force;

    @Override
    void preflight() {
      if (backAfter != null && backAfter < 1) throw new UserError("--back-after " + backAfter + ": give at least 1 second");
    }

    List<String> give(InputSwitcher sw, List<GuestDevice> devs) {
      if (chosen != null) {
        DeviceSelection.checkLastKeyboard(host, UsbDevices.otherKeyboards(sysroot.root()), chosen, backAfter != null,
            force);
      }
      if (backAfter != null) {
        sw.where(domain.name, devs); // refuses a missing or stopped domain before a helper is started
        SysRoot root = sysroot.root();
        Path log = root.resolve("var/log/vgapass/back-after.log");
        try {
          long pid = BackAfter.start(backAfter, detachArgs(), log);
          spec.commandLine().getOut().println("back-after: helper pid " + pid + " gives them back in " + backAfter
              + " s (kill " + pid + " to keep them in the guest; log " + log + ")");
        } catch (IOException e) {
          throw new UserError("--back-after: cannot start the helper (" + e.getMessage() + "); nothing was changed",
              ExitCode.FAILED);
        }
      }
      return sw.attach(domain.name, devs);
    }
  }

  @Command(name = "attach",
      description = "Hot-plug USB devices into the running guest (live only; the definition is not changed).")
  static final class Attach extends GiveToGuest {
    @Override
    void preflight() {
      super.preflight();
      if (chosen != null) {
        DeviceSelection.checkLastKeyboard(host, UsbDevices.otherKeyboards(sysroot.root()), chosen, backAfter != null,
            force);
      }
    }

    @Override
    public Integer call() {
      List<GuestDevice> devs = select();
      try (LibvirtPort port = connect.open()) {
        print(give(new InputSwitcher(port, DeviceXmlCheck.libvirt()), devs));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "detach", description = "Give hot-plugged USB devices back to the host.")
  static final class Detach extends Switch {
    @Override
    public Integer call() {
      List<GuestDevice> devs = select();
      try (LibvirtPort port = connect.open()) {
        print(new InputSwitcher(port, DeviceXmlCheck.libvirt()).detach(domain.name, devs));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "toggle",
      description = "Detach when all the devices are in the guest (by its live XML), else attach the missing ones.")
  static final class Toggle extends GiveToGuest {
    @Override
    public Integer call() {
      List<GuestDevice> devs = select();
      try (LibvirtPort port = connect.open()) {
        InputSwitcher sw = new InputSwitcher(port, DeviceXmlCheck.libvirt());
        if (sw.where(domain.name, devs) == InputSwitcher.Side.GUEST) {
          print(sw.detach(domain.name, devs));
        } else {
          print(give(sw, devs));
        }
      }
      return ExitCode.OK;
    }
  }

}
