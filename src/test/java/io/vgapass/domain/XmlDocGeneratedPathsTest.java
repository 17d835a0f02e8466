package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.Cases;
import io.vgapass.testing.Gen;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Properties of the property layer, over generated paths and values on a real domain. */
class XmlDocGeneratedPathsTest {

  private static final String BASE = DomainSamples.text(DomainSamples.WIN11);

  /** A path set() can create on the base domain, and the value to put there. */
  record Edit(String path, String value) {
    @Override
    public String toString() {
      return path + " = " + Cases.describe(value);
    }
  }

  /** Corners: the deepest paths, quoted predicates, namespaced names, the characters XML escapes. */
  private static final List<Edit> FIXED = List.of(
      new Edit("./alpha", ""),
      new Edit("./alpha", "]]>"),
      new Edit("./metadata/vgapass:vm/@vgapass:flag", ""),
      // a namespaced attribute on an element that stays: its removal must take the declaration back too
      new Edit("./cpu/@vgapass:flag", "x"),
      new Edit("./alpha[@k=\"p'3\"]/beta/@x", "\t\n\r '\"<>&]]>"),
      new Edit("./cputune/vcpupin[@vcpu='p1']/@cpuset", "0-3,8-11"),
      new Edit("./alpha/beta[1]/source/address/@bus", "😀 emoji"),
      new Edit("./features/hyperv/alpha[@slot='p2']", "\u00a0\u2fff"));

  @TestFactory
  Stream<DynamicTest> setThenGetGivesTheValueBackEvenAfterAWriteAndARead() {
    return Cases.of(400, XmlDocGeneratedPathsTest::edits).fixed(FIXED).check(e -> {
      XmlDoc doc = XmlDoc.parse("base", BASE);
      doc.set(e.path(), e.value());

      assertThat(doc.get(e.path())).isEqualTo(e.value());
      XmlDoc back = XmlDoc.parse("back", doc.serialize());
      assertThat(back.get(e.path())).isEqualTo(e.value());
      assertThat(XmlDoc.parse("again", back.serialize()).serialize()).isEqualTo(back.serialize());
    });
  }

  @TestFactory
  Stream<DynamicTest> setThenRemoveLeavesTheOriginal() {
    Cases<Edit> newPaths = Cases.of(400, g -> g.until(XmlDocGeneratedPathsTest::edits,
        e -> !XmlDoc.parse("base", BASE).exists(e.path())));
    return newPaths.fixed(FIXED).check(e -> {
      XmlDoc doc = XmlDoc.parse("base", BASE);
      String before = doc.serialize();

      doc.set(e.path(), e.value());
      assertThat(doc.remove(e.path())).isEqualTo(1);
      assertThat(doc.serialize()).isEqualTo(before);
    });
  }

  static Edit edits(Gen g) {
    return new Edit(g.until(XmlDocGeneratedPathsTest::path, XmlDocGeneratedPathsTest::creatable), value(g));
  }

  static String path(Gen g) {
    List<String> steps = g.list(1, 4, s -> name(s) + predicate(s));
    String attribute = g.of("", "", "@x", "@cpuset", "@bus", "@vgapass:flag");
    return "./" + String.join("/", steps) + (attribute.isEmpty() ? "" : "/" + attribute);
  }

  private static String name(Gen g) {
    return g.of("devices", "cputune", "cpu", "features", "hyperv", "os", "vcpupin", "hostdev", "source",
        "address", "alpha", "beta", "metadata", "vgapass:vm", "vgapass:gpu");
  }

  /** None half the time, else a position or an attribute test (one value needs the other quote). */
  private static String predicate(Gen g) {
    return g.oneOf(x -> "", x -> "", x -> x.of("[1]", "[2]"), x -> {
      String k = x.of("k", "vcpu", "slot");
      String v = x.of("p1", "p2", "p'3");
      return v.contains("'") ? "[@" + k + "=\"" + v + "\"]" : "[@" + k + "='" + v + "']";
    });
  }

  /**
   * Leaves out the paths that set() refuses by design: [2] without a first element, the text of an element that has
   * children, a child for an element that holds text.
   */
  private static boolean creatable(String path) {
    XmlDoc doc = XmlDoc.parse("base", BASE);
    try {
      doc.set(path, "v");
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String value(Gen g) {
    return g.oneOf(
        x -> x.string(20, ' ', '~'),
        x -> x.string(8, "\t\n\r '\"<>&]]>"),
        x -> x.string(8, '\u00a0', '\u2fff'),
        x -> x.of("", "0-3,8-11", "0x0b", "on", "😀 emoji"));
  }
}
