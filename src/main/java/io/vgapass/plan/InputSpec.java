package io.vgapass.plan;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A keyboard or mouse for the guest: a USB device by VID:PID, or an evdev node (keyboards grab).
 *
 * @param grabToggle an evdev keyboard's grabToggle ({@code input evdev --grab-toggle}); null: ctrl-ctrl when added,
 *     and an existing entry's own value is kept
 */
public record InputSpec(Kind kind, String vendorId, String productId, String device, String grabToggle) {
  public enum Kind { USB, EVDEV }

  private static final Pattern HEX4 = Pattern.compile("[0-9a-fA-F]{4}");

  public static InputSpec parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("usb:")) {
      String[] ids = t.substring(4).split(":");
      if (ids.length == 2 && HEX4.matcher(ids[0]).matches() && HEX4.matcher(ids[1]).matches()) {
        return new InputSpec(Kind.USB, ids[0].toLowerCase(Locale.ROOT), ids[1].toLowerCase(Locale.ROOT), null, null);
      }
    } else if (t.startsWith("evdev:/dev/input/")) {
      return new InputSpec(Kind.EVDEV, null, null, t.substring("evdev:".length()), null);
    }
    throw new IllegalArgumentException("--input " + text
        + ": use usb:VID:PID (see lsusb) or evdev:/dev/input/by-id/...-event-kbd");
  }

  public InputSpec withGrabToggle(String toggle) {
    return new InputSpec(kind, vendorId, productId, device, toggle);
  }

  /** evdev keyboards are grabbed whole (grab='all') and toggled with both Ctrl keys. */
  public boolean keyboard() {
    return device != null && device.endsWith("-event-kbd");
  }
}
