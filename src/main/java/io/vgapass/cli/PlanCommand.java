package io.vgapass.cli;

import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Host;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.Plan;
import io.vgapass.plan.Planner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan",
    footerHeading = "%nExamples:%n",
    footer = {"  vgapass plan --example                   # the reference machine's VM, XML on the terminal",
        "  vgapass plan --gpu 0000:01:00.0 --memory 16G --xml-out win.xml",
        "  sudo vgapass plan --define --disk /dev/disk/by-id/nvme-... --name win11"},
    sortOptions = false,
    description = {"Plan a tuned VM for this host (as it will be after vgapass host apply) and write its libvirt domain.",
        "Exit 0 with a plan, 2 when the request cannot be met (the reason says why)."})
public final class PlanCommand implements Callable<Integer> {
  @Mixin HostOptions host;
  @Mixin PlanOptions options;

  @Option(names = "--xml-out", paramLabel = "FILE", description = "Write the domain XML here instead of printing it.")
  Path xmlOut;

  @Mixin JsonOption json;

  @Option(names = "--define", description = "Define the domain in libvirt (see --connect); this host only, not with "
      + "--sysroot or --example.")
  boolean define;

  @Mixin ConnectOption connect;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (define && !host.live()) {
      // the plan is for another machine: its firmware paths, disks and NICs need not exist here
      throw new UserError("--define with " + host.elsewhere() + ": the domain is planned for another machine (its "
          + "firmware, disks and NICs may not exist here); write it with --xml-out and define it there, or plan "
          + "this host without " + host.elsewhere().split(" ")[0]);
    }
    options.checkDisks(host.live());
    options.checkMedia(host.live());
    io.vgapass.host.SysRoot root = host.sysRoot();
    Host h = host.read(root);
    Plan plan = Planner.plan(h, options.intent(null, null, null));
    String single = SingleGpuNote.of(plan, host.sysRoot());
    if (single != null) plan = plan.withNotes(java.util.List.of(single));
    XmlDoc doc = DomainWriter.create(plan, "kvm", h.virt().qemu());
    // what each passed device is, so the hook can tell when its address holds something else
    DeviceFollowing.record(doc, root).forEach(n -> spec.commandLine().getErr().println("vgapass: " + n));
    String note = SchemaCheck.validate(doc);
    String xml = doc.serialize();
    if (xmlOut != null) OutputFiles.write(xmlOut, xml, "--xml-out");
    PrintWriter out = spec.commandLine().getOut();
    if (define) {
      try (LibvirtPort port = connect.open()) {
        // define would silently replace a domain of that name, with its disks and the user's own edits
        if (port.domain(plan.name()).isPresent()) throw new UserError(alreadyDefined(plan.name(), connect.uri));
        port.define(xml);
      }
    }
    if (json.on) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("plan", plan);
      o.put("validated", note == null);
      o.put("xml", xml);
      out.println(Json.write(o));
    } else {
      new PlanText().render(host.label(), h, plan, out);
      if (note != null) out.println("note: " + note);
      if (define) out.println("defined " + plan.name() + " on " + connect.uri);
      if (define && !h.virt().kvmDevice()) {
        out.println("note: this host has no /dev/kvm: the domain (type='kvm') starts only once virtualization is "
            + "enabled in the firmware and the kvm module loads (see vgapass doctor)");
      }
      if (define && xmlOut == null) {
        String next = PlanNext.line(plan, host.live(), true, null);
        if (next != null) out.println(next);
      }
      if (xmlOut != null) {
        out.println("domain XML written to " + xmlOut + (note == null ? " (valid against libvirt's schema)" : ""));
        String next = PlanNext.line(plan, host.live(), define, xmlOut);
        if (next != null) out.println(next);
      } else {
        out.println();
        out.print(xml);
      }
    }
    return ExitCode.OK;
  }

  /** The refusal of a second plan --define of a name: what to do instead, either way. */
  static String alreadyDefined(String name, String uri) {
    return "--define: a domain named " + name + " already exists on " + uri + "; to change it: vgapass vm tune "
        + "--domain " + name + " (keeps its disks and your edits), or plan another with --name NEW-NAME";
  }
}
