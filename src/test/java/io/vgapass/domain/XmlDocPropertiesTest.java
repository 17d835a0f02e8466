package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** get / set / remove / list / add / ensure, and the path language. */
class XmlDocPropertiesTest {

  @Nested
  class Get {
    @Test
    void attributesTextAndAbsence() {
      XmlDoc doc = DomainSamples.win11();
      assertThat(doc.get("./@type")).isEqualTo("kvm");
      assertThat(doc.get("@type")).isEqualTo("kvm");
      assertThat(doc.get("./name")).isEqualTo("win11");
      assertThat(doc.get("name")).isEqualTo("win11");
      assertThat(doc.get("/domain/name")).isEqualTo("win11");
      assertThat(doc.get("./cpu/topology/@cores")).isEqualTo("4");
      assertThat(doc.get("./features/acpi")).isEmpty();
      assertThat(doc.get("./cputune/emulatorpin/@cpuset")).isNull();
      assertThat(doc.get("./cpu/@nonexistent")).isNull();
      assertThat(doc.get("/network/name")).isNull();
    }

    @Test
    void indexesCountFromOneAmongSameNamedSiblings() {
      XmlDoc doc = DomainSamples.win11();
      assertThat(doc.get("./devices/hostdev[1]/source/address/@function")).isEqualTo("0x0");
      assertThat(doc.get("./devices/hostdev[2]/source/address/@function")).isEqualTo("0x1");
      assertThat(doc.get("./devices/hostdev[3]/source/address/@function")).isNull();
      assertThat(doc.get("./devices/hostdev/source/address/@function")).isEqualTo("0x0");
    }

    @Test
    void attributePredicatesSelect() {
      XmlDoc doc = DomainSamples.win11();
      assertThat(doc.get("./clock/timer[@name='hpet']/@present")).isEqualTo("no");
      assertThat(doc.get("./clock/timer[@name=\"rtc\"]/@tickpolicy")).isEqualTo("catchup");
      assertThat(doc.get("./devices/input[@type='keyboard']/@bus")).isEqualTo("ps2");
      assertThat(doc.get("./devices/controller[@type='pci'][@index='0']/@model")).isEqualTo("pcie-root");
      assertThat(doc.get("./devices/controller[@type='usb'][2]/@model")).isNull();
    }

    @Test
    void listGivesHandlesThatWorkRelativeToThemselves() {
      XmlDoc doc = DomainSamples.win11();
      List<XmlNode> hostdevs = doc.list("./devices/hostdev");

      assertThat(hostdevs).hasSize(2);
      assertThat(hostdevs.get(1).get("./source/address/@function")).isEqualTo("0x1");
      assertThat(hostdevs.get(1).path()).isEqualTo("/domain/devices/hostdev[2]");
      assertThat(hostdevs.get(0).line()).hasValue(70);
      assertThat(hostdevs.get(0).parent().name()).isEqualTo("devices");
      assertThat(doc.list("./devices/hostdev/source/address")).extracting(n -> n.get("@function"))
          .containsExactly("0x0", "0x1");
      assertThat(doc.list("./devices/redirdev")).isEmpty();
      assertThat(doc.find("./devices/hostdev[@managed='yes']")).isEqualTo(hostdevs.get(0));

      hostdevs.get(1).set("./source/address/@bus", "0x0c");
      assertThat(doc.get("./devices/hostdev[2]/source/address/@bus")).isEqualTo("0x0c");
    }
  }

  @Nested
  class Set {
    @Test
    void createsMissingParents() {
      XmlDoc doc = DomainSamples.minimal();
      doc.set("./cputune/emulatorpin/@cpuset", "0-1");
      doc.set("./cpu/topology/@cores", "2");

      assertThat(doc.get("./cputune/emulatorpin/@cpuset")).isEqualTo("0-1");
      assertThat(doc.serialize()).contains("""
                      <vcpu placement='static'>2</vcpu>
                      <cputune>
                        <emulatorpin cpuset='0-1'/>
                      </cputune>
                      <os>
                        <type arch='x86_64' machine='q35'>hvm</type>
                      </os>
                      <cpu>
                        <topology cores='2'/>
                      </cpu>
                      <devices>
                    """);
    }

    @Test
    void changesTheFirstMatchInPlace() {
      XmlDoc doc = DomainSamples.win11();
      doc.set("./devices/hostdev/source/address/@bus", "0x0c");
      assertThat(doc.list("./devices/hostdev/source/address")).extracting(n -> n.get("@bus"))
          .containsExactly("0x0c", "0x0b");
    }

    @Test
    void attributePredicatesCreateTheElementWithThatAttribute() {
      XmlDoc doc = DomainSamples.minimal();
      for (int v = 0; v < 3; v++) {
        doc.set("./cputune/vcpupin[@vcpu='" + v + "']/@cpuset", String.valueOf(v + 4));
      }
      doc.set("./cputune/vcpupin[@vcpu='1']/@cpuset", "9");

      assertThat(doc.serialize()).contains("""
                      <cputune>
                        <vcpupin vcpu='0' cpuset='4'/>
                        <vcpupin vcpu='1' cpuset='9'/>
                        <vcpupin vcpu='2' cpuset='6'/>
                      </cputune>
                    """);
    }

