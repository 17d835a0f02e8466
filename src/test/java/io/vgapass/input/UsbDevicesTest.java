package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.SysRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbDevicesTest {
  @TempDir Path dir;

  @Test
  void rolesComeFromBootProtocolsAndByIdLinks() {
    UsbFixture.desktop(dir);
    List<UsbDevice> all = UsbDevices.read(new SysRoot(dir));
    assertThat(all).extracting(UsbDevice::describe).containsExactly(
        "1-2 046d:c52b Logitech USB Receiver (keyboard, mouse)",
        "1-3 1532:0084 Razer Razer DeathAdder V2 (mouse)",
        "1-4 0bda:8153 Realtek USB 10/100/1000 LAN");
    assertThat(all.get(0).bus()).isEqualTo(1);
    assertThat(all.get(0).devnum()).isEqualTo(3);
    assertThat(all.get(1).inputs()).containsExactly("/dev/input/by-id/usb-Razer_Razer_DeathAdder_V2-event-mouse");
  }

  @Test
  void noUsbAtAll() {
    assertThat(UsbDevices.read(new SysRoot(dir))).isEmpty();
    assertThatThrownBy(() -> DeviceSelection.choose(List.of(), List.of()))
        .isInstanceOf(SwitchRefused.class).hasMessageContaining("no USB keyboard or mouse found");
  }

  @Test
  void defaultSelectionIsKeyboardsAndMice() {
    UsbFixture.desktop(dir);
    var chosen = DeviceSelection.choose(UsbDevices.read(new SysRoot(dir)), List.of());
    assertThat(chosen.devices()).extracting(h -> h.device().name()).containsExactly("1-2", "1-3");
    assertThat(chosen.devices()).noneMatch(UsbHostdev::byAddress);
    assertThat(chosen.notes()).isEmpty();
  }

  @Test
  void sharedIdsAreAddressedByBusAndPortAndSaidSo() {
    UsbFixture.qemuTwins(dir);
    var chosen = DeviceSelection.choose(UsbDevices.read(new SysRoot(dir)), List.of("0627:0001"));
    assertThat(chosen.devices()).hasSize(2).allMatch(UsbHostdev::byAddress);
    assertThat(chosen.notes()).containsExactly(
        "0627:0001 is shared by 2 devices (1-1, 1-2): 1-1 is addressed by bus 1 port 1 (now device 2)",
        "0627:0001 is shared by 2 devices (1-1, 1-2): 1-2 is addressed by bus 1 port 2 (now device 3)");
    var one = DeviceSelection.choose(UsbDevices.read(new SysRoot(dir)), List.of("1-1"));
    assertThat(one.devices()).singleElement().satisfies(h -> assertThat(h.xml()).isEqualTo("""
        <hostdev mode='subsystem' type='usb' managed='yes'>
          <source>
            <vendor id='0x0627'/>
            <product id='0x0001'/>
            <address bus='1' device='2'/>
          </source>
        </hostdev>
        """));
  }

  @Test
  void badSpecsNameTheFix() {
    UsbFixture.desktop(dir);
    List<UsbDevice> host = UsbDevices.read(new SysRoot(dir));
    assertThatThrownBy(() -> DeviceSelection.choose(host, List.of("dead:beef")))
        .hasMessage("--device dead:beef: no USB device dead:beef on this host (it has: 1-2 046d:c52b, 1-3 1532:0084, "
            + "1-4 0bda:8153); nothing was changed");
    assertThatThrownBy(() -> DeviceSelection.choose(host, List.of("2-9"))).hasMessageContaining("no USB device at "
        + "bus-port 2-9");
    assertThatThrownBy(() -> DeviceSelection.choose(host, List.of("logitech"))).hasMessageContaining("use VID:PID");
  }

  @Test
  void theLastKeyboardNeedsBackAfterOrForce() {
    UsbFixture.desktop(dir);
    List<UsbDevice> host = UsbDevices.read(new SysRoot(dir));
    var all = DeviceSelection.choose(host, List.of());
    assertThatThrownBy(() -> DeviceSelection.checkLastKeyboard(host, List.of(), all, false, false))
        .isInstanceOf(SwitchRefused.class).hasMessageContaining("last keyboard (1-2)")
        .hasMessageContaining("--back-after");
    DeviceSelection.checkLastKeyboard(host, List.of(), all, true, false);
    DeviceSelection.checkLastKeyboard(host, List.of(), all, false, true);
    DeviceSelection.checkLastKeyboard(host, List.of(), DeviceSelection.choose(host, List.of("1-3")), false, false);
  }

  @Test
  void aPs2KeyboardStaysWithTheHost() {
    UsbFixture f = UsbFixture.desktop(dir).ps2Keyboard();
    SysRoot root = new SysRoot(f.root);
    List<UsbDevice> host = UsbDevices.read(root);
    assertThat(UsbDevices.otherKeyboards(root)).containsExactly("/dev/input/by-path/platform-i8042-serio-0-event-kbd");
    DeviceSelection.checkLastKeyboard(host, UsbDevices.otherKeyboards(root), DeviceSelection.choose(host, List.of()),
        false, false);
  }
}
