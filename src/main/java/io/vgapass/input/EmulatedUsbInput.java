package io.vgapass.input;

import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import java.util.Optional;

/**
 * One of QEMU's own USB input devices ({@code usb-kbd}, {@code usb-tablet}, {@code usb-mouse}) with a user alias.
 * Not a host device: it goes through the same hot-plug path as {@link UsbHostdev} on hosts without USB hardware (the
 * lab's machines, CI), and is what {@code input attach --emulated} adds.
 */
public record EmulatedUsbInput(String type) implements GuestDevice {

  public EmulatedUsbInput {
    if (!type.equals("keyboard") && !type.equals("mouse") && !type.equals("tablet")) {
      throw new IllegalArgumentException("emulated USB input " + type + ": use keyboard, mouse or tablet");
    }
  }

  /** The user alias (libvirt keeps aliases that start with {@code ua-}). */
  public String alias() {
    return "ua-vgapass-" + type;
  }

  @Override
  public String label() {
    return "emulated USB " + type + " (QEMU usb-" + (type.equals("keyboard") ? "kbd" : type) + ", alias " + alias()
        + ")";
  }

  @Override
  public String xml() {
    return "<input type='" + type + "' bus='usb'>\n  <alias name='" + alias() + "'/>\n</input>\n";
  }

  @Override
  public Optional<XmlNode> findIn(XmlDoc live) {
    return live.list("./devices/input[@bus='usb']").stream()
        .filter(i -> alias().equals(i.get("./alias/@name"))).findFirst();
  }
}
