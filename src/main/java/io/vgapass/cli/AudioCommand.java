package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.Diffs;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.StepHook;
import io.vgapass.host.Host;
import io.vgapass.host.Security;
import io.vgapass.host.SysRoot;
import io.vgapass.input.AudioSetup;
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

@Command(name = "audio", mixinStandardHelpOptions = true, description = "Guest sound on the host's sound server.",
    subcommands = {AudioCommand.Setup.class})
public final class AudioCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "setup", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"The host side of guest sound: the sound server also listens on " + AudioSetup.SOCKET
          + ", which QEMU can reach, through a system-wide drop-in (the host journal: vgapass host undo removes it).",
          "Prints the domain's matching <audio> element and the vm tune line that adds it."})
  static final class Setup implements Callable<Integer> {
    @Option(names = "--user", paramLabel = "NAME", description = "The desktop user (default: the first login user "
        + "in /etc/passwd).") String user;

    @ArgGroup(exclusive = true)
    Kind kind = new Kind();

    static final class Kind {
      @Option(names = "--pipewire", description = "pipewire-pulse (default when installed).") boolean pipewire;
      @Option(names = "--pulseaudio", description = "PulseAudio.") boolean pulseaudio;
    }

    @Option(names = "--domain", paramLabel = "NAME", description = "Name the domain in the printed vm tune line.")
    String domain;
    @Option(names = "--dry-run", description = "Show the file as a diff; write nothing.") boolean dryRun;
    @Mixin HostOptions host;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      SysRoot root = host.sysRoot();
      Host h = io.vgapass.host.HostReader.read(root);
      String who = user != null ? user : h.desktopUser() == null ? null : h.desktopUser().name();
      if (who == null) throw new UserError("no desktop user in /etc/passwd (uid 1000 or more): give --user NAME");
      if (user != null && root.lines("etc/passwd").stream().noneMatch(l -> l.startsWith(user + ":"))) {
        throw new UserError("--user " + user + ": no such user in /etc/passwd");
      }
      AudioSetup.Server server = kind.pipewire ? AudioSetup.Server.PIPEWIRE : kind.pulseaudio
          ? AudioSetup.Server.PULSEAUDIO : AudioSetup.detect(root);
      List<HostChange> changes = AudioSetup.changes(root, server);
      out.println("sound server: " + (server == AudioSetup.Server.PIPEWIRE ? "pipewire-pulse" : "PulseAudio")
          + " of " + who + "; QEMU plays to " + AudioSetup.SOCKET);
      for (HostChange c : changes) {
        if (c instanceof HostChange.FileEdit f) out.print(Diffs.unified(f));
      }
      if (changes.isEmpty()) {
        out.println("the sound server's drop-in is already in place");
      } else if (dryRun) {
        out.println("dry run: nothing was written");
      } else {
        if (root.isLive() && !"root".equals(System.getProperty("user.name"))) {
          throw new UserError("vgapass audio setup writes under /etc: run it as root, or with --dry-run");
        }
        new Applier(root, Applier.runnerFor(root), l -> out.println("vgapass: " + l), StepHook.NONE)
            .apply(changes, Map.of("command", "audio setup"));
        out.println("written (undo: vgapass host undo)");
      }
      out.println("domain: vgapass vm tune --domain " + (domain == null ? "NAME" : domain) + " --audio pulseaudio:"
          + AudioSetup.SOCKET + "   adds:");
      out.print(AudioSetup.domainXml().indent(2));
      boolean enforcing = h.security() != null && h.security().selinux() == Security.SelinuxMode.ENFORCING;
      for (String s : AudioSetup.nextSteps(server, who, enforcing)) out.println("next: " + s);
      return Main.OK;
    }
  }
}
