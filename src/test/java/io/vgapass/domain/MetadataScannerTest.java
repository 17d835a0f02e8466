package io.vgapass.domain;

import static io.vgapass.plan.Intents.intent;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The hook reads our metadata from the XML text without a DOM; it must read exactly what the
 * DOM reader reads, for every shape libvirt may hand back, and fall back to the DOM otherwise.
 */
class MetadataScannerTest {
  private static List<String> domains() {
    List<String> out = new ArrayList<>();
    for (String h : TestHosts.PLANNABLE) out.add(DomainWriter.create(TestHosts.plan(h), "kvm", null).serialize());
    Plan busy = intent().vcpus(2).memory("4G").disk("/dev/sdb").nic("hostonly:vgapass0").audio("none").on(TestHosts.MODERN);
    out.add(DomainWriter.create(busy, "kvm", null).serialize());
    Plan node = intent().memory("2G").on(TestHosts.TWO_NODE);
    out.add(DomainWriter.create(node, "kvm", null).serialize());
    return out;
  }

  /** What libvirt's re-serialisation may do to metadata it keeps: quotes, prefix, indentation. */
  private static final List<UnaryOperator<String>> LIBVIRT_SHAPES = List.of(
      x -> x,
      x -> x.replace('\'', '"'),
      x -> x.replace("vgapass:", "vp:").replace("xmlns:vgapass=", "xmlns:vp="),
      x -> x.replaceAll(">\\s*<", ">\n      <"),
      x -> x.replace("/>", " />").replace("='", " = '"));

  @Test
  void readsWhatTheDomReaderReadsForEveryPlannedDomainInEveryShape() {
    int checked = 0;
    for (String xml : domains()) {
      for (UnaryOperator<String> shape : LIBVIRT_SHAPES) {
        String x = shape.apply(xml);
        VgapassMetadata dom = VgapassMetadata.read(XmlDoc.parse("t", x));
        assertThat(MetadataScanner.scan(x, XmlDoc.VGAPASS_NS).simple()).as(x).isTrue();
        assertThat(VgapassMetadata.read(x, "t")).as(x).isEqualTo(dom);
        assertThat(dom).isNotNull();
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theScannedValuesAreTheRecordedOnes() {
    Plan p = TestHosts.plan(TestHosts.REFERENCE);
    VgapassMetadata m = VgapassMetadata.read(DomainWriter.create(p, "kvm", null).serialize(), "t");
    assertThat(m.gpu()).isEqualTo(p.gpu().address().toString());
    assertThat(m.vcpuPins()).isEqualTo(p.cpu().vcpuToCpu());
    assertThat(m.hugepages()).isEqualTo(p.hugepages().count());
    assertThat(m.hostdevs()).hasSize(p.hostdevs().size());
  }

  @Test
  void aDomainWithoutOurNamespaceHasNoMetadata() {
    assertThat(VgapassMetadata.read("<domain type='kvm'><name>x</name></domain>", "t")).isNull();
  }

  @Test
  void anythingUnusualGoesToTheDomAndStillReadsTheSame() {
    String xml = DomainWriter.create(TestHosts.plan(TestHosts.REFERENCE), "kvm", null).serialize();
    for (String odd : List.of(
        xml.replace("<vgapass:cpu ", "<!-- a note --><vgapass:cpu "),
        xml.replace("<vgapass:cpu ", "text<vgapass:cpu "),
        xml.replace("<vgapass:cpu ", "<other:x xmlns:other='urn:o'/><vgapass:cpu "))) {
      assertThat(MetadataScanner.scan(odd, XmlDoc.VGAPASS_NS).simple()).as(odd).isFalse();
      assertThat(VgapassMetadata.read(odd, "t")).isEqualTo(VgapassMetadata.read(XmlDoc.parse("t", odd)));
    }
  }
}
