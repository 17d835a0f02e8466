package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.testing.LargeHosts;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What the report shows is exactly the host and the plan: every PCI function and every group
 * once, in its own group; the highlighted threads are the plan's vCPUs; the pictures are
 * well-formed SVG without overlapping text; the page loads nothing from elsewhere.
 */
class ReportStructureTest {
  @TempDir static Path tmp;

  static Stream<String> hosts() {
    List<String> all = new ArrayList<>(TranscribedHosts.ALL);
    all.add("example");
    all.add("large");
    return all.stream();
  }

  static Path root(String name) {
    return switch (name) {
      case "example" -> Reports.example(tmp.resolve("example-" + System.nanoTime()));
      case "large" -> LargeHosts.write(tmp.resolve("large-" + System.nanoTime()), Reports.pciIdsFile("usr/share/misc/pci.ids"));
      default -> TranscribedHosts.hostWith(name, tmp, Reports.pciIdsFile("usr/share/misc/pci.ids"));
    };
  }

  /** The default intent and one asking for each card that can be planned. */
  static List<Intent> intents(Host h) {
    List<Intent> out = new ArrayList<>();
    out.add(Intent.defaults());
    for (GpuCandidate g : GpuAnalyzer.analyze(h)) out.add(Reports.withGpu(g.address()));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void everyDeviceAndGroupOnceAndThePlansVcpusHighlighted(String name) {
    Path root = root(name);
    SysRoot r = new SysRoot(root);
    Host h = HostReader.read(r);
    PciIds ids = PciIds.load(r);
    assertThat(ids.file()).as("the host carries a pci.ids").isNotNull();
    for (Intent intent : intents(h)) {
      Plan plan = Reports.planOrNull(h, intent);
      Report.Rendered rep = Reports.render(h, ids, intent);
      checkGroups(h, plan, rep.groups());
      checkCpus(h, plan, rep.cpus());
      checkHtml(h, plan, rep.html());
      Reports.assertNoOverlap(rep.groups());
      Reports.assertNoOverlap(rep.cpus());
    }
  }

  static void checkGroups(Host h, Plan plan, Picture p) {
    Document d = Reports.xml(p.standalone());
    assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    Reports.xml(p.inline());
    List<Element> devs = Reports.groups(d, "dev");
    List<String> shown = devs.stream().map(e -> e.getAttribute("data-addr")).sorted().toList();
    List<String> expected = h.pciDevices().stream().map(x -> x.address().toString()).sorted().toList();
    assertThat(shown).as("every PCI function once").isEqualTo(expected);

    List<String> groupIds = Reports.groups(d, "group").stream().map(e -> e.getAttribute("data-group")).toList();
    List<String> expectedGroups = new ArrayList<>(h.iommuGroups().stream().map(g -> String.valueOf(g.id())).toList());
    if (h.pciDevices().stream().anyMatch(x -> h.iommuGroups().stream().noneMatch(g -> g.members().contains(x.address())))) {
      expectedGroups.add("none");
    }
    assertThat(groupIds).as("every group once").containsExactlyInAnyOrderElementsOf(expectedGroups);

    for (Element dev : devs) {
      PciDevice x = h.device(PciAddress.parse(dev.getAttribute("data-addr"))).orElseThrow();
      Element card = (Element) dev.getParentNode();
      assertThat(card.getAttribute("data-group")).as("%s sits in its own group's card", x.address())
          .isEqualTo(x.iommuGroup() == null ? "none" : String.valueOf(x.iommuGroup()));
      assertThat(dev.getAttribute("class")).isEqualTo(x.isBridge() ? "dev bridge" : "dev endpoint");
    }

    Set<String> gpuFns = attrs(devs, "data-guest", "gpu");
    Set<String> guest = new TreeSet<>(gpuFns);
    guest.addAll(attrs(devs, "data-guest", "yes"));
    if (plan == null) {
      assertThat(guest).isEmpty();
    } else {
      assertThat(gpuFns).isEqualTo(strings(plan.gpu().functions()));
      assertThat(guest).isEqualTo(strings(plan.hostdevs()));
    }

    Map<String, Element> cards = new HashMap<>();
    Reports.groups(d, "group").forEach(e -> cards.put(e.getAttribute("data-group"), e));
    for (GpuCandidate g : Doctor.examine(h).gpus()) {
      for (int id : g.groups()) {
        Element card = cards.get(String.valueOf(id));
        String state = card.getAttribute("data-state");
        if (g.passable()) continue;
        // the boot VGA drives the host's display: never labelled passable after host prep (host apply refuses it)
        boolean hostDisplay = g.plannable() && Boolean.TRUE.equals(g.bootVga())
            && (plan == null || !plan.gpu().address().equals(g.address()));
        assertThat(state).as("group %d of GPU %s", id, g.address())
            .isEqualTo(hostDisplay ? "host" : g.plannable() ? "pending" : "blocked");
        assertThat(card.getTextContent()).as("group %d of GPU %s", id, g.address())
            .doesNotContain(hostDisplay ? "passable after host prep" : "the host's display (stays");
        if (hostDisplay) continue;
        String title = card.getElementsByTagNameNS("*", "title").item(0).getTextContent();
        for (String reason : g.reasons()) assertThat(title).contains(reason);
      }
    }
  }

  static void checkCpus(Host h, Plan plan, Picture p) {
    Document d = Reports.xml(p.standalone());
    Reports.xml(p.inline());
    List<Element> cells = Reports.groups(d, "cpu");
    assertThat(cells.stream().map(e -> Integer.parseInt(e.getAttribute("data-cpu"))).sorted().toList())
        .as("every CPU once").isEqualTo(h.cpu().cpus().stream().map(c -> c.id()).sorted().toList());
    Set<Integer> highlighted = cells.stream().filter(e -> e.getAttribute("data-role").equals("vcpu"))
        .map(e -> Integer.parseInt(e.getAttribute("data-cpu"))).collect(Collectors.toCollection(TreeSet::new));
    if (plan == null) {
      assertThat(highlighted).isEmpty();
      assertThat(cells).allSatisfy(e -> assertThat(e.getAttribute("data-role")).isEqualTo("unplanned"));
      return;
    }
    assertThat(highlighted).as("highlighted CPUs are the plan's vCPUs").isEqualTo(new TreeSet<>(plan.cpu().vcpuToCpu()));
    for (Element e : cells) {
      int cpu = Integer.parseInt(e.getAttribute("data-cpu"));
      if (!e.getAttribute("data-vcpu").isEmpty()) {
        assertThat(plan.cpu().vcpuToCpu().get(Integer.parseInt(e.getAttribute("data-vcpu")))).isEqualTo(cpu);
      }
      String role = e.getAttribute("data-role");
      boolean emu = plan.cpu().emulatorCpus().contains(cpu);
      boolean io = plan.cpu().iothreadCpus().contains(cpu);
      if (!role.equals("vcpu")) {
        assertThat(role).isEqualTo(emu && io ? "emulator_io" : emu ? "emulator" : io ? "iothread" : "host");
      }
    }
    // the packages, nodes and cores are there too
    assertThat(Reports.groups(d, "package")).hasSize(h.cpu().packageCount());
    assertThat(Reports.groups(d, "core")).hasSize(h.cpu().coreCount());
  }

  private static final Pattern EXTERNAL = Pattern.compile(
      "(?i)(<script|<link|<iframe|<object|<embed|<img|@import|url\\(|\\b(?:src|href|xlink:href|action|poster|srcset)"
          + "\\s*=\\s*(?![\"']?#))");

  static void checkHtml(Host h, Plan plan, String html) {
    Matcher m = EXTERNAL.matcher(html);
    assertThat(m.find()).as("the page loads nothing: %s", m.find(0) ? html.substring(m.start(),
        Math.min(html.length(), m.start() + 80)) : "").isFalse();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<style>");
    for (Finding f : Doctor.examine(h).findings()) assertThat(html).contains(f.id());
    if (plan == null) {
      assertThat(html).contains("No plan");
    } else {
      assertThat(html).contains("&lt;name&gt;" + plan.name() + "&lt;/name&gt;");
    }
  }

  private static Set<String> attrs(List<Element> els, String attr, String value) {
    return els.stream().filter(e -> e.getAttribute(attr).equals(value)).map(e -> e.getAttribute("data-addr"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> strings(List<PciAddress> a) {
    return a.stream().map(PciAddress::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void namesComeFromPciIdsAndFallBackToNumbers() {
    Path with = Reports.example(tmp.resolve("names-with"));
    String svg = Reports.render(with, Intent.defaults()).groups().standalone();
    assertThat(svg).contains("NVIDIA Corporation").contains("GP106 [GeForce GTX 1060 6GB]")
        .contains("VGA compatible controller").contains("9 Series Chipset Family USB xHCI Controller");
    Path without = TranscribedHosts.host("b560-single-gpu", tmp);
    String bare = Reports.render(without, Intent.defaults()).groups().standalone();
    Host h = HostReader.read(new SysRoot(without));
    PciDevice gpu = h.gpus().get(0);
    assertThat(bare).contains("vendor " + gpu.vendorId()).contains("device " + gpu.deviceId())
        .contains(String.format("class 0x%06x", gpu.classCode()));
  }

  @Test
  void subsystemNameOfTheCardFromTheTestDatabase() {
    Path root = TranscribedHosts.hostWith("asrock-z170", tmp, Reports.pciIdsFile("usr/share/hwdata/pci.ids"));
    Host h = HostReader.read(new SysRoot(root));
    PciIds ids = PciIds.load(new SysRoot(root));
    assertThat(ids.file()).isEqualTo("usr/share/hwdata/pci.ids");
    String svg = Reports.render(h, ids, Intent.defaults()).groups().standalone();
    assertThat(svg).contains("NVIDIA Corporation");
  }

  @Test
  void noPlanStillDrawsBothPicturesAndSaysWhy() {
    Path root = Reports.example(tmp.resolve("refused"));
    Intent d = Intent.defaults();
    Intent huge = d.toBuilder().gpu(null).memoryKiB(1024L * 1024 * 1024).build();
    Report.Rendered rep = Reports.render(root, huge);
    assertThat(rep.html()).contains("No plan").contains("--memory").contains("No domain");
    assertThat(rep.cpus().standalone()).contains("No plan");
    assertThat(Reports.groups(Reports.xml(rep.groups().standalone()), "dev")).hasSize(16);
  }
}
