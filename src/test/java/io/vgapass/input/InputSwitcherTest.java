package io.vgapass.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.SchemaValidator;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.LibvirtFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputSwitcherTest {
  @TempDir Path dir;

  private List<GuestDevice> desktopDevices() {
    UsbFixture.desktop(dir);
    return DeviceSelection.choose(UsbDevices.read(new SysRoot(dir)), List.of()).guestDevices();
  }

  @Test
  void attachToggleDetachFollowTheLiveXml() {
    FakeLibvirt lv = new FakeLibvirt().domain("win", true);
    InputSwitcher sw = new InputSwitcher(lv, DeviceXmlCheck.libvirt());
    List<GuestDevice> devs = desktopDevices();
    assertThat(sw.where("win", devs)).isEqualTo(InputSwitcher.Side.HOST);
    assertThat(sw.attach("win", devs)).containsExactly(
        "attached to win: 1-2 046d:c52b Logitech USB Receiver (keyboard, mouse)",
        "attached to win: 1-3 1532:0084 Razer Razer DeathAdder V2 (mouse)");
    assertThat(sw.where("win", devs)).isEqualTo(InputSwitcher.Side.GUEST);
    assertThat(sw.attach("win", devs)).allMatch(l -> l.startsWith("already in win"));
    assertThat(sw.toggle("win", devs)).allMatch(l -> l.startsWith("detached from win"));
    assertThat(sw.where("win", devs)).isEqualTo(InputSwitcher.Side.HOST);
    assertThat(sw.detach("win", devs)).allMatch(l -> l.startsWith("not in win"));
    // split: toggle completes the attach
    sw.attach("win", devs.subList(0, 1));
    assertThat(sw.where("win", devs)).isEqualTo(InputSwitcher.Side.SPLIT);
    assertThat(sw.toggle("win", devs)).containsExactly(
        "already in win: 1-2 046d:c52b Logitech USB Receiver (keyboard, mouse)",
        "attached to win: 1-3 1532:0084 Razer Razer DeathAdder V2 (mouse)");
  }

  @Test
  void aFailedAttachGivesBackWhatItAttached() {
    FakeLibvirt lv = new FakeLibvirt().domain("win", true);
    lv.failAttachOf = "0x1532";
    InputSwitcher sw = new InputSwitcher(lv, DeviceXmlCheck.libvirt());
    List<GuestDevice> devs = desktopDevices();
    assertThatThrownBy(() -> sw.attach("win", devs)).isInstanceOf(LibvirtFailure.class)
        .hasMessageContaining("Razer").hasMessageContaining("given back to the host");
    assertThat(sw.where("win", devs)).isEqualTo(InputSwitcher.Side.HOST);
    assertThat(lv.calls).containsExactly("attach win", "attach win", "detach win");
  }

  @Test
  void missingOrStoppedDomainsAreRefusedWithoutACall() {
    FakeLibvirt lv = new FakeLibvirt().domain("off", false);
    InputSwitcher sw = new InputSwitcher(lv, DeviceXmlCheck.libvirt());
    List<GuestDevice> devs = desktopDevices();
    assertThatThrownBy(() -> sw.attach("nope", devs)).isInstanceOf(SwitchRefused.class)
        .hasMessage("nope: no such domain on test:///fake (virsh list --all shows the names); nothing was changed");
    assertThatThrownBy(() -> sw.toggle("off", devs)).isInstanceOf(SwitchRefused.class)
        .hasMessageContaining("off is not running").extracting(e -> ((SwitchRefused) e).reason())
        .isEqualTo(SwitchRefused.Reason.NOT_RUNNING);
    assertThat(lv.calls).isEmpty();
  }

  @Test
  void everyDeviceXmlIsValidAgainstLibvirtsSchema() {
    DeviceXmlCheck check = DeviceXmlCheck.libvirt();
    org.junit.jupiter.api.Assumptions.assumeTrue(check.available(), "libvirt's schema not installed");
    UsbFixture.qemuTwins(dir);
    List<UsbDevice> host = UsbDevices.read(new SysRoot(dir));
    for (UsbHostdev h : DeviceSelection.choose(host, List.of("0627:0001")).devices()) {
      assertThat(check.problems(h.xml())).as(h.xml()).isEmpty();
      assertThat(check.problems(new UsbHostdev(h.device(), false).xml())).isEmpty();
    }
    for (String t : List.of("keyboard", "mouse", "tablet")) {
      assertThat(check.problems(new EmulatedUsbInput(t).xml())).isEmpty();
    }
    assertThat(check.problems("<hostdev mode='subsystem' type='usb'><source><vendor id='0x12345'/></source></hostdev>"))
        .isNotEmpty();
    assertThatThrownBy(() -> new DeviceXmlCheck(SchemaValidator.libvirt()).check("bad", "<input type='joystick'/>"))
        .isInstanceOf(SwitchRefused.class).hasMessageContaining("bad: the device XML breaks libvirt's schema");
  }

  @Test
  void backAfterHelperSleepsInItsOwnSessionThenRunsDetach() {
    List<String> argv = BackAfter.command(30, List.of("input", "detach", "--domain", "win", "--device", "1-2"));
    assertThat(argv.subList(0, 6)).containsExactly("setsid", "sh", "-c", "sleep \"$1\"; shift; exec \"$@\"",
        "vgapass-back-after", "30");
    assertThat(argv.subList(argv.size() - 7, argv.size())).containsExactly("io.vgapass.cli.Main", "input", "detach",
        "--domain", "win", "--device", "1-2");
  }
}
