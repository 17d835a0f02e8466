package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.apply.HostChange;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.Security;
import io.vgapass.host.SysRoot;
import io.vgapass.domain.DeviceEdits;
import io.vgapass.apply.AudioSetup;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.AudioSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "audio", description = "Guest sound on the host's sound server.",
    subcommands = {AudioCommand.Setup.class, AudioCommand.Undo.class})
public final class AudioCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "setup", sortOptions = false,
      description = {"The host side of guest sound: the sound server also listens on " + AudioSetup.SOCKET
          + ", which QEMU can reach, through a system-wide drop-in (the host journal: vgapass host undo removes it).",
          "With --domain, the domain's definition also gets the matching <audio> backend and an ich9 <sound> that "
              + "plays to it, through the domain engine (validated, redefined, recorded as vgapass's; vgapass audio "
              + "undo --domain NAME removes them). --dry-run shows both changes as diffs."})
  static final class Setup implements Callable<Integer> {
    @Option(names = "--user", paramLabel = "NAME", description = "The desktop user (default: the first login user "
        + "in /etc/passwd).") String user;

    @ArgGroup(exclusive = true)
    Kind kind = new Kind();

    static final class Kind {
      @Option(names = "--pipewire", description = "pipewire-pulse (default when installed).") boolean pipewire;
      @Option(names = "--pulseaudio", description = "PulseAudio.") boolean pulseaudio;
    }

    @Option(names = "--domain", paramLabel = "NAME", description = "Also give this domain the <audio> and <sound> "
        + "that play to the socket (takes effect at its next start).") String domain;
    @Mixin DryRunOption dryRun;
    @Mixin HostOptions host;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      SysRoot root = host.sysRoot();
      Host h = HostReader.read(root);
      String who = DesktopUserChoice.of(root, h, user);
      AudioSetup.Server server = kind.pipewire ? AudioSetup.Server.PIPEWIRE : kind.pulseaudio
          ? AudioSetup.Server.PULSEAUDIO : AudioSetup.detect(root);
      List<HostChange> changes = AudioSetup.changes(root, server);
      // the domain is read (and refused when missing) before anything is written
      try (LibvirtPort port = domain == null ? null : connect.open()) {
        DomainEdit edit = port == null ? null : DomainEdit.read(port, domain, connect.uri);
        DeviceEdits.Result result = edit == null ? null
            : DeviceEdits.audio(edit.doc(), AudioSetup.domainSpec(), port.libvirtVersion());
        String note = edit == null ? "" : edit.validate();
        out.println("sound server: " + (server == AudioSetup.Server.PIPEWIRE ? "pipewire-pulse" : "PulseAudio")
            + " of " + who + "; QEMU plays to " + AudioSetup.SOCKET);
        for (HostChange c : changes) {
          if (c instanceof HostChange.FileEdit f) out.print(Diffs.unified(f));
        }
        if (changes.isEmpty()) out.println("the sound server's drop-in is already in place");
        if (edit != null) {
          out.print(edit.diff());
          out.println(switch (result) {
            case ADDED -> "domain " + domain + ": adds the <audio> backend and an ich9 <sound> playing to it";
            case OURS -> "domain " + domain + ": already has vgapass's <sound> and <audio>"
                + (edit.changed() ? " (updated)" : "");
            case USERS -> "domain " + domain + ": has its own <sound>, which vgapass leaves as it is; to play to "
                + AudioSetup.SOCKET + ", remove it (virsh edit " + domain + ") and run this again";
          });
        }
        if (dryRun.on) {
          out.println("dry run: nothing was written" + (edit == null ? "" : " or defined"));
        } else {
          if (!changes.isEmpty()) HostEdits.requireRoot(root, "audio setup"); // before the domain is redefined
          if (edit != null && edit.changed()) {
            edit.define(port);
            out.println("redefined " + domain + " (takes effect at its next start; undo: vgapass audio undo --domain "
                + domain + ")" + note);
          }
          if (!changes.isEmpty()) {
            HostEdits.apply(root, out, changes, Map.of("command", "audio setup"));
            out.println("written (undo: vgapass host undo)");
          }
        }
      }
      if (domain == null) {
        out.println("domain: vgapass audio setup --domain NAME   adds:");
        out.print(AudioSetup.domainXml().indent(2));
      }
      boolean enforcing = h.security() != null && h.security().selinux() == Security.SelinuxMode.ENFORCING;
      for (String s : AudioSetup.nextSteps(server, who, enforcing)) NextStep.print(out, s);
      return ExitCode.OK;
    }
  }

  @Command(name = "undo", sortOptions = false,
      description = {"Removes the <sound> and <audio> that audio setup --domain added (vgapass's own, as its "
          + "metadata records; a sound device of the domain's own stays). The sound server's drop-in is a host "
          + "change: vgapass host undo removes it."})
  static final class Undo implements Callable<Integer> {
    @Mixin DomainOption domain;
    @Mixin DryRunOption dryRun;
    @Mixin ConnectOption connect;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (LibvirtPort port = connect.open()) {
        DomainEdit edit = DomainEdit.read(port, domain.name, connect.uri);
        if (!DeviceEdits.ownsSound(edit.doc())) {
          out.println("domain " + domain.name + ": has no sound device added by vgapass; nothing to undo");
          return ExitCode.OK;
        }
        DeviceEdits.audio(edit.doc(), AudioSpec.NONE, port.libvirtVersion());
        String note = edit.validate();
        out.print(edit.diff());
        if (dryRun.on) {
          out.println("dry run: nothing was defined");
        } else {
          edit.define(port);
          out.println("removed vgapass's <sound> and <audio> from " + domain.name + " (takes effect at its next start)"
              + note);
        }
      }
      return ExitCode.OK;
    }
  }
}
