package io.vgapass.doctor;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every check over a host. */
public final class Doctor {
  private static final List<Check> CHECKS = List.of(
      new VirtualizationCheck(),
      new IommuCheck(),
      new GpuChecks(),
      new HostDisplayCheck(),
      new OptionRomCheck(),
      new RomSignatureCheck(),
      new ResetCheck(),
      new HugepageCheck(),
      new SelinuxCheck(),
      new RtSchedulingCheck(),
      new BootIsolationCheck(),
      new VirtStackCheck(),
      new FirmwareTrustCheck());

  private Doctor() {}

  public record Report(Host host, List<GpuCandidate> gpus, List<Finding> findings) {
    /** Exit 0 when a GPU can be passed now and nothing is an error. */
    public boolean ready() {
      return gpus.stream().anyMatch(GpuCandidate::passable)
          && findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }
  }

  public static Report examine(Host host) {
    return examine(host, List.of());
  }

  /** With checks built from more than the host (Looking Glass's, from the domains that ask for it). */
  public static Report examine(Host host, List<Check> extra) {
    Check.HostView view = new Check.HostView(host, GpuAnalyzer.analyze(host));
    List<Finding> findings = new ArrayList<>();
    for (Check c : CHECKS) findings.addAll(c.check(view));
    for (Check c : extra) findings.addAll(c.check(view));
    findings.sort(Comparator.comparing(Finding::severity));
    return new Report(host, view.gpus(), List.copyOf(findings));
  }
}
