package io.vgapass.report;

import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.host.CpuList;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.NicSpec;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The report page: inline CSS and SVG only, readable on screen and on paper, no script. */
final class HtmlPage {
  private HtmlPage() {}

  private static final String CSS = """
      :root { color-scheme: light; }
      * { box-sizing: border-box; }
      body { margin: 0 auto; max-width: 1100px; padding: 16px 20px 40px; color: #111827; background: #ffffff;
        font: 14px/1.45 'DejaVu Sans', 'Liberation Sans', 'Segoe UI', Helvetica, Arial, sans-serif;
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      h1 { font-size: 22px; margin: 0 0 4px; }
      h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d1d5db; padding-bottom: 3px;
        break-after: avoid; page-break-after: avoid; }
      h3 { font-size: 15px; margin: 16px 0 6px; break-after: avoid; }
      p.host { margin: 0; color: #374151; }
      nav { margin: 10px 0; font-size: 13px; }
      nav a { color: #1d4ed8; margin-right: 14px; }
      code, pre { font-family: 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace; font-size: 12px; }
      code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
      pre { background: #f8fafc; border: 1px solid #e5e7eb; border-radius: 6px; padding: 10px;
        white-space: pre-wrap; overflow-wrap: anywhere; }
      figure { margin: 0; overflow-x: auto; }
      figure svg { max-width: 100%; height: auto; display: block; }
      figcaption { font-size: 12px; color: #4b5563; margin-top: 4px; }
      .verdict { border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
      .verdict.planned { background: #ecfdf5; border: 1px solid #16a34a; }
      .verdict.refused { background: #fef2f2; border: 1px solid #dc2626; }
      table { border-collapse: collapse; margin: 6px 0; }
      th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; border-bottom: 1px solid #e5e7eb; }
      th { font-weight: 600; white-space: nowrap; }
      table.pins td, table.pins th { padding-right: 8px; font-size: 12px; }
      .finding { border-left: 4px solid #9ca3af; padding: 4px 10px; margin: 8px 0; break-inside: avoid;
        page-break-inside: avoid; }
      .finding.error { border-color: #dc2626; background: #fef2f2; }
      .finding.warning { border-color: #d97706; background: #fffbeb; }
      .finding.info { border-color: #2563eb; background: #eff6ff; }
      .finding.ok { border-color: #16a34a; background: #f0fdf4; }
      .sev { font-weight: 700; font-size: 12px; margin-right: 6px; }
      .seen, .fix { font-size: 13px; color: #374151; }
      footer { margin-top: 30px; font-size: 12px; color: #6b7280; }
      @page { size: A4 landscape; margin: 10mm; }
      @media print {
        body { max-width: none; padding: 0; font-size: 12px; }
        nav { display: none; }
        figure { overflow: visible; }
        a { color: inherit; text-decoration: none; }
      }
      """;

  static String render(Report.Input in, Picture groups, Picture cpus) {
    Host h = in.host();
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>vgapass report: ").append(esc(in.label())).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    b.append("<header>\n<h1>vgapass report</h1>\n<p class=\"host\">").append(esc(hostLine(in))).append("</p>\n")
        .append("</header>\n");
    verdict(b, in);
    b.append("<nav><a href=\"#groups\">IOMMU groups</a><a href=\"#cpus\">CPU map</a><a href=\"#plan\">Plan</a>")
        .append("<a href=\"#findings\">Findings</a><a href=\"#xml\">Domain XML</a><a href=\"#next\">Next</a></nav>\n");

    b.append("<section id=\"groups\">\n<h2>IOMMU groups</h2>\n<figure>\n").append(groups.inline())
        .append("<figcaption>").append(esc(groupsCaption(in))).append("</figcaption>\n</figure>\n</section>\n");
    b.append("<section id=\"cpus\">\n<h2>CPU map</h2>\n<figure>\n").append(cpus.inline())
        .append("<figcaption>Packages, NUMA nodes, L3 cache domains, cores and their hardware threads; each thread ")
        .append("coloured by what the plan gives it.</figcaption>\n</figure>\n</section>\n");

