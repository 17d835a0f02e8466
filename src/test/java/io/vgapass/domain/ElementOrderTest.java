package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class ElementOrderTest {

  private static List<String> children(XmlNode n) {
    List<String> names = new java.util.ArrayList<>();
    for (Node c = n.element().getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c instanceof Element e) {
        names.add(e.getTagName());
      }
    }
    return names;
  }

  @Test
  void newTopLevelElementsGoWhereLibvirtPutsThem() {
    XmlDoc doc = XmlDoc.parse("vm.xml", "<domain type='kvm'><name>a</name><devices/></domain>");
    for (String name : List.of("on_crash", "memory", "os", "cputune", "uuid", "metadata", "cpu", "memoryBacking",
        "vcpu", "features", "clock", "iothreads", "pm", "numatune", "currentMemory", "seclabel")) {
      doc.ensure("./" + name);
    }
    assertThat(children(doc.root())).containsExactly("name", "uuid", "metadata", "memory", "currentMemory",
        "memoryBacking", "vcpu", "iothreads", "cputune", "numatune", "os", "features", "cpu", "clock",
        "on_crash", "pm", "devices", "seclabel");
  }

  @Test
  void devicesFollowLibvirtsOrderAndStayGroupedByName() {
    XmlDoc doc = DomainSamples.win11();
    doc.add("./devices/memballoon");
    doc.add("./devices/video");
    doc.add("./devices/tpm");
    doc.add("./devices/input[@type='tablet']");
    doc.add("./devices/hostdev[@type='usb']");
    doc.add("./devices/emulator");
    doc.add("./devices/graphics");
    doc.add("./devices/audio");
    doc.add("./devices/sound");

    assertThat(children(doc.find("./devices"))).containsExactly("emulator", "emulator", "disk", "controller",
        "controller", "controller", "interface", "input", "input", "input", "tpm", "graphics", "sound", "audio",
        "video", "hostdev", "hostdev", "hostdev", "memballoon", "memballoon");
    assertThat(doc.get("./devices/input[3]/@type")).isEqualTo("tablet");
    assertThat(doc.get("./devices/hostdev[3]/@type")).isEqualTo("usb");
  }

  @Test
  void outOfOrderDocumentsGetTheNewElementAfterItsClosestPredecessor() {
    XmlDoc doc = XmlDoc.parse("vm.xml", "<domain><devices/><vcpu>2</vcpu><name>a</name><os/></domain>");
    doc.ensure("./cputune");
    doc.ensure("./uuid");
    assertThat(children(doc.root())).containsExactly("devices", "vcpu", "cputune", "name", "uuid", "os");
  }

  @Test
  void withoutAPredecessorTheNewElementGoesBeforeItsClosestSuccessor() {
    XmlDoc doc = XmlDoc.parse("vm.xml", "<domain><os/><devices/></domain>");
    doc.ensure("./name");
    assertThat(children(doc.root())).containsExactly("name", "os", "devices");
  }

  @Test
  void unknownAndNamespacedElementsGoLastAndAreNeverReordered() {
    XmlDoc doc = DomainSamples.win11().bindPrefix("qemu", "http://libvirt.org/schemas/domain/qemu/1.0");
    doc.ensure("./some-future-element");
    doc.ensure("./pm");
    List<String> names = children(doc.root());
    assertThat(names.subList(names.size() - 4, names.size()))
        .containsExactly("pm", "devices", "qemu:commandline", "some-future-element");
    doc.add("./qemu:commandline/qemu:arg[@value='-no-hpet']");
    assertThat(doc.list("./qemu:commandline/qemu:arg").stream().map(n -> n.get("@value")).collect(Collectors.toList()))
        .containsExactly("-fw_cfg", "opt/ovmf/X-PciMmio64Mb,string=65536", "-no-hpet");
  }

  @Test
  void insideCputuneAndHypervToo() {
    XmlDoc doc = DomainSamples.win11();
    doc.set("./features/hyperv/vendor_id/@value", "vgapass");
    doc.set("./features/hyperv/stimer/@state", "on");
    doc.set("./features/hyperv/vpindex/@state", "on");
    doc.set("./features/kvm/hidden/@state", "on");
    assertThat(children(doc.find("./features/hyperv")))
        .containsExactly("relaxed", "vapic", "spinlocks", "vpindex", "stimer", "vendor_id");
    assertThat(children(doc.find("./features"))).containsExactly("acpi", "apic", "hyperv", "kvm", "vmport");

    XmlDoc m = DomainSamples.minimal();
    m.set("./cputune/iothreadpin[@iothread='1']/@cpuset", "7");
    m.set("./cputune/emulatorpin/@cpuset", "0");
    m.set("./cputune/vcpupin[@vcpu='0']/@cpuset", "1");
    m.set("./cputune/vcpusched[@vcpus='0']/@scheduler", "fifo");
    assertThat(children(m.find("./cputune"))).containsExactly("vcpupin", "emulatorpin", "iothreadpin", "vcpusched");
  }

  @Test
  void knownNamesAreListed() {
    assertThat(ElementOrder.known("devices")).startsWith("emulator", "disk", "controller");
    assertThat(ElementOrder.known("nothing")).isEmpty();
  }
}
