package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
import io.vgapass.domain.DriftDomains;
import io.vgapass.doctor.SingleGpuVerdict;
import io.vgapass.domain.LookingGlassDomains;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import io.vgapass.report.PciIds;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "doctor",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass doctor                      # this host (root reads the cards' ROMs)",
        "  vgapass doctor --example                 # the built-in reference machine",
        "  vgapass doctor --sysroot host.tar.gz     # someone's capture",
        "  vgapass doctor --json | jq .ready"},
    description = {"Audit the host for GPU passthrough: every verdict with its evidence and its fix.",
        "Looking Glass findings for the domains (etc/libvirt/qemu) whose vgapass metadata plans it, and the domains "
            + "whose passed devices drifted from their recorded addresses.",
        "Exit 0 when a GPU can be passed now, 1 when the host falls short, 2 on bad input."})
public final class DoctorCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SysRoot root = host.sysRoot();
    Host h = host.read(root);
    java.util.List<io.vgapass.doctor.Check> extra = new java.util.ArrayList<>(LookingGlassDomains.checks(root));
    extra.addAll(DriftDomains.checks(root));
    Doctor.Report report = Doctor.examine(h, extra);
    SingleGpuVerdict single = SingleGpuVerdict.of(report.gpus(), root);
    PrintWriter out = spec.commandLine().getOut();
    if (json.on) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("host", h);
      doc.put("gpus", single == null ? report.gpus() : withSingleGpu(report.gpus(), single));
      doc.put("findings", report.findings());
      doc.put("ready", report.ready());
      out.println(Json.write(doc));
    } else {
      new DoctorText(Style.of(spec), PciIds.load(root)).render(host.label(), report, single, out);
    }
    return report.ready() ? ExitCode.OK : ExitCode.SHORT;
  }

  /** The GPUs as JSON objects, the only card's with {@code singleGpu} right after {@code passable}. */
  @SuppressWarnings("unchecked")
  private static java.util.List<Map<String, Object>> withSingleGpu(java.util.List<io.vgapass.host.GpuCandidate> gpus,
      SingleGpuVerdict single) {
    java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (io.vgapass.host.GpuCandidate g : gpus) {
      Map<String, Object> m = Json.mapper().convertValue(g, LinkedHashMap.class);
      Map<String, Object> with = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        with.put(k, v);
        if (k.equals("passable")) with.put("singleGpu", single);
      });
      out.add(with);
    }
    return out;
  }
}
