package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.plan.Intents;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * virtiofs through the domain engine: the filesystem and the shared memory backing beside the planned hugepages,
 * valid against libvirt's schema, kept by a later vm tune, and taken out again to the byte.
 */
class ShareVirtiofsTuneTest {
  private static final FilesystemShare DOCS = new FilesystemShare("/home/ann/Documents", "docs", false);

  private static Plan plan() {
    Plan p = Intents.intent().gpu("0000:01:00.0").memory("8G").on(TestHosts.REFERENCE);
    assertThat(p.hugepages().enabled()).as("the reference plan backs memory with hugepages").isTrue();
    return p;
  }

  @Test
  void filesystemAndMemfdSharedMemoryBesideTheHugepages() {
    XmlDoc doc = DomainWriter.create(plan(), "kvm", null);
    String before = doc.serialize();
    DomainWriter.share(doc, List.of(DOCS, new FilesystemShare("/srv/iso", "iso", true)));
    assertThat(doc.find("./memoryBacking").toXml()).isEqualToIgnoringWhitespace("""
        <memoryBacking>
          <hugepages><page size='2048' unit='KiB'/></hugepages>
          <source type='memfd'/>
          <access mode='shared'/>
        </memoryBacking>""");
    assertThat(doc.list("./devices/filesystem")).hasSize(2);
    assertThat(doc.find("./devices/filesystem[2]").toXml()).isEqualToIgnoringWhitespace("""
        <filesystem type='mount' accessmode='passthrough'>
          <driver type='virtiofs'/>
          <source dir='/srv/iso'/>
          <target dir='iso'/>
          <readonly/>
        </filesystem>""");
    SchemaValidator v = SchemaValidator.libvirt();
    assumeTrue(v.available(), "libvirt's schema is not installed");
    assertThat(v.validate(doc)).isEmpty();

    String shared = doc.serialize();
    DomainWriter.tune(doc, plan(), TuneScope.cpuAndMemory());
    assertThat(doc.serialize()).as("vm tune keeps the shares and their ownership").isEqualTo(shared);
    assertThat(DomainWriter.shares(doc)).extracting(FilesystemShare::tag).containsExactly("docs", "iso");

    DomainWriter.share(doc, List.of());
    assertThat(doc.serialize()).isEqualTo(before);
  }

  @Test
  void aDomainVgapassNeverTunedGetsOnlyOwnershipRecords() {
    XmlDoc doc = XmlDoc.parse("plain", "<domain type='kvm'>\n  <name>plain</name>\n  <memory>1048576</memory>\n"
        + "  <devices>\n    <filesystem type='mount'><source dir='/mine'/><target dir='mine'/></filesystem>\n"
        + "  </devices>\n</domain>\n");
    DomainWriter.share(doc, List.of(DOCS));
    assertThat(VgapassMetadata.read(doc)).as("no plan: the hook and verify leave it alone").isNull();
    assertThat(VgapassMetadata.owned(doc)).extracting(Ownership.Owned::key).containsExactly("docs", "memfd");
    assertThatThrownBy(() -> DomainWriter.share(doc, List.of(new FilesystemShare("/x", "mine", false))))
        .hasMessageContaining("--name mine");
    DomainWriter.share(doc, List.of());
    assertThat(doc.list("./devices/filesystem")).hasSize(1);
    assertThat(doc.exists("./memoryBacking")).isFalse();
  }
}
