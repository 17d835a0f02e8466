package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
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
    description = {"Audit the host for GPU passthrough: every verdict with its evidence and its fix.",
        "Looking Glass findings for the domains (etc/libvirt/qemu) whose vgapass metadata plans it.",
        "Exit 0 when a GPU can be passed now, 1 when the host falls short, 2 on bad input."})
public final class DoctorCommand implements Callable<Integer> {
  @Mixin HostOptions host;

  @Mixin JsonOption json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SysRoot root = host.sysRoot();
    Host h = host.read(root);
    Doctor.Report report = Doctor.examine(h, LookingGlassDomains.checks(root));
    PrintWriter out = spec.commandLine().getOut();
    if (json.on) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("host", h);
      doc.put("gpus", report.gpus());
      doc.put("findings", report.findings());
      doc.put("ready", report.ready());
      out.println(Json.write(doc));
    } else {
      new DoctorText(Style.of(spec), PciIds.load(root)).render(host.label(), report, out);
    }
    return report.ready() ? ExitCode.OK : ExitCode.SHORT;
  }
}
