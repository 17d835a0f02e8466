package io.vgapass.cli;

import io.vgapass.domain.DeviceRecords;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.verify.GuestTrustCheck;
import io.vgapass.verify.Interference;
import io.vgapass.verify.InterferenceMeter;
import io.vgapass.verify.QemuPid;
import io.vgapass.verify.Verifier;
import io.vgapass.verify.VerifyCheck;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass verify win-gpu              # or: --domain win-gpu",
        "  sudo vgapass verify win-gpu --interference 30"},
    description = {"Prove from the host that a running VM has what its vgapass metadata says: vCPU, emulator and "
        + "I/O thread pinning, FIFO I/O thread, hugepage-backed memory, shielded CPUs, MSI interrupts, governor, "
        + "Looking Glass's shared memory when planned, the passed devices are the recorded ones, the TPM 2.0 (swtpm) and"
        + " Secure Boot (secure loader, SMM, the keys in the domain's variable file) when the domain has them.",
        "Exit 0 when every check passes, 1 when one fails.",
        "With --interference SECONDS, instead: trace what else runs on the guest's CPUs for that long (kernel "
        + "threads, other tasks, interrupts), name each offender, whether it can be moved, and the fix."})
public final class VerifyCommand implements Callable<Integer> {
  @Mixin DomainArgument domain;
  private String name;
  @Mixin JsonOption json;
  @Mixin RootDirOption sysroot;
  @Option(names = "--interference", paramLabel = "SECONDS",
      description = "Trace sched_switch on the guest's CPUs for SECONDS (1-600) and report what ran there besides the "
          + "VM's vCPUs, and the interrupts delivered there (needs root; tracing is left as it was).")
  Integer interference;
  @Mixin ConnectOption connect;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    name = domain.name();
    SysRoot root = sysroot.root();
    VgapassMetadata m;
    List<io.vgapass.host.DeviceIdentity> recorded;
    XmlDoc live;
    try (LibvirtPort port = connect.open()) {
      DomainNames.requireDefined(port, name, connect.uri);
      if (port.domain(name).map(d -> !d.active()).orElse(true)) {
        throw new UserError(name + ": not running on " + connect.uri + "; start it first (vgapass vm start " + name + ")");
      }
      live = XmlDoc.parse("domain " + name, port.domainXml(name, false));
      m = VgapassMetadata.read(live);
      recorded = DeviceRecords.read(live);
    }
    if (interference != null && (interference < 1 || interference > 600)) {
      throw new UserError("--interference " + interference + ": give the seconds to trace, from 1 to 600 (20 is a good start)");
    }
    if (m == null || !m.planned()) {
      // (devices added by input evdev, net setup, audio setup or share setup alone are no tuning to verify)
      throw new UserError(name + ": carries no vgapass tuning; tune it first (vgapass vm tune --domain " + name + ")");
    }
    long pid = QemuPid.of(root, name).orElseThrow(() -> new UserError(
        name + ": no /run/libvirt/qemu/" + name + ".pid; verify reads /proc, so run it on the VM's own host"));
    if (interference != null) return interference(root, m, pid);
    List<VerifyCheck> checks = new java.util.ArrayList<>(new Verifier(root).verify(m, pid));
    checks.add(io.vgapass.verify.DeviceCheck.check(root, name, m.hostdevs(), recorded));
    checks.addAll(new GuestTrustCheck(root).check(live, name));
    boolean passed = checks.stream().allMatch(VerifyCheck::passed);
    if (json.on) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("domain", name);
      o.put("passed", passed);
      o.put("checks", checks);
      spec.commandLine().getOut().println(Json.write(o));
    } else {
      for (VerifyCheck c : checks) {
        spec.commandLine().getOut().printf("%s %-16s %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail());
      }
      spec.commandLine().getOut().println(passed ? name + ": every check passed" : name + ": some checks failed");
    }
    return passed ? ExitCode.OK : ExitCode.SHORT;
  }

  private int interference(SysRoot root, VgapassMetadata m, long pid) {
    Interference report;
    try {
      report = new InterferenceMeter(root).measure(name, m, pid, interference);
    } catch (IOException e) {
      throw new UserError(name + ": cannot trace the guest's CPUs: " + e.getMessage() + " (run as root on the VM's host)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError(name + ": interrupted while tracing; tracing is left as it was");
    }
    if (json.on) {
      spec.commandLine().getOut().println(Json.write(report));
    } else {
      InterferenceText.print(report, spec.commandLine().getOut());
    }
    return ExitCode.OK;
  }
}
