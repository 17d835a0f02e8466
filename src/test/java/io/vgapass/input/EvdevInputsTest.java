package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvdevInputsTest {
  private static final String KBD = "/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd";
  private static final String MOUSE = "/dev/input/by-id/usb-Razer_Razer_DeathAdder_V2-event-mouse";
  @TempDir Path dir;

  @Test
  void keyboardGrabsWithTheChosenToggleAndItIsIdempotent() {
    XmlDoc doc = XmlDoc.parse("d", "<domain type='kvm'><name>win</name><memory unit='KiB'>1048576</memory>"
        + "<os><type>hvm</type></os><devices><!-- mine --><input type='tablet' bus='usb'/></devices></domain>");
    assertThat(EvdevInputs.add(doc, List.of(KBD, MOUSE), "scrolllock")).containsExactly(
        "added evdev keyboard (grab all, toggle scrolllock): " + KBD, "added evdev input: " + MOUSE);
    String once = doc.serialize();
    assertThat(once).contains("<input type='evdev'>").contains("<!-- mine -->")
        .contains("<source dev='" + KBD + "' grab='all' grabToggle='scrolllock' repeat='on'/>")
        .contains("<source dev='" + MOUSE + "'/>");
    assertThat(EvdevInputs.add(doc, List.of(KBD, MOUSE), "scrolllock")).allMatch(l -> l.startsWith("already"));
    assertThat(doc.serialize()).isEqualTo(once);
    SchemaValidator v = SchemaValidator.libvirt();
    Assumptions.assumeTrue(v.available());
    assertThat(v.validate(doc)).isEmpty();
  }

  @Test
  void badInputIsRefused() {
    XmlDoc doc = XmlDoc.parse("d", "<domain><devices/></domain>");
    assertThatThrownBy(() -> EvdevInputs.add(doc, List.of(KBD), "f12")).hasMessageContaining("--grab-toggle f12");
    assertThatThrownBy(() -> EvdevInputs.add(doc, List.of("/tmp/kbd"), "ctrl-ctrl")).hasMessageContaining("/dev/input");
    assertThat(EvdevInputs.explain("ctrl-ctrl")).startsWith("press both Ctrl keys");
  }

  @Test
  void defaultsAreTheByIdKeyboardsAndMice() {
    UsbFixture.desktop(dir);
    assertThat(EvdevInputs.defaults(new SysRoot(dir))).containsExactly(KBD, MOUSE);
  }
}
