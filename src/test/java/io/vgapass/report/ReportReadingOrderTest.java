package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19: the domain XML keeps its lines, the chosen card's group comes first, the page ends with what to run. */
class ReportReadingOrderTest {
  @TempDir Path tmp;

  private Host host() {
    return HostReader.read(new SysRoot(Reports.example(tmp.resolve("ref"))));
  }

  @Test
  void theDomainXmlKeepsItsLineBreaks() {
    Report.Rendered r = Reports.render(host(), PciIds.parse(Reports.pciIds(), "pci.ids"), Intent.defaults());
    String pre = r.html().substring(r.html().indexOf("<section id=\"xml\">"));
    pre = pre.substring(pre.indexOf("<pre>") + 5, pre.indexOf("</pre>"));
    assertThat(pre).startsWith("&lt;domain type=&#39;kvm&#39;").contains("&gt;\n  &lt;name&gt;win-gpu&lt;/name&gt;\n  &lt;metadata&gt;\n");
    assertThat(pre.lines().count()).isGreaterThan(40);
  }

  @Test
  void theChosenCardsGroupIsDrawnFirst() {
    Host h = host();
    Plan plan = Reports.planOrNull(h, Intent.defaults());
    assertThat(plan).isNotNull();
    int chosen = plan.gpu().groups().get(0);
    Report.Rendered r = Reports.render(h, PciIds.parse(Reports.pciIds(), "pci.ids"), Intent.defaults());
    Matcher m = Pattern.compile(">group (\\d+)").matcher(r.groups().inline());
    assertThat(m.find()).as("the picture titles its groups").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(chosen);
    assertThat(chosen).as("the fixture's card is not in the lowest group, or the order proves nothing").isGreaterThan(
        h.iommuGroups().stream().mapToInt(g -> g.id()).min().orElseThrow());
  }

  @Test
  void thePageEndsWithTheNextCommands() {
    Host h = host();
    Plan plan = Reports.planOrNull(h, Intent.defaults());
    String html = Reports.render(h, PciIds.parse(Reports.pciIds(), "pci.ids"), Intent.defaults()).html();
    String next = html.substring(html.indexOf("<section id=\"next\">"));
    String gpu = plan.gpu().address().toString();
    assertThat(next).contains("sudo vgapass host apply --gpu " + gpu + " --dry-run\n",
        "sudo vgapass plan --gpu " + gpu + " --name win-gpu --define\nsudo vgapass hooks install\n"
            + "sudo vgapass vm start win-gpu\nsudo vgapass verify win-gpu</pre>");
    assertThat(html.indexOf("<section id=\"next\">")).isGreaterThan(html.indexOf("<section id=\"xml\">"));
  }
}