    @Test
    void anIndexOneBeyondTheLastCreatesTheNextElement() {
      XmlDoc doc = DomainSamples.win11();
      doc.set("./devices/hostdev[3]/source/address/@bus", "0x0d");

      assertThat(doc.list("./devices/hostdev")).hasSize(3);
      assertThat(doc.get("./devices/hostdev[3]/source/address/@bus")).isEqualTo("0x0d");
      assertThatThrownBy(() -> doc.set("./devices/hostdev[5]/@mode", "subsystem"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot create hostdev[5] under /domain/devices: 3 exist, so only [4] can be added");
    }

    @Test
    void elementTextAndFlagElements() {
      XmlDoc doc = DomainSamples.minimal();
      doc.set("./name", "renamed");
      doc.set("./features/acpi", "");
      doc.set("./on_poweroff", "destroy");

      assertThat(doc.serialize())
          .contains("<name>renamed</name>")
          .contains("<features>\n    <acpi/>\n  </features>")
          .contains("<on_poweroff>destroy</on_poweroff>\n  <devices>");
      assertThatThrownBy(() -> doc.set("./os", "text"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("/domain/os has child elements");
      assertThatThrownBy(() -> doc.set("./name/first/@x", "1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("/domain/name holds text");
    }

    @Test
    void nullRemoves() {
      XmlDoc doc = DomainSamples.win11();
      doc.set("./features/vmport", null);
      assertThat(doc.exists("./features/vmport")).isFalse();
    }

    @Test
    void refusesCharactersXmlCannotHold() {
      assertThatThrownBy(() -> DomainSamples.minimal().set("./title", "bell\u0007"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("value for \"./title\" contains U+0007, which XML cannot hold");
    }

    @Test
    void namespacedMetadataIsDeclaredOnceAndFound() {
      XmlDoc doc = DomainSamples.win11();
      doc.set("./metadata/vgapass:vm/vgapass:gpu/@address", "0000:0b:00.0");
      doc.set("./metadata/vgapass:vm/vgapass:gpu/@audio", "0000:0b:00.1");
      doc.set("./metadata/vgapass:vm/@version", "1");

      assertThat(doc.serialize()).contains("""
                        <vgapass:vm xmlns:vgapass='%s' version='1'>
                          <vgapass:gpu address='0000:0b:00.0' audio='0000:0b:00.1'/>
                        </vgapass:vm>
                      </metadata>
                    """.formatted(XmlDoc.VGAPASS_NS));
      XmlDoc back = XmlDoc.parse("back", doc.serialize());
      assertThat(back.get("./metadata/vgapass:vm/vgapass:gpu/@audio")).isEqualTo("0000:0b:00.1");
    }

    @Test
    void aDocumentsOwnPrefixIsReusedForABoundNamespace() {
      XmlDoc doc = XmlDoc.parse("vm.xml", "<domain><metadata><vp:vm xmlns:vp='" + XmlDoc.VGAPASS_NS
          + "'/></metadata></domain>");
      doc.set("./metadata/vgapass:vm/vgapass:cpu/@pinned", "yes");

      assertThat(doc.serialize()).contains("<vp:vm xmlns:vp='" + XmlDoc.VGAPASS_NS + "'>\n      <vp:cpu pinned='yes'/>");
    }

    @Test
    void anUnboundPrefixIsExplained() {
      assertThatThrownBy(() -> DomainSamples.minimal().set("./metadata/foo:bar/@x", "1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix 'foo' is not bound; bind it with XmlDoc.bindPrefix");
    }
  }

  @Nested
  class Remove {
    @Test
    void prunesParentsLeftEmpty() {
      XmlDoc doc = DomainSamples.minimal();
      String before = doc.serialize();
      doc.set("./cputune/emulatorpin/@cpuset", "0-1");

      assertThat(doc.remove("./cputune/emulatorpin/@cpuset")).isEqualTo(1);
      assertThat(doc.serialize()).isEqualTo(before);
    }

    @Test
    void neverPrunesParentsWithOtherContent() {
      XmlDoc doc = DomainSamples.win11();
      doc.remove("./cpu/topology");
      assertThat(doc.serialize()).contains("<cpu mode='host-passthrough' check='none' migratable='on'/>");

      doc.remove("./features/hyperv/relaxed");
      doc.remove("./features/hyperv/vapic");
      doc.remove("./features/hyperv/spinlocks");
      assertThat(doc.serialize()).contains("<hyperv mode='custom'/>");
    }

    @Test
    void keepsAParentThatHoldsOnlyAComment() {
      XmlDoc doc = DomainSamples.win11().bindPrefix("o", "urn:example:other-tool");
      assertThat(doc.remove("./metadata/o:notes/o:entry")).isEqualTo(1);
      assertThat(doc.serialize()).contains("<other:notes xmlns:other='urn:example:other-tool'>\n"
          + "      <!-- kept by the other tool -->\n    </other:notes>");
    }

    @Test
    void anElementKeyedByAPredicateGoesWithItsValue() {
      XmlDoc doc = DomainSamples.minimal();
      String before = doc.serialize();
      doc.set("./cputune/vcpupin[@vcpu='0']/@cpuset", "2");
      doc.set("./cputune/vcpupin[@vcpu='1']/@cpuset", "3");

      doc.remove("./cputune/vcpupin[@vcpu='0']/@cpuset");
      assertThat(doc.list("./cputune/vcpupin")).extracting(n -> n.get("@vcpu")).containsExactly("1");
      doc.remove("./cputune/vcpupin[@vcpu='1']/@cpuset");
      assertThat(doc.serialize()).isEqualTo(before);
    }

    @Test
    void removesEveryMatch() {
      XmlDoc doc = DomainSamples.win11();
      assertThat(doc.remove("./devices/hostdev")).isEqualTo(2);
      assertThat(doc.remove("./devices/hostdev")).isZero();
      assertThat(doc.serialize()).contains("<input type='keyboard' bus='ps2'/>\n"
          + "    <!-- the card: video and its HDMI audio function -->\n"
          + "    <memballoon model='none'/>");
    }

    @Test
    void aHandleRemovesItself() {
      XmlDoc doc = DomainSamples.minimal();
      String before = doc.serialize();
      XmlNode pin = doc.add("./cputune/vcpupin[@vcpu='0']");
      pin.set("@cpuset", "1");
      pin.remove();

      assertThat(doc.serialize()).isEqualTo(before);
      assertThatThrownBy(() -> doc.root().remove()).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> doc.remove("/domain")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class AddAndEnsure {
    @Test
    void addAlwaysAppendsAfterTheLastOfItsName() {
      XmlDoc doc = DomainSamples.win11();
      XmlNode h = doc.add("./devices/hostdev[@mode='subsystem'][@type='pci']");
      h.set("@managed", "yes");
      h.set("./source/address/@domain", "0x0000");
      h.set("./source/address/@bus", "0x0c");

      assertThat(doc.list("./devices/hostdev")).hasSize(3).last().isEqualTo(h);
      assertThat(doc.serialize()).contains("""
                        <hostdev mode='subsystem' type='pci' managed='yes'>
                          <source>
                            <address domain='0x0000' bus='0x0c'/>
                          </source>
                        </hostdev>
                        <memballoon model='none'/>
                    """);
      assertThatThrownBy(() -> doc.add("./devices/hostdev[2]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ensureFindsOrCreates() {
      XmlDoc doc = DomainSamples.minimal();
      XmlNode ct = doc.ensure("./cputune");
      assertThat(doc.ensure("./cputune")).isEqualTo(ct);
      assertThat(doc.list("./cputune")).hasSize(1);
    }
  }

  @Nested
  class Paths {
    @Test
    void badPathsAreRefusedWithTheReason() {
      XmlDoc doc = DomainSamples.minimal();
      assertThatThrownBy(() -> doc.get("")).hasMessageContaining("the path is empty");
      assertThatThrownBy(() -> doc.get("//name")).hasMessageContaining("'//' (any depth) is not supported");
      assertThatThrownBy(() -> doc.get("./os/../name")).hasMessageContaining("'..' is not supported");
      assertThatThrownBy(() -> doc.get("./a/@b/c")).hasMessageContaining("must be the last step");
      assertThatThrownBy(() -> doc.get("./a[0]")).hasMessageContaining("indexes count from 1");
      assertThatThrownBy(() -> doc.get("./a[@b='1' and @c='2']"))
          .hasMessageContaining("predicate [@b='1' and @c='2'] is not supported");
      assertThatThrownBy(() -> doc.get("./a[@b='1'")).hasMessageContaining("unbalanced '['");
      assertThatThrownBy(() -> doc.get("./a b")).hasMessageContaining("'a b' is not an XML name");
      assertThatThrownBy(() -> doc.list("./name/@x")).hasMessageContaining("list() needs elements");
      assertThatThrownBy(() -> doc.set("/network/name", "x"))
          .hasMessageContaining("the root element is <domain>, not <network>");
      assertThatThrownBy(() -> doc.set("./x[@a='1'][@a='2']/@b", "v"))
          .hasMessageContaining("cannot equal both '1' and '2'");
    }

    @Test
    void valuesInPredicatesMayHoldSlashesAndBrackets() {
      XmlDoc doc = DomainSamples.minimal();
      doc.set("./devices/disk[@type='file']/source[@file='/var/lib/a[1].img']/@index", "1");
      assertThat(doc.get("./devices/disk/source/@file")).isEqualTo("/var/lib/a[1].img");
    }
  }
}
