package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.doctor.SingleGpuVerdict;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.plan.Planner;
import io.vgapass.report.PciIds;
import java.io.PrintWriter;
import java.util.List;

/** The human rendering of a doctor report: verdict, GPU table, findings by severity. */
final class DoctorText {
  private final Style style;
  private final PciIds ids;

  DoctorText(Style style, PciIds ids) {
    this.style = style;
    this.ids = ids;
  }

  void render(String label, Doctor.Report r, PrintWriter out) {
    render(label, r, null, out);
  }

  /** With {@code single}: the only card's single-GPU verdict and what its hand-over will stop on this host. */
  void render(String label, Doctor.Report r, SingleGpuVerdict single, PrintWriter out) {
    Host h = r.host();
    out.println(style.bold("vgapass doctor") + " — " + label);
    out.println("  " + h.distro().prettyName() + ", kernel " + h.kernel().release() + ", " + h.cpu().model()
        + " (" + h.cpu().coreCount() + " cores, " + h.cpu().cpus().size() + " threads)"
        + (h.memory().totalKiB() == null ? "" : ", " + Math.round(h.memory().totalKiB() / 1048576.0) + " GiB"));
    out.println();
    out.println(verdict(r) + (single != null && single.plannable() && !r.ready()
        ? " In single-GPU mode the card itself can go: vgapass plan --single-gpu (the host has no display while the VM runs)." : ""));
    out.println();
    out.println(style.bold("GPUs"));
    GpuTable.render(r, ids, single, out);
    if (r.gpus().isEmpty()) out.println("  (no display device on the PCI bus)");
    else if (h.iommu().groupsPredicted()) out.println("  * predicted from the PCI topology: the IOMMU is off");
    if (single != null) singleGpu(r.gpus().get(0), single, out);
    for (Severity s : Severity.values()) {
      List<Finding> fs = r.findings().stream().filter(f -> f.severity() == s).toList();
      if (fs.isEmpty()) continue;
      out.println();
      out.println(style.bold(heading(s) + " (" + fs.size() + ")"));
      for (Finding f : fs) {
        out.println("  " + style.severity(s) + " " + f.id() + ": " + f.message());
        if (s != Severity.OK) {
          out.println("      seen: " + f.evidence());
          if (!f.fix().isEmpty()) out.println("      fix:  " + f.fix());
        }
      }
    }
  }

  private void singleGpu(GpuCandidate g, SingleGpuVerdict v, PrintWriter out) {
    out.println();
    out.println(style.bold("Single-GPU mode") + " (vgapass plan --single-gpu)");
    out.println("  " + g.address() + ": " + v.verdict());
    if (!v.plannable()) return;
    out.println("  at VM start the hand-over will:");
    v.handover().forEach(s -> out.println("    - " + s));
    out.println("  at VM stop it gives everything back in reverse (and vgapass gpu reclaim --force does it by hand)");
  }

  private static String heading(Severity s) {
    return switch (s) {
      case ERROR -> "Must fix";
      case WARNING -> "Should fix";
      case INFO -> "Good to know";
      case OK -> "Fine";
    };
  }

  private static String verdict(Doctor.Report r) {
    if (r.ready()) {
      GpuCandidate g = GpuAnalyzer.guestCandidates(r.gpus()).stream()
          .filter(GpuCandidate::passable).findFirst().orElseThrow();
      List<String> prep = Planner.hostPreparation(r.host(), g);
      if (prep.isEmpty()) {
        return "Ready: GPU " + g.address() + " can be passed to a VM now. Next: vgapass plan --gpu " + g.address();
      }
      // plan lists the same steps under "Before the first start": the two never disagree about "now"
      return "Ready after host preparation: GPU " + g.address() + " can be passed to a VM once the host is prepared ("
          + prep.size() + " step" + (prep.size() == 1 ? "" : "s") + "). Next: vgapass plan --gpu " + g.address()
          + " (it lists them)";
    }
    long errors = r.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
    GpuCandidate later = GpuAnalyzer.guestCandidates(r.gpus()).stream().findFirst().orElse(null);
    if (later != null) {
      return "Not yet: " + errors + " thing" + (errors == 1 ? "" : "s") + " to fix (below); then GPU "
          + later.address() + " (" + later.vendor() + " " + later.ids() + ") can be passed.";
    }
    // the reasons may all be warnings (a shared group, say): point at the GPU lines, not at an error count
    return "Not possible as the host is: no GPU can be passed (the gpu.* lines below say why"
        + (errors == 0 ? "" : "; " + errors + " error" + (errors == 1 ? "" : "s") + " to fix") + ").";
  }
}
