package io.vgapass.domain;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.PciAddress;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU's functions as managed PCI hostdevs. The card's functions keep their multifunction
 * layout in the guest (function 0 with multifunction='on', all on one slot of their own
 * pcie-root-port), which some drivers expect; without an explicit address libvirt would split
 * them across slots.
 */
final class HostdevTuner implements Tuner {
  private static final String ADDRESS_MULTIFUNCTION = "./address/@multifunction";
  private static final String PCI_CONTROLLERS = "./devices/controller[@type='pci']";
  static final String KIND = "hostdev";
  static final String PORT = "gpu-root-port";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.hostdevs()) {
      owned.carryOver(KIND);
      owned.carryOver(PORT);
      return;
    }
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (!plan.hostdevs().contains(PciAddress.parse(o.key()))) {
        owned.ownedOf(o, withSource(doc, o.key())).forEach(XmlNode::remove);
      }
    }
    // the functions vgapass places: those not already in the domain as the user's own hostdevs
    List<PciAddress> ours = new ArrayList<>();
    for (PciAddress a : plan.hostdevs()) {
      String key = a.toString();
      List<XmlNode> present = withSource(doc, key);
      boolean users = !present.isEmpty() && !owned.ownedBefore(KIND, key, present);
      if (!users) ours.add(a); // else: the user's own hostdev, left as it is
    }
    PciAddress card = plan.gpu() == null ? null : plan.gpu().address();
    List<PciAddress> onSlot = ours.stream().filter(a -> card != null && a.sameSlot(card)).toList();
    // the card's layout is mirrored on a root port of its own only when vgapass places its function 0;
    // a function without function 0 on its guest slot would be invisible to the guest
    boolean mirror = onSlot.stream().anyMatch(a -> a.function() == 0);
    int bus = -1;
    if (mirror) bus = rootPort(doc, owned);
    else removePort(doc, owned);
    for (PciAddress a : ours) {
      String key = a.toString();
      XmlNode h = doc.list(DomainPaths.HOSTDEVS).stream().filter(x -> key.equals(Devices.pciSource(x)))
          .findFirst().orElse(null);
      if (h == null) {
        h = doc.add("./devices/hostdev[@mode='subsystem'][@type='pci']");
        h.set(DevicePaths.MANAGED, plan.hookHandover() ? "no" : "yes");
        h.set("./source/address/@domain", String.format("0x%04x", a.domain()));
        h.set(DevicePaths.SOURCE_ADDRESS_BUS, Devices.hex2(a.bus()));
        h.set("./source/address/@slot", Devices.hex2(a.slot()));
        h.set("./source/address/@function", "0x" + Integer.toHexString(a.function()));
      }
      // the card family table's advice: some cards misbehave when the guest sees their ROM BAR
      if (a.equals(card) && hideRomBar(plan)) h.set("./rom/@bar", "off");
      owned.claim(KIND, key, h);
      if (mirror && onSlot.contains(a)) {
        h.set(DevicePaths.ADDRESS_TYPE, "pci");
        h.set("./address/@domain", "0x0000");
        h.set(DevicePaths.ADDRESS_BUS, Devices.hex2(bus));
        h.set("./address/@slot", "0x00");
        h.set("./address/@function", "0x" + Integer.toHexString(a.function()));
        if (a.function() == 0 && onSlot.size() > 1) h.set(ADDRESS_MULTIFUNCTION, "on");
        else h.remove(ADDRESS_MULTIFUNCTION);
      } else if (onSlot.contains(a)) {
        h.remove("./address"); // libvirt gives it a slot of its own
      }
    }
  }

  private static boolean hideRomBar(Plan plan) {
    CardPolicy p = plan.gpu().cardPolicy();
    return p != null && p.romBar() == CardPolicy.RomBar.HIDE;
  }

  /** The pcie-root-port the card sits on: ours from an earlier tune, or a new one past the last index. */
  private static int rootPort(XmlDoc doc, Ownership owned) {
    for (Ownership.Owned o : owned.previously(PORT)) {
      XmlNode port = port(doc, o.key());
      if (owned.ownedBefore(PORT, o.key(), port)) {
        owned.claim(PORT, o.key(), port);
        return Integer.parseInt(o.key());
      }
    }
    int max = 0;
    for (XmlNode c : doc.list(PCI_CONTROLLERS)) {
      max = Math.max(max, Devices.number(c.get(DevicePaths.INDEX)));
    }
    int index = max + 1;
    XmlNode c = doc.add("./devices/controller[@type='pci'][@index='" + index + "']");
    c.set(DevicePaths.MODEL, "pcie-root-port");
    owned.claim(PORT, String.valueOf(index), c);
    return index;
  }

  private static void removePort(XmlDoc doc, Ownership owned) {
    for (Ownership.Owned o : owned.previously(PORT)) {
      XmlNode port = port(doc, o.key());
      if (owned.ownedBefore(PORT, o.key(), port)) port.remove();
    }
  }

  /** The PCI controller with that index (as vgapass records it: decimal), or null. */
  private static XmlNode port(XmlDoc doc, String index) {
    return doc.list(PCI_CONTROLLERS).stream()
        .filter(c -> index.equals(String.valueOf(Devices.number(c.get(DevicePaths.INDEX))))).findFirst()
        .orElse(null);
  }

  private static List<XmlNode> withSource(XmlDoc doc, String key) {
    return doc.list(DomainPaths.HOSTDEVS).stream().filter(x -> key.equals(Devices.pciSource(x))).toList();
  }
}
