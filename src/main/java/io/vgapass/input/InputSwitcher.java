package io.vgapass.input;

import io.vgapass.domain.XmlDoc;
import io.vgapass.domain.XmlNode;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtFailure;
import io.vgapass.libvirt.LibvirtPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hot-plugs devices into a running guest and takes them back, live only: the persistent definition never changes,
 * so after the guest stops every device is the host's again. Which devices are in the guest is read from the live
 * XML each time, never remembered.
 *
 * <p>An attach of several devices is all or nothing: when one fails, the ones this call attached are detached again.
 */
public final class InputSwitcher {
  private final LibvirtPort port;
  private final DeviceXmlCheck check;

  public InputSwitcher(LibvirtPort port, DeviceXmlCheck check) {
    this.port = port;
    this.check = check;
  }

  /** Where the devices are now. */
  public enum Side { HOST, GUEST, SPLIT }

  public Side where(String domain, List<GuestDevice> devices) {
    XmlDoc live = live(domain);
    long in = devices.stream().filter(d -> d.findIn(live).isPresent()).count();
    return in == 0 ? Side.HOST : in == devices.size() ? Side.GUEST : Side.SPLIT;
  }

  /** Gives the devices to the guest; those already there are left alone. Returns one line per device. */
  public List<String> attach(String domain, List<GuestDevice> devices) {
    XmlDoc live = live(domain);
    for (GuestDevice d : devices) check.check(d.label(), d.xml());
    List<String> lines = new ArrayList<>();
    List<GuestDevice> done = new ArrayList<>();
    for (GuestDevice d : devices) {
      if (d.findIn(live).isPresent()) {
        lines.add("already in " + domain + ": " + d.label());
        continue;
      }
      try {
        port.attachDeviceLive(domain, d.xml());
        if (d.findIn(live(domain)).isEmpty()) {
          throw new LibvirtFailure("attach-device --live", domain, null, "libvirt accepted " + d.label()
              + " but the live XML does not show it");
        }
      } catch (LibvirtFailure e) {
        List<String> undone = new ArrayList<>();
        for (GuestDevice back : done) {
          try {
            detachOne(domain, back);
            undone.add(back.label());
          } catch (LibvirtFailure ignored) {
            // reported below: still in the guest
          }
        }
        String rolled = done.isEmpty() ? "" : undone.size() == done.size()
            ? "; the devices attached before it were given back to the host"
            : "; some devices attached before it could not be given back: run vgapass input detach --domain " + domain;
        throw new LibvirtFailure(e.operation(), e.subject(), e.code(), d.label() + ": " + e.getMessage() + rolled);
      }
      done.add(d);
      lines.add("attached to " + domain + ": " + d.label());
    }
    return lines;
  }

  /** Gives the devices back to the host; those not in the guest are left alone. */
  public List<String> detach(String domain, List<GuestDevice> devices) {
    XmlDoc live = live(domain);
    List<String> lines = new ArrayList<>();
    for (GuestDevice d : devices) {
      Optional<XmlNode> el = d.findIn(live);
      if (el.isEmpty()) {
        lines.add("not in " + domain + ": " + d.label());
        continue;
      }
      port.detachDeviceLive(domain, el.get().toXml());
      lines.add("detached from " + domain + ": " + d.label());
    }
    return lines;
  }

  /** All in the guest: give them all back; otherwise give the guest those it lacks. */
  public List<String> toggle(String domain, List<GuestDevice> devices) {
    return where(domain, devices) == Side.GUEST ? detach(domain, devices) : attach(domain, devices);
  }

  private void detachOne(String domain, GuestDevice d) {
    Optional<XmlNode> el = d.findIn(live(domain));
    if (el.isPresent()) port.detachDeviceLive(domain, el.get().toXml());
  }

  /** The running domain's live XML; refuses a missing or stopped domain. */
  XmlDoc live(String domain) {
    DomainInfo info = port.domain(domain).orElseThrow(() -> new SwitchRefused(SwitchRefused.Reason.NO_DOMAIN,
        domain + ": no such domain on " + port.uri() + " (virsh list --all shows the names); nothing was changed"));
    if (!info.active()) {
      throw new SwitchRefused(SwitchRefused.Reason.NOT_RUNNING, domain + " is not running: devices are hot-plugged "
          + "into a running guest only (start it with vgapass vm start " + domain + "); nothing was changed");
    }
    return XmlDoc.parse("live domain " + domain, port.domainXml(domain, false));
  }
}
