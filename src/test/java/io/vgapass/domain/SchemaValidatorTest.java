package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.domain.SchemaValidator.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

  private final SchemaValidator validator = SchemaValidator.libvirt();

  @BeforeEach
  void needsTheSchema() {
    // run everywhere the schema is installed; with -Dvgapass.it=true a missing schema fails instead of skipping
    assumeTrue(validator.available() || "true".equals(System.getProperty("vgapass.it")),
        "libvirt's domain.rng is not installed (apt-get install libvirt0)");
  }

  @Test
  void acceptsValidDomains() {
    assertThat(validator.validate(DomainSamples.minimal())).isEmpty();
    assertThat(validator.validate(DomainSamples.win11())).isEmpty();
    validator.check(DomainSamples.win11());
  }

  @Test
  void acceptsWhatTheEngineBuildsForAPassthroughVm() {
    XmlDoc doc = DomainSamples.minimal();
    doc.set("./vcpu", "4");
    for (int v = 0; v < 4; v++) {
      doc.set("./cputune/vcpupin[@vcpu='" + v + "']/@cpuset", String.valueOf(v + 2));
    }
    doc.set("./cputune/emulatorpin/@cpuset", "0-1");
    doc.set("./memoryBacking/hugepages", "");
    doc.set("./cpu/@mode", "host-passthrough");
    doc.set("./cpu/topology/@sockets", "1");
    doc.set("./cpu/topology/@dies", "1");
    doc.set("./cpu/topology/@cores", "2");
    doc.set("./cpu/topology/@threads", "2");
    doc.set("./features/hyperv/@mode", "custom");
    doc.set("./features/hyperv/relaxed/@state", "on");
    doc.set("./features/kvm/hidden/@state", "on");
    XmlNode h = doc.add("./devices/hostdev[@mode='subsystem'][@type='pci']");
    h.set("@managed", "yes");
    h.set("./source/address/@domain", "0x0000");
    h.set("./source/address/@bus", "0x0b");
    h.set("./source/address/@slot", "0x00");
    h.set("./source/address/@function", "0x0");
    doc.set("./metadata/vgapass:vm/@version", "1");

    assertThat(validator.validate(doc)).isEmpty();
  }

  @Test
  void rejectsAnInvalidDomainNamingTheElementAndItsLine() {
    XmlDoc doc = XmlDoc.parse("bad.xml", """
                <domain type='kvm'>
                  <name>bad</name>
                  <memory unit='KiB'>1048576</memory>
                  <vcpu>many</vcpu>
                  <os>
                    <type>hvm</type>
                  </os>
                  <devices>
                    <hostdev mode='subsystem' type='pci'>
                      <source>
                        <adress bus='0x01'/>
                      </source>
                    </hostdev>
                  </devices>
                </domain>
                """);
    List<Problem> problems = validator.validate(doc);

    assertThat(problems).isNotEmpty();
    assertThat(problems.get(0)).isEqualTo(new Problem("/domain/vcpu", 4,
        "character content of element \"vcpu\" invalid; must be an integer"));
    assertThat(problems).anySatisfy(p -> {
      assertThat(p.element()).isEqualTo("/domain/devices/hostdev/source/adress");
      assertThat(p.line()).isEqualTo(11);
      assertThat(p.message()).contains("\"adress\"").contains("not allowed");
    });
    assertThatThrownBy(() -> validator.check(doc))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad.xml: line 4: /domain/vcpu: character content of element \"vcpu\" invalid; "
            + "must be an integer (and ")
        .hasMessageContaining("libvirt would refuse this domain")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void elementsCreatedByAnEditAreNamedByPath() {
    XmlDoc doc = DomainSamples.minimal();
    doc.set("./cpu/topology/@cores", "two");

    assertThat(validator.validate(doc)).first().satisfies(p -> {
      assertThat(p.element()).isEqualTo("/domain/cpu/topology");
      assertThat(p.line()).isZero();
      assertThat(p.toString()).startsWith("/domain/cpu/topology: ");
    });
  }

  @Test
  void theCompiledSchemaIsShared() {
    validator.validate(DomainSamples.minimal());
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      SchemaValidator.libvirt().validate(DomainSamples.win11());
    }
    // compiling takes ~250 ms; five validations with the cached schema take a few ms each
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
  }

  @Test
  void aMissingSchemaSaysHowToInstallIt() {
    SchemaValidator none = SchemaValidator.of(Path.of("/nonexistent/libvirt/schemas/domain.rng"));
    assertThat(none.available()).isFalse();
    assertThatThrownBy(() -> none.validate(DomainSamples.minimal()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("libvirt's domain schema /nonexistent/libvirt/schemas/domain.rng is missing, so the domain "
            + "XML cannot be checked — install it: `apt-get install libvirt0` (Debian/Ubuntu) or "
            + "`dnf install libvirt-libs` (Fedora)");
  }
}
