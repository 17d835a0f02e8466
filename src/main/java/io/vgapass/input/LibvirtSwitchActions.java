package io.vgapass.input;

import io.vgapass.libvirt.LibvirtPort;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The switch-back service's actions on a libvirt domain. Each request opens its own connection (requests are rare
 * and rate-limited; a libvirtd restart between two of them then costs nothing).
 */
public record LibvirtSwitchActions(Supplier<LibvirtPort> ports, String domain, List<GuestDevice> devices)
    implements SwitchService.Actions {

  @Override
  public List<String> switchBack() {
    try (LibvirtPort port = ports.get()) {
      return new InputSwitcher(port, DeviceXmlCheck.libvirt()).detach(domain, devices);
    }
  }

  @Override
  public List<String> switchToGuest() {
    try (LibvirtPort port = ports.get()) {
      return new InputSwitcher(port, DeviceXmlCheck.libvirt()).attach(domain, devices);
    }
  }

  @Override
  public String where() {
    try (LibvirtPort port = ports.get()) {
      return "devices: " + new InputSwitcher(port, DeviceXmlCheck.libvirt()).where(domain, devices).name()
          .toLowerCase(Locale.ROOT);
    }
  }
}
