package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlDocErrorsTest {

  private static final String FIX = " — fix the XML or export it again with `virsh dumpxml NAME`";

  @Test
  void malformedXmlNamesTheInputTheLineAndTheFix() {
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", "<domain>\n  <name>x</name>\n  <cpu>\n</domain>\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vm.xml: line 4: the element type \"cpu\" must be terminated by the matching end-tag "
            + "\"</cpu>\"" + FIX);
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", "<domain>\n<cpu mode='a' mode='b'/></domain>"))
        .hasMessageStartingWith("vm.xml: line 2: ")
        .hasMessageContaining("\"mode\"")
        .hasMessageEndingWith(FIX);
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", "<domain>&nbsp;</domain>"))
        .hasMessageContaining("\"nbsp\"")
        .hasMessageEndingWith(FIX);
  }

  @Test
  void messagesAreOneLine() {
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", "<domain><a></b></domain>"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void anotherRootIsNotADomain() {
    assertThatThrownBy(() -> XmlDoc.parse("net.xml", "<network><name>default</name></network>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("net.xml: the root element is <network>, not libvirt's <domain> — give a domain's XML, "
            + "as `virsh dumpxml NAME` prints it");
    assertThatThrownBy(() -> XmlDoc.parse("ns.xml", "<domain xmlns='urn:not-libvirt'/>"))
        .hasMessageContaining("<domain> in namespace urn:not-libvirt");
  }

  @Test
  void emptyInput() {
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", "  \n"))
        .hasMessage("vm.xml: the input is empty — export the domain with `virsh dumpxml NAME`");
    assertThatThrownBy(() -> XmlDoc.parse("vm.xml", new byte[0])).hasMessageContaining("the input is empty");
  }

  @Test
  void externalEntitiesAreNeverRead(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String xxe = "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY s SYSTEM '" + secret.toUri() + "'>]>\n"
        + "<domain><name>&s;</name></domain>";

    assertThatThrownBy(() -> XmlDoc.parse("evil.xml", xxe))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("evil.xml: line 2: a <!DOCTYPE> is not accepted")
        .hasMessageNotContaining("TOP-SECRET");
    assertThatThrownBy(() -> XmlDoc.parse("evil.xml", xxe.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("<!DOCTYPE> is not accepted");
  }

  @Test
  void entityExpansionBombsAreRefused() {
    String bomb = "<!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
        + "<domain>&b;</domain>";
    assertThatThrownBy(() -> XmlDoc.parse("bomb.xml", bomb)).hasMessageContaining("<!DOCTYPE> is not accepted");
  }

  @Test
  void filesAreNamedAsGiven(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.xml");
    assertThatThrownBy(() -> XmlDoc.read(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(missing + ": no such file — check the path, or export the domain with "
            + "`virsh dumpxml NAME > nope.xml`");

    Path broken = dir.resolve("vm.xml");
    Files.writeString(broken, "<domain>\n<name>x</nam>\n</domain>\n");
    assertThatThrownBy(() -> XmlDoc.read(broken)).hasMessageStartingWith(broken + ": line 2: ");

    Path good = dir.resolve("good.xml");
    Files.writeString(good, DomainSamples.MINIMAL);
    XmlDoc doc = XmlDoc.read(good);
    assertThat(doc.name()).isEqualTo(good.toString());
    assertThat(doc.serialize()).isEqualTo(DomainSamples.MINIMAL);
  }
}
