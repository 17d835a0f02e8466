package io.vgapass.input;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One USB device of the host, as {@code /sys/bus/usb/devices/NAME} describes it.
 *
 * @param name the kernel's name: bus, a dash, the port path ({@code 1-2}, {@code 3-1.4}); stable across re-plugging
 *     into the same port, unlike {@code devnum}
 * @param bus the bus number ({@code busnum})
 * @param devnum the device number on that bus now ({@code devnum}); it changes each time the device is plugged in
 * @param vendorId four lower-case hex digits
 * @param productId four lower-case hex digits
 * @param roles keyboard and/or mouse, from the HID interfaces and {@code /dev/input/by-id}
 * @param inputs the {@code /dev/input/by-id} names that lead to this device
 */
public record UsbDevice(String name, int bus, int devnum, String vendorId, String productId, String manufacturer,
    String product, Set<Role> roles, List<String> inputs) {

  public enum Role { KEYBOARD, MOUSE }

  public UsbDevice {
    vendorId = vendorId.toLowerCase(Locale.ROOT);
    productId = productId.toLowerCase(Locale.ROOT);
    // an EnumSet keeps KEYBOARD before MOUSE: Set.copyOf's order changes from one JVM to the next, and --json with it
    roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
    inputs = List.copyOf(inputs);
  }

  /** {@code 046d:c52b}. */
  public String ids() {
    return vendorId + ":" + productId;
  }

  /** The port path without the bus ({@code 2} for {@code 1-2}, {@code 1.4} for {@code 3-1.4}). */
  public String port() {
    int dash = name.indexOf('-');
    return dash < 0 ? "" : name.substring(dash + 1);
  }

  public boolean keyboard() {
    return roles.contains(Role.KEYBOARD);
  }

  public boolean mouse() {
    return roles.contains(Role.MOUSE);
  }

  /** {@code 1-2 046d:c52b Logitech USB Receiver (keyboard, mouse)}. */
  public String describe() {
    String what = ((manufacturer == null ? "" : manufacturer + " ") + (product == null ? "" : product)).strip();
    String r = roles.isEmpty() ? "" : " (" + String.join(", ", roles.stream().sorted()
        .map(x -> x.name().toLowerCase(Locale.ROOT)).toList()) + ")";
    return name + " " + ids() + (what.isEmpty() ? "" : " " + what) + r;
  }
}
