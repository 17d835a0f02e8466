package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.report.PciIds;
import io.vgapass.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", sortOptions = false,
    description = {"Write one self-contained HTML page: the IOMMU groups and the VM's CPU layout as pictures, the "
        + "doctor's findings and the plan's domain XML (no script, nothing loaded from elsewhere, printable).",
        "When no plan can be made the page still shows the pictures and findings, and says why.",
        "Exit 0 when the files are written, 2 on bad input (an unknown --gpu, an unwritable --out)."})
public final class ReportCommand implements Callable<Integer> {
  @Mixin HostOptions host;
  @Mixin PlanOptions options;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML page to write.")
  Path out;

  @Option(names = "--svg-groups", paramLabel = "FILE", description = "Also write the IOMMU groups picture as SVG.")
  Path svgGroups;

  @Option(names = "--svg-cpus", paramLabel = "FILE", description = "Also write the CPU map picture as SVG.")
  Path svgCpus;

  @Spec CommandSpec spec;

  private record Target(Path path, String option) {}

  @Override
  public Integer call() {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target(out, "--out"));
    if (svgGroups != null) targets.add(new Target(svgGroups, "--svg-groups"));
    if (svgCpus != null) targets.add(new Target(svgCpus, "--svg-cpus"));
    checkTargets(targets);
    Intent intent = options.intent(null, null, null);

    SysRoot root = host.sysRoot();
    Host h = HostReader.read(root);
    if (host.source.example) h = h.withSource("example:reference-h97");
    if (intent.gpu() != null) checkGpu(h, intent);
    Report.Input input = ReportInput.of(h, host.label(), PciIds.load(root), intent, VersionProvider.version());
    Report.Rendered r = Report.render(input);
    Doctor.Report doctor = input.doctor();
    Plan plan = input.plan();
    String refusal = input.planRefusal();
    if (svgGroups != null) OutputFiles.write(svgGroups, r.groups().standalone(), "--svg-groups");
    if (svgCpus != null) OutputFiles.write(svgCpus, r.cpus().standalone(), "--svg-cpus");
    OutputFiles.write(out, r.html(), "--out");

    PrintWriter o = spec.commandLine().getOut();
    o.println("report written to " + out + ": " + h.iommuGroups().size() + " IOMMU groups, " + h.pciDevices().size()
        + " PCI functions, " + h.cpu().cpus().size() + " CPUs, " + doctor.findings().size() + " findings");
    o.println(plan != null ? "  plan " + plan.name() + ": GPU " + plan.gpu().address() + ", " + plan.cpu().vcpus()
        + " vCPUs" : "  no plan: " + refusal);
    if (svgGroups != null) o.println("  IOMMU groups picture: " + svgGroups);
    if (svgCpus != null) o.println("  CPU map picture: " + svgCpus);
    return ExitCode.OK;
  }

  /** Only a card that is not there at all is bad input; a card that cannot go is shown with its reasons. */
  private static void checkGpu(Host h, Intent intent) {
    List<GpuCandidate> gpus = GpuAnalyzer.analyze(h);
    if (gpus.stream().anyMatch(g -> g.address().sameSlot(intent.gpu()))) return;
    throw new UserError("--gpu " + intent.gpu() + ": no display device there; the GPUs on this host are "
        + (gpus.isEmpty() ? "none" : gpus.stream().map(g -> g.address() + " " + g.vendor() + " " + g.ids())
            .collect(Collectors.joining(", "))) + " (see vgapass doctor)");
  }

  /**
   * Every output must be writable before any work is done, so a bad path costs nothing and leaves
   * nothing behind: its directory exists, a file can be created there, the path is not a directory.
   */
  static void checkTargets(List<Target> targets) {
    Set<Path> seen = new HashSet<>();
    for (Target t : targets) {
      Path abs = t.path().toAbsolutePath().normalize();
      if (!seen.add(abs)) {
        throw new UserError(t.option() + " " + t.path() + ": the same file is named twice; give each output its own");
      }
      if (Files.isDirectory(abs)) {
        throw new UserError(t.option() + " " + t.path() + ": is a directory; give a file name, e.g. "
            + t.path().resolve(t.option().equals("--out") ? "report.html" : "picture.svg"));
      }
      Path dir = abs.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new UserError(t.option() + " " + t.path() + ": the directory " + dir + " does not exist; create it first");
      }
      if (Files.exists(abs) && !Files.isWritable(abs)) {
        throw new UserError(t.option() + " " + t.path() + ": the file is not writable; choose another path");
      }
      try {
        Path probe = Files.createTempFile(dir, "." + abs.getFileName(), ".probe");
        Files.delete(probe);
      } catch (IOException | SecurityException e) {
        throw new UserError(t.option() + " " + t.path() + ": cannot write in " + dir + " (" + e.getMessage()
            + "); choose a writable directory");
      }
    }
  }
}
