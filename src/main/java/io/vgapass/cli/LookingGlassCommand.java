package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.LookingGlassHostFiles;
import io.vgapass.host.Accounts;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassRequest;
import io.vgapass.plan.LookingGlassSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code looking-glass setup}: the host files Looking Glass needs, written apart from {@code plan} (which never
 * changes the host) and from {@code host apply} (the passthrough preparation, which a Looking Glass user may have
 * done long before), like {@code audio setup}: a diff first, one journaled transaction, {@code host undo}.
 */
@Command(name = "looking-glass",
    description = "The guest's frames in a window on the host (Looking Glass).",
    subcommands = {LookingGlassCommand.Setup.class})
public final class LookingGlassCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "setup", sortOptions = false,
      description = {"The host side of Looking Glass, through the host journal (vgapass host undo takes it back).",
          "With the kvmfr module installed: its size in /etc/modprobe.d, loading at boot, a udev rule for the desktop "
              + "user, /dev/kvmfr0 in libvirt's cgroup_device_acl. Otherwise: a tmpfiles rule for "
              + LookingGlassSpec.SHM_FILE + ". With AppArmor: libvirt's local abstraction.",
          "The domain side: vgapass plan|vm tune --looking-glass with the same --resolution and --hdr."})
  static final class Setup implements Callable<Integer> {
    @Option(names = "--resolution", paramLabel = "WxH", description = "The guest's largest resolution (default "
        + LookingGlassRequest.DEFAULT_RESOLUTION + ").") String resolution;
    @Option(names = "--hdr", description = "HDR frames (twice the memory).") boolean hdr;
    @Option(names = "--user", paramLabel = "NAME", description = "Who runs the Looking Glass client (default: the "
        + "first login user in /etc/passwd).") String user;
    @Mixin DryRunOption dryRun;
    @Mixin HostOptions host;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      LookingGlassRequest request;
      try {
        request = LookingGlassRequest.parse(resolution, hdr, null);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      SysRoot root = host.sysRoot();
      Host h = HostReader.read(root);
      String who = DesktopUserChoice.of(root, h, user);
      // QEMU runs in the kvm group on Debian, Ubuntu, Fedora and Arch; without it the user's own group
      String group = Accounts.hasGroup(root, "kvm") ? "kvm" : who;
      LookingGlassSpec lg = LookingGlassSpec.of(request,
          h.kernel().kvmfr() ? LookingGlassSpec.Mode.KVMFR : LookingGlassSpec.Mode.IVSHMEM);
      boolean apparmor = h.security() != null && h.security().apparmor();
      List<HostChange> changes = LookingGlassHostFiles.changes(root, lg, who, group, apparmor);
      out.println("looking glass: " + lg.sizeMiB() + " MiB for " + lg.resolution() + (lg.hdr() ? " HDR" : "")
          + (lg.mode() == LookingGlassSpec.Mode.KVMFR ? " on " + LookingGlassSpec.KVMFR_DEVICE + " (kvmfr module)"
              : " in " + LookingGlassSpec.SHM_FILE + " (IVSHMEM; no kvmfr module installed)") + ", for " + who);
      for (HostChange c : changes) {
        if (c instanceof HostChange.FileEdit f) out.print(Diffs.unified(f));
      }
      if (changes.isEmpty()) {
        out.println("the host files are already in place");
      } else if (dryRun.on) {
        out.println("dry run: nothing was written");
      } else {
        HostEdits.apply(root, out, changes, Map.of("command", "looking-glass setup"));
        out.println("written (undo: vgapass host undo)");
      }
      out.println("domain: vgapass vm tune --domain NAME --looking-glass --resolution " + lg.resolution()
          + (lg.hdr() ? " --hdr" : ""));
      for (String s : LookingGlassHostFiles.nextSteps(lg, h.kernel().hasModule("kvmfr"))) NextStep.print(out, s);
      return ExitCode.OK;
    }
  }
}