    plan(b, in);
    findings(b, in.doctor().findings());
    b.append("<section id=\"xml\">\n<h2>Domain XML</h2>\n");
    if (in.domainXml() == null) {
      b.append("<p>No domain: there is no plan (see above).</p>\n");
    } else {
      b.append("<p>What <code>vgapass plan").append(in.plan() == null ? "" : " --gpu " + in.plan().gpu().address())
          .append("</code> writes and <code>vgapass plan --define</code> gives libvirt.</p>\n<pre>")
          .append(escLines(in.domainXml())).append("</pre>\n");
    }
    b.append("</section>\n");
    next(b, in.plan());
    b.append("<footer>Made by vgapass ").append(esc(in.version())).append(" from ").append(esc(h.source()))
        .append(". Device names: ")
        .append(in.ids().file() == null ? "no pci.ids under the host root, numeric ids shown"
            : esc(in.ids().file()) + " (" + in.ids().vendorCount() + " vendors)")
        .append(". No script; nothing is loaded from elsewhere.</footer>\n</body>\n</html>\n");
    return b.toString();
  }

  private static String hostLine(Report.Input in) {
    Host h = in.host();
    String mem = h.memory().totalKiB() == null ? "memory unknown" : CpuPicture.mib(h.memory().totalKiB()) + " memory";
    String iommu = h.iommu().active() ? "IOMMU on (" + h.iommu().vendor() + ")" : "IOMMU off";
    if (h.iommu().acsOverride() != null) iommu += ", pcie_acs_override=" + h.iommu().acsOverride();
    return in.label() + " · " + (h.distro().prettyName() == null ? "unknown distribution" : h.distro().prettyName())
        + " · kernel " + h.kernel().release() + " · " + h.cpu().model() + " · " + mem + " · " + iommu;
  }

  private static void verdict(StringBuilder b, Report.Input in) {
    Plan p = in.plan();
    if (p == null) {
      b.append("<div class=\"verdict refused\"><strong>No plan.</strong> ")
          .append(esc(in.planRefusal() == null ? "the planner gave no reason" : in.planRefusal()))
          .append("<br>The pictures show the host as it is; the findings below say what to change.</div>\n");
      return;
    }
    b.append("<div class=\"verdict planned\"><strong>Plan ").append(esc(p.name())).append(":</strong> GPU ")
        .append(esc(p.gpu().address().toString())).append(" (").append(esc(p.gpu().vendor())).append(' ')
        .append(esc(p.gpu().ids())).append(") with ").append(p.hostdevs().size()).append(" function")
        .append(p.hostdevs().size() == 1 ? "" : "s").append(", ").append(p.cpu().vcpus()).append(" vCPUs, ")
        .append(esc(CpuPicture.mib(p.memoryKiB()))).append(" memory.");
    if (!p.hostPreparation().isEmpty()) {
      b.append("<br>Before the first start the host needs ").append(p.hostPreparation().size())
          .append(" change").append(p.hostPreparation().size() == 1 ? "" : "s")
          .append(" (<code>vgapass host apply</code>, see the plan below).");
    }
    b.append("</div>\n");
  }

  private static String groupsCaption(Report.Input in) {
    return "Every IOMMU group with its PCI functions: address, vendor:device ids, driver in use, class, vendor and "
        + "device names. Bridges are listed apart; they stay with the host."
        + (in.host().iommu().groupsPredicted() ? " The IOMMU is off, so the groups are predicted." : "");
  }

  private static void plan(StringBuilder b, Report.Input in) {
    b.append("<section id=\"plan\">\n<h2>Plan</h2>\n");
    Plan p = in.plan();
    if (p == null) {
      b.append("<p>No plan: ").append(esc(in.planRefusal() == null ? "none was made" : in.planRefusal()))
          .append("</p>\n</section>\n");
      return;
    }
    CpuPlan c = p.cpu();
    b.append("<table>\n");
    row(b, "Name", p.name());
    row(b, "GPU", p.gpu().address() + " " + p.gpu().vendor() + " " + p.gpu().ids() + " (driver "
        + (p.gpu().driver() == null ? "none" : p.gpu().driver()) + ")");
    StringBuilder devs = new StringBuilder();
    for (PciAddress a : p.hostdevs()) {
      PciDevice d = in.host().device(a).orElse(null);
      if (devs.length() > 0) devs.append("; ");
      devs.append(a);
      if (d != null) {
        devs.append(' ').append(in.ids().className(d.classCode())).append(", ").append(in.ids().vendor(d.vendorId()))
            .append(' ').append(in.ids().device(d.vendorId(), d.deviceId()));
      }
    }
    row(b, "Passed to the guest", devs.toString());
    row(b, "vCPUs", c.vcpus() + " as " + c.guestTopology().sockets() + " socket × " + c.guestTopology().cores()
        + " cores × " + c.guestTopology().threads() + " threads" + (c.numaNode() == null
        || in.host().cpu().nodes().size() < 2 ? "" : ", NUMA node " + c.numaNode()));
    row(b, "Emulator thread", "CPUs " + list(c.emulatorCpus()));
    row(b, "I/O thread", "CPUs " + list(c.iothreadCpus()) + ", SCHED_FIFO priority " + p.iothreadPriority());
    row(b, "Host keeps", "CPUs " + list(c.hostCpus()));
    row(b, "Memory", CpuPicture.mib(p.memoryKiB()) + (p.hugepages().enabled() ? " on " + p.hugepages().count()
        + " × " + CpuPicture.pageSize(p.hugepages().sizeKiB()) + " huge pages"
        + (p.hugepages().node() == null ? "" : " from node " + p.hugepages().node()) : ", no huge pages"));
    row(b, "Firmware", (p.firmware().loader() == null ? "chosen by libvirt (firmware='efi')" : p.firmware().loader())
        + (p.firmware().secureBoot() ? ", secure boot" : ""));
    row(b, "Network", String.join("; ", p.nics().stream().map(NicSpec::label).toList()));
    row(b, "Sound", p.audio().kind().name().toLowerCase(Locale.ROOT)
        + (p.audio().socket() == null ? "" : " " + p.audio().socket()));
    if (!p.disks().isEmpty()) {
      row(b, "Disks", String.join("; ", p.disks().stream().map(d -> d.path() + (d.block() ? " (whole disk)" : "")).toList()));
    }
    b.append("</table>\n");
    b.append("<h3>vCPU pinning</h3>\n<table class=\"pins\">\n<tr><th>vCPU</th>");
    for (int i = 0; i < c.vcpus(); i++) b.append("<td>").append(i).append("</td>");
    b.append("</tr>\n<tr><th>host CPU</th>");
    for (int cpu : c.vcpuToCpu()) b.append("<td>").append(cpu).append("</td>");
    b.append("</tr>\n</table>\n");
    if (!p.hostPreparation().isEmpty()) {
      b.append("<h3>Before the first start</h3>\n<ul>\n");
      for (String s : p.hostPreparation()) b.append("<li>").append(esc(s)).append("</li>\n");
      b.append("</ul>\n");
    }
    if (!p.notes().isEmpty()) {
      b.append("<h3>Notes</h3>\n<ul>\n");
      for (String s : p.notes()) b.append("<li>").append(esc(s)).append("</li>\n");
      b.append("</ul>\n");
    }
    b.append("</section>\n");
  }

  private static void findings(StringBuilder b, List<Finding> findings) {
    b.append("<section id=\"findings\">\n<h2>Doctor findings</h2>\n");
    long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings = findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
    b.append("<p>").append(errors).append(" to fix, ").append(warnings).append(" to consider, ")
        .append(findings.size() - errors - warnings).append(" for information or fine.</p>\n");
    for (Finding f : findings) {
      String sev = f.severity().label();
      b.append("<div class=\"finding ").append(sev).append("\"><span class=\"sev\">").append(sev.toUpperCase(Locale.ROOT))
          .append("</span><code>").append(esc(f.id())).append("</code> ").append(esc(f.message()));
      if (f.evidence() != null && !f.evidence().isBlank()) {
        b.append("<div class=\"seen\">seen: ").append(esc(f.evidence())).append("</div>");
      }
      if (f.fix() != null && !f.fix().isBlank()) {
        b.append("<div class=\"fix\">fix: <code>").append(esc(f.fix())).append("</code></div>");
      }
      b.append("</div>\n");
    }
    b.append("</section>\n");
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
  }

  private static String list(List<Integer> cpus) {
    return cpus.isEmpty() ? "none" : CpuList.format(cpus);
  }

  static String esc(String s) {
    return Svg.esc(s == null ? "" : s);
  }

  /** Escaped line by line, its line breaks kept: the domain XML in a pre reads as libvirt and plan print it. */
  static String escLines(String s) {
    return String.join("\n", Arrays.stream((s == null ? "" : s).split("\n", -1)).map(HtmlPage::esc).toList());
  }

  /** The commands that take this plan onto the host, in order, as the terminal's plan ends with its "next:". */
  static List<String> nextCommands(Plan p) {
    List<String> out = new ArrayList<>();
    if (!p.hostPreparation().isEmpty()) {
      out.add("sudo vgapass host apply --gpu " + p.gpu().address() + " --dry-run");
      out.add("sudo vgapass host apply --gpu " + p.gpu().address() + "   (then reboot)");
    }
    out.add("sudo vgapass plan --gpu " + p.gpu().address() + " --name " + p.name() + " --define");
    out.add("sudo vgapass hooks install");
    out.add("sudo vgapass vm start " + p.name());
    out.add("sudo vgapass verify " + p.name());
    return out;
  }

  private static void next(StringBuilder b, Plan p) {
    b.append("<section id=\"next\">\n<h2>Next</h2>\n");
    if (p == null || p.gpu() == null) {
      b.append("<p>No plan yet: the findings above say what keeps the host from one; vgapass doctor checks again.</p>"
          + "\n</section>\n");
      return;
    }
    b.append("<p>On this host, in order (add the plan's other options, "
        + "such as <code>--memory</code> or <code>--disk</code>, to the plan line):</p>\n<pre>");
    b.append(escLines(String.join("\n", nextCommands(p)))).append("</pre>\n</section>\n");
  }
}
