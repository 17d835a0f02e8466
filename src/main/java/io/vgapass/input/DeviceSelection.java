package io.vgapass.input;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns {@code --device} values into hostdevs: {@code VID:PID} (every host device with those ids) or
 * {@code BUS-PORT} as the kernel names it ({@code 1-2}, {@code 3-1.4}). Without any, the host's keyboards and mice.
 * A device whose ids another host device shares is addressed by bus and device number as well, and a note says so.
 */
public final class DeviceSelection {
  private static final Pattern IDS = Pattern.compile("([0-9a-fA-F]{4}):([0-9a-fA-F]{4})");
  private static final Pattern PORT = Pattern.compile("\\d+-[0-9]+(\\.[0-9]+)*");

  /** The chosen devices and what the user should know about how they are addressed. */
  public record Chosen(List<UsbHostdev> devices, List<String> notes) {
    public List<GuestDevice> guestDevices() {
      return List.copyOf(devices);
    }
  }

  private DeviceSelection() {}

  public static Chosen choose(List<UsbDevice> host, List<String> specs) {
    Map<String, UsbDevice> picked = new LinkedHashMap<>();
    if (specs.isEmpty()) {
      for (UsbDevice d : host) if (!d.roles().isEmpty()) picked.put(d.name(), d);
      if (picked.isEmpty()) {
        throw new SwitchRefused(SwitchRefused.Reason.BAD_DEVICE, "no USB keyboard or mouse found on this host "
            + "(vgapass input devices lists the USB devices); name them with --device VID:PID or --device BUS-PORT");
      }
    }
    for (String s : specs) {
      String t = s.strip();
      var m = IDS.matcher(t);
      if (m.matches()) {
        String ids = m.group(1).toLowerCase(Locale.ROOT) + ":" + m.group(2).toLowerCase(Locale.ROOT);
        List<UsbDevice> match = host.stream().filter(d -> d.ids().equals(ids)).toList();
        if (match.isEmpty()) {
          throw new SwitchRefused(SwitchRefused.Reason.BAD_DEVICE, "--device " + s + ": no USB device " + ids
              + " on this host" + known(host) + "; nothing was changed");
        }
        match.forEach(d -> picked.put(d.name(), d));
      } else if (PORT.matcher(t).matches()) {
        UsbDevice d = host.stream().filter(x -> x.name().equals(t)).findFirst().orElseThrow(() ->
            new SwitchRefused(SwitchRefused.Reason.BAD_DEVICE, "--device " + s + ": no USB device at bus-port " + t
                + known(host) + "; nothing was changed"));
        picked.put(d.name(), d);
      } else {
        throw new SwitchRefused(SwitchRefused.Reason.BAD_DEVICE, "--device " + s
            + ": use VID:PID (046d:c52b) or BUS-PORT (1-2, 3-1.4) as vgapass input devices shows them");
      }
    }
    List<UsbHostdev> out = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (UsbDevice d : picked.values()) {
      List<UsbDevice> twins = host.stream().filter(x -> x.ids().equals(d.ids())).toList();
      boolean byAddress = twins.size() > 1;
      if (byAddress) {
        notes.add(d.ids() + " is shared by " + twins.size() + " devices (" + String.join(", ",
            twins.stream().map(UsbDevice::name).toList()) + "): " + d.name() + " is addressed by bus " + d.bus()
            + " port " + d.port() + " (now device " + d.devnum() + ")");
      }
      out.add(new UsbHostdev(d, byAddress));
    }
    return new Chosen(out, notes);
  }

  /**
   * Refuses to take every keyboard the host has (USB ones, and PS/2 or other keyboards in /dev/input/by-path) unless
   * something gives them back: --back-after, or the user's --force.
   */
  public static void checkLastKeyboard(List<UsbDevice> host, List<String> otherKeyboards, Chosen chosen,
      boolean giveBack, boolean force) {
    if (giveBack || force) return;
    List<String> taken = chosen.devices().stream().map(h -> h.device().name()).toList();
    boolean hostHasKeyboard = host.stream().anyMatch(UsbDevice::keyboard) || !otherKeyboards.isEmpty();
    boolean keeps = host.stream().anyMatch(d -> d.keyboard() && !taken.contains(d.name())) || !otherKeyboards.isEmpty();
    if (hostHasKeyboard && !keeps) {
      throw new SwitchRefused(SwitchRefused.Reason.LAST_KEYBOARD, "this takes the host's last keyboard ("
          + String.join(", ", host.stream().filter(UsbDevice::keyboard).map(UsbDevice::name).toList())
          + "): add --back-after SECONDS so it comes back by itself, or run vgapass input serve so the guest can "
          + "give it back, and pass --force; nothing was changed");
    }
  }

  private static String known(List<UsbDevice> host) {
    if (host.isEmpty()) return " (it has none in /sys/bus/usb/devices)";
    return " (it has: " + String.join(", ", host.stream().map(d -> d.name() + " " + d.ids()).toList()) + ")";
  }
}
