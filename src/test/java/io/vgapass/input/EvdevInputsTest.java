package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.DeviceEdits;
import io.vgapass.domain.SchemaValidator;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.InputSpec;
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
  void keyboardGrabsWithTheChosenToggleThroughTheDomainEngineAndItIsIdempotent() {
    XmlDoc doc = XmlDoc.parse("d", "<domain type='kvm'><name>win</name><memory unit='KiB'>1048576</memory>"
        + "<os><type>hvm</type></os><devices><!-- mine --><input type='tablet' bus='usb'/></devices></domain>");
    List<InputSpec> specs = EvdevInputs.specs(List.of(KBD, MOUSE), "scrolllock");
    assertThat(DeviceEdits.inputs(doc, specs, null)).containsExactly(DeviceEdits.Result.ADDED,
        DeviceEdits.Result.ADDED);
    String once = doc.serialize();
    // golden: the entries, and vgapass's ownership record (nothing else: no CPU or memory tuning), each record with
    // the digest of the entry vgapass wrote
    assertThat(once.split("digest='sha256:[0-9a-f]{16}'", -1)).hasSize(3);
    assertThat(once.replaceAll(" digest='sha256:[0-9a-f]{16}'", "")).isEqualTo("""
        <domain type='kvm'>
          <name>win</name>
          <metadata>
            <vgapass:vm xmlns:vgapass='https://vgapass.io/xmlns/libvirt/domain/1.0' format='1'>
              <vgapass:owns kind='input' key='%s'/>
              <vgapass:owns kind='input' key='%s'/>
            </vgapass:vm>
          </metadata>
          <memory unit='KiB'>1048576</memory>
          <os>
            <type>hvm</type>
          </os>
          <devices>
            <!-- mine -->
            <input type='tablet' bus='usb'/>
            <input type='evdev'>
              <source dev='%s' grab='all' grabToggle='scrolllock' repeat='on'/>
            </input>
            <input type='evdev'>
              <source dev='%s'/>
            </input>
          </devices>
        </domain>
        """.formatted(KBD, MOUSE, KBD, MOUSE));
    assertThat(DeviceEdits.inputs(doc, specs, null)).containsOnly(DeviceEdits.Result.OURS);
    assertThat(doc.serialize()).isEqualTo(once);
    assertThat(EvdevInputs.line(KBD, "scrolllock", DeviceEdits.Result.ADDED))
        .isEqualTo("added evdev keyboard (grab all, toggle scrolllock): " + KBD);
    assertThat(EvdevInputs.line(MOUSE, "scrolllock", DeviceEdits.Result.OURS))
        .isEqualTo("already in the domain (added by vgapass): " + MOUSE);
    SchemaValidator v = SchemaValidator.libvirt();
    Assumptions.assumeTrue(v.available());
    assertThat(v.validate(doc)).isEmpty();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> EvdevInputs.specs(List.of(KBD), "f12")).hasMessageContaining("--grab-toggle f12");
    assertThatThrownBy(() -> EvdevInputs.specs(List.of("/tmp/kbd"), "ctrl-ctrl")).hasMessageContaining("/dev/input");
    assertThat(EvdevInputs.specs(List.of(KBD, MOUSE), null)).extracting(InputSpec::grabToggle)
        .containsExactly(null, null);
    assertThat(EvdevInputs.explain("ctrl-ctrl")).startsWith("press both Ctrl keys");
  }

  @Test
  void defaultsAreTheByIdKeyboardsAndMice() {
    UsbFixture.desktop(dir);
    assertThat(EvdevInputs.defaults(new SysRoot(dir))).containsExactly(KBD, MOUSE);
  }
}
