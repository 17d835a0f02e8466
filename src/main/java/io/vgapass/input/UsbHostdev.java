package io.vgapass.input;

import io.vgapass.domain.DevicePaths;
import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import java.util.Optional;

/**
 * A host USB device as a USB hostdev. Addressed by vendor and product id; when another device of the host has the
 * same ids (QEMU's keyboard and tablet are both 0627:0001, so are many twin receivers), also by bus and device
 * number, because libvirt refuses an ambiguous vendor/product ("Multiple USB devices for ...").
 */
public record UsbHostdev(UsbDevice device, boolean byAddress) implements GuestDevice {

  @Override
  public String label() {
    return device.describe();
  }

  @Override
  public String xml() {
    return "<hostdev mode='subsystem' type='usb' managed='yes'>\n"
        + "  <source>\n"
        + "    <vendor id='0x" + device.vendorId() + "'/>\n"
        + "    <product id='0x" + device.productId() + "'/>\n"
        + (byAddress ? "    <address bus='" + device.bus() + "' device='" + device.devnum() + "'/>\n" : "")
        + "  </source>\n"
        + "</hostdev>\n";
  }

  @Override
  public Optional<XmlNode> findIn(XmlDoc live) {
    for (XmlNode h : live.list("./devices/hostdev[@type='usb']")) {
      if (!same(h.get(DevicePaths.SOURCE_VENDOR_ID), device.vendorId())
          || !same(h.get(DevicePaths.SOURCE_PRODUCT_ID),
          device.productId())) {
        continue;
      }
      String bus = h.get(DevicePaths.SOURCE_ADDRESS_BUS);
      String dev = h.get("./source/address/@device");
      if (byAddress && (bus == null || dev == null || !same(bus, device.bus()) || !same(dev, device.devnum()))) {
        continue;
      }
      return Optional.of(h);
    }
    return Optional.empty();
  }

  private static boolean same(String hex, String expected) {
    try {
      return hex != null && Integer.decode(hex.startsWith("0x") || hex.startsWith("0X") ? hex : "0x" + hex)
          == Integer.parseInt(expected, 16);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean same(String decimal, int expected) {
    try {
      return Integer.decode(decimal.strip()) == expected;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
