package io.vgapass.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.plan.PlanRefused;
import io.vgapass.plan.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Test support: hosts with a pci.ids, rendered reports, and what their SVGs hold. */
final class Reports {
  static final String EXAMPLE = "/io/vgapass/hosts/reference-h97.host";

  private Reports() {}

  /** The test pci.ids (src/test/resources/report/pci.ids). */
  static String pciIds() {
    try (InputStream in = Reports.class.getResourceAsStream("/report/pci.ids")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sketch lines that write the test pci.ids at the given place under the root. */
  static String[] pciIdsFile(String where) {
    List<String> l = new ArrayList<>();
    l.add("file " + where);
    l.addAll(pciIds().lines().toList());
    l.add("end");
    return l.toArray(String[]::new);
  }

  static Path example(Path dir) {
    try {
      return SketchWriter.write(HostSketch.resource(EXAMPLE), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A report of the host under root, planned with the intent (or without a plan when refused). */
  static Report.Rendered render(Path root, Intent intent) {
    SysRoot r = new SysRoot(root);
    Host h = HostReader.read(r);
    return render(h, PciIds.load(r), intent);
  }

  static Report.Rendered render(Host h, PciIds ids, Intent intent) {
    return Report.render(io.vgapass.cli.ReportInput.of(h, h.source(), ids, intent, "test"));
  }

  static Plan planOrNull(Host h, Intent intent) {
    try {
      return Planner.plan(h, intent);
    } catch (PlanRefused e) {
      return null;
    }
  }

  static Intent withGpu(io.vgapass.host.PciAddress gpu) {
    return Intent.defaults().toBuilder().gpu(gpu).build();
  }

  /** Parses an SVG (or any XML) strictly; fails the test when it is not well-formed. */
  static Document xml(String text) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** Every {@code <g>} whose class list has the word, in document order. */
  static List<Element> groups(Document d, String cssClass) {
    List<Element> out = new ArrayList<>();
    NodeList all = d.getElementsByTagNameNS("*", "g");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cssClass)) out.add(e);
    }
    return out;
  }

  /** No two texts overlap and every text lies inside the picture. */
  static void assertNoOverlap(Picture p) {
    Svg.Box page = new Svg.Box(0, 0, p.width(), p.height());
    List<Svg.Text> texts = new ArrayList<>(p.texts());
    for (Svg.Text t : texts) {
      assertThat(page.contains(t.box())).as("text %s at %s lies inside the %s picture", t.text(), t.box(), p.label())
          .isTrue();
      assertThat(t.box().w()).as("text %s has a width", t.text()).isPositive();
    }
    texts.sort(Comparator.comparingDouble(t -> t.box().y()));
    for (int i = 0; i < texts.size(); i++) {
      Svg.Box a = texts.get(i).box();
      for (int j = i + 1; j < texts.size(); j++) {
        Svg.Box b = texts.get(j).box();
        if (b.y() >= a.bottom()) break; // sorted by top: nothing further down can reach a
        assertThat(a.overlaps(b)).as("'%s' %s overlaps '%s' %s in %s", texts.get(i).text(), a, texts.get(j).text(), b,
            p.label()).isFalse();
      }
    }
  }
}
