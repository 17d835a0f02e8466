package io.vgapass.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs-shaped USB tree under a temp root, in the shape of a real desktop's {@code /sys/bus/usb/devices},
 * {@code /sys/class/input} and {@code /dev/input/by-id} (values from a Logitech unifying receiver and QEMU's usb-kbd
 * and usb-tablet, both 0627:0001, as seen inside the nested lab's L1).
 */
final class UsbFixture {
  final Path root;
  private int event;

  UsbFixture(Path root) {
    this.root = root;
    mkdir("sys/bus/usb/devices/usb1");
    write("sys/bus/usb/devices/usb1/bDeviceClass", "09");
  }

  /** A device with one HID interface per protocol given ("01" keyboard, "02" mouse, "00" other). */
  UsbFixture device(String name, int devnum, String ids, String manufacturer, String product, String... protocols) {
    String d = "sys/bus/usb/devices/" + name + "/";
    mkdir(d);
    write(d + "busnum", name.substring(0, name.indexOf('-')));
    write(d + "devnum", Integer.toString(devnum));
    write(d + "idVendor", ids.substring(0, 4));
    write(d + "idProduct", ids.substring(5));
    write(d + "bDeviceClass", "00");
    if (manufacturer != null) write(d + "manufacturer", manufacturer);
    if (product != null) write(d + "product", product);
    for (int i = 0; i < protocols.length; i++) {
      String f = "sys/bus/usb/devices/" + name + ":1." + i + "/";
      mkdir(f);
      write(f + "bInterfaceClass", "03");
      write(f + "bInterfaceProtocol", protocols[i]);
    }
    return this;
  }

  /** An input event node below the device's interface, and its /dev/input/by-id link. */
  UsbFixture byId(String usbName, int iface, String linkName) {
    int n = event++;
    String real = "sys/devices/pci0000:00/0000:00:14.0/usb1/" + usbName + "/" + usbName + ":1." + iface
        + "/0003:0000:0000.000" + n + "/input/input" + n + "/event" + n;
    mkdir(real);
    link("sys/class/input/event" + n, "../../devices/pci0000:00/0000:00:14.0/usb1/" + usbName + "/" + usbName + ":1."
        + iface + "/0003:0000:0000.000" + n + "/input/input" + n + "/event" + n);
    link("dev/input/by-id/" + linkName, "../event" + n);
    return this;
  }

  UsbFixture ps2Keyboard() {
    link("dev/input/by-path/platform-i8042-serio-0-event-kbd", "../event99");
    return this;
  }

  private void mkdir(String rel) {
    try {
      Files.createDirectories(root.resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(String rel, String text) {
    try {
      Files.createDirectories(root.resolve(rel).getParent());
      Files.writeString(root.resolve(rel), text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void link(String rel, String target) {
    try {
      Files.createDirectories(root.resolve(rel).getParent());
      Files.createSymbolicLink(root.resolve(rel), Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logitech receiver (keyboard + mouse) on 1-2, a gaming mouse without boot protocol on 1-3 (by-id only). */
  static UsbFixture desktop(Path root) {
    return new UsbFixture(root)
        .device("1-2", 3, "046d:c52b", "Logitech", "USB Receiver", "01", "02", "00")
        .device("1-3", 4, "1532:0084", "Razer", "Razer DeathAdder V2", "00")
        .device("1-4", 5, "0bda:8153", "Realtek", "USB 10/100/1000 LAN")
        .byId("1-2", 0, "usb-Logitech_USB_Receiver-event-kbd")
        .byId("1-3", 0, "usb-Razer_Razer_DeathAdder_V2-event-mouse");
  }

  /** QEMU's usb-kbd (1-1) and usb-tablet (1-2): the same VID:PID. */
  static UsbFixture qemuTwins(Path root) {
    return new UsbFixture(root)
        .device("1-1", 2, "0627:0001", "QEMU", "QEMU USB Keyboard", "01")
        .device("1-2", 3, "0627:0001", "QEMU", "QEMU USB Tablet", "00")
        .byId("1-2", 0, "usb-QEMU_QEMU_USB_Tablet_28754-0000:00:04.0-1-event-mouse");
  }
}
