package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XmlDocRoundTripTest {

  @Test
  void libvirtLayoutComesBackByteForByte() {
    String in = DomainSamples.text(DomainSamples.WIN11);
    assertThat(DomainSamples.win11().serialize()).isEqualTo(in);
  }

  @Test
  void serializeParseSerializeIsAFixpoint() {
    String once = DomainSamples.win11().serialize();
    String twice = XmlDoc.parse("again", once).serialize();
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void otherLayoutsAreReindentedToTwoSpacesWithoutChangingMeaning() {
    String in = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<domain type=\"kvm\">\n"
        + "\t<name>tabbed</name>\n"
        + "    <devices>   <emulator>/usr/bin/qemu</emulator>\n"
        + "        <hostdev mode=\"subsystem\" type=\"pci\"><source><address bus=\"0x01\"/></source></hostdev>\n"
        + "    </devices>\n"
        + "</domain>";
    String out = XmlDoc.parse("odd.xml", in).serialize();

    assertThat(out).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <domain type='kvm'>
                  <name>tabbed</name>
                  <devices>
                    <emulator>/usr/bin/qemu</emulator>
                    <hostdev mode='subsystem' type='pci'>
                      <source>
                        <address bus='0x01'/>
                      </source>
                    </hostdev>
                  </devices>
                </domain>
                """);
    assertThat(DomainSamples.diffIgnoringWhitespace(in, out).hasDifferences()).isFalse();
    assertThat(XmlDoc.parse("odd.xml", out).serialize()).isEqualTo(out);
  }

  @Test
  void attributeOrderIsKeptAlthoughTheDomSortsIt() {
    String in = "<domain type='kvm'><devices><hostdev mode='subsystem' type='pci' managed='yes'><source>"
        + "<address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/></source></hostdev></devices></domain>";
    XmlDoc doc = XmlDoc.parse("vm.xml", in);
    doc.set("./devices/hostdev/source/address/@bus", "0x0c");
    doc.set("./devices/hostdev/@zzz", "new-goes-last");

    assertThat(doc.serialize())
        .contains("<hostdev mode='subsystem' type='pci' managed='yes' zzz='new-goes-last'>")
        .contains("<address domain='0x0000' bus='0x0c' slot='0x00' function='0x1'/>");
  }

  @Test
  void commentsForeignMetadataAndUnknownElementsSurviveAnEdit() {
    XmlDoc doc = DomainSamples.win11();
    doc.set("./cputune/emulatorpin/@cpuset", "0,8");
    doc.set("./metadata/vgapass:vm/@gpu", "0000:0b:00.0");
    String out = doc.serialize();

    assertThat(out)
        .startsWith("<!--\nWARNING: THIS IS A HAND-WRITTEN TEST FIXTURE FOR VGAPASS.")
        .contains("<libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
            + "      <libosinfo:os id='http://microsoft.com/win/11'/>\n"
            + "    </libosinfo:libosinfo>")
        .contains("<other:entry key='owner' when='2024-05-01'>alice</other:entry>\n"
            + "      <!-- kept by the other tool -->")
        .contains("    <!-- the card: video and its HDMI audio function -->\n    <hostdev")
        .contains("<qemu:arg value='opt/ovmf/X-PciMmio64Mb,string=65536'/>")
        .contains("<vgapass:vm xmlns:vgapass='" + XmlDoc.VGAPASS_NS + "' gpu='0000:0b:00.0'/>");

    XmlDoc back = XmlDoc.parse("back", out);
    assertThat(back.dom().getDocumentElement().getAttribute("xmlns:qemu"))
        .isEqualTo("http://libvirt.org/schemas/domain/qemu/1.0");
    assertThat(back.bindPrefix("o", "urn:example:other-tool").get("./metadata/o:notes/o:entry[@key='owner']"))
        .isEqualTo("alice");
    assertThat(back.get("./description")).isEqualTo("Windows 11 & a <real> GPU: \"RX 6800\" it's called");
  }

  @Test
  void onlyTheEditedPartChanges() {
    String in = DomainSamples.text(DomainSamples.WIN11);
    XmlDoc doc = DomainSamples.win11();
    doc.set("./vcpu", "12");
    String out = doc.serialize();

    assertThat(out).isEqualTo(in.replace("<vcpu placement='static'>8</vcpu>", "<vcpu placement='static'>12</vcpu>"));
  }

  @Test
  void textCdataProcessingInstructionsAndMixedContentAreKept() {
    String in = "<?xml version='1.0'?>\n<?vgapass-test keep?>\n<domain type='kvm'>\n"
        + "  <description>  leading and trailing blanks kept  </description>\n"
        + "  <metadata>\n"
        + "    <x:note xmlns:x='urn:x'>mixed <x:b>bold</x:b> text\n  with a line break</x:note>\n"
        + "    <x:raw xmlns:x='urn:x'><![CDATA[a <b> & c ]]></x:raw>\n"
        + "  </metadata>\n"
        + "  <empty></empty>\n"
        + "  <blank>   </blank>\n"
        + "</domain>\n";
    String out = XmlDoc.parse("vm.xml", in).serialize();

    assertThat(out).isEqualTo("<?xml version='1.0'?>\n<?vgapass-test keep?>\n<domain type='kvm'>\n"
        + "  <description>  leading and trailing blanks kept  </description>\n"
        + "  <metadata>\n"
        + "    <x:note xmlns:x='urn:x'>mixed <x:b>bold</x:b> text\n  with a line break</x:note>\n"
        + "    <x:raw xmlns:x='urn:x'><![CDATA[a <b> & c ]]></x:raw>\n"
        + "  </metadata>\n"
        + "  <empty/>\n"
        + "  <blank>   </blank>\n"
        + "</domain>\n");
    assertThat(XmlDoc.parse("again", out).serialize()).isEqualTo(out);
  }

  @Test
  void attributeValuesWithLineBreaksAndQuotesRoundTrip() {
    XmlDoc doc = DomainSamples.minimal();
    String value = "a\tb\nc\r'd\"<&>";
    doc.set("./devices/emulator/@x", value);
    String out = doc.serialize();

    assertThat(out).contains("x='a&#9;b&#10;c&#13;&apos;d&quot;&lt;&amp;&gt;'");
    assertThat(XmlDoc.parse("again", out).get("./devices/emulator/@x")).isEqualTo(value);
  }

  @Test
  void charactersTheDeclaredEncodingLacksBecomeReferences() {
    XmlDoc doc = XmlDoc.parse("latin.xml", "<?xml version='1.0' encoding='ISO-8859-1'?><domain><name>x</name></domain>");
    doc.set("./title", "Grüße ☃");

    assertThat(doc.serialize()).contains("<title>Grüße &#9731;</title>");
    XmlDoc back = XmlDoc.parse("latin.xml", doc.toBytes());
    assertThat(back.get("./title")).isEqualTo("Grüße ☃");
  }

  @Test
  void bytesWithAUtf8ByteOrderMarkAreRead() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "<domain><name>é</name></domain>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);

    assertThat(XmlDoc.parse("bom.xml", all).get("./name")).isEqualTo("é");
  }

  @Test
  void copyIsIndependent() {
    XmlDoc doc = DomainSamples.minimal();
    XmlDoc copy = doc.copy();
    copy.set("./name", "other");

    assertThat(doc.get("./name")).isEqualTo("mini");
    assertThat(copy.get("./name")).isEqualTo("other");
  }
}
