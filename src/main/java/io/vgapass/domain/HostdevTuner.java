package io.vgapass.domain;

import io.vgapass.host.PciAddress;
import io.vgapass.plan.Plan;
import java.util.List;

/**
 * The GPU's functions as managed PCI hostdevs. The card's functions keep their multifunction
 * layout in the guest (function 0 with multifunction='on', all on one slot of their own
 * pcie-root-port), which some drivers expect; without an explicit address libvirt would split
 * them across slots.
 */
final class HostdevTuner implements Tuner {
  static final String KIND = "hostdev";
  static final String PORT = "gpu-root-port";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.hostdevs()) {
      owned.carryOver(KIND);
      owned.carryOver(PORT);
      return;
    }
    List<XmlNode> existing = doc.list("./devices/hostdev");
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (!plan.hostdevs().contains(PciAddress.parse(o.key()))) {
        existing.stream().filter(h -> o.key().equals(Devices.pciSource(h))).forEach(XmlNode::remove);
      }
    }
    if (plan.hostdevs().isEmpty()) {
      removePort(doc, owned);
      return;
    }
    int bus = rootPort(doc, owned);
    PciAddress card = plan.gpu().address();
    boolean multifunction = plan.hostdevs().stream().filter(card::sameSlot).count() > 1;
    for (PciAddress a : plan.hostdevs()) {
      String key = a.toString();
      XmlNode h = doc.list("./devices/hostdev").stream().filter(x -> key.equals(Devices.pciSource(x)))
          .findFirst().orElse(null);
      if (h != null && !owned.ownedBefore(KIND, key)) continue; // the user's own hostdev: leave it
      if (h == null) {
        h = doc.add("./devices/hostdev[@mode='subsystem'][@type='pci']");
        h.set("./@managed", "yes");
        h.set("./source/address/@domain", String.format("0x%04x", a.domain()));
        h.set("./source/address/@bus", Devices.hex2(a.bus()));
        h.set("./source/address/@slot", Devices.hex2(a.slot()));
        h.set("./source/address/@function", "0x" + Integer.toHexString(a.function()));
      }
      owned.claim(KIND, key);
      if (a.sameSlot(card)) {
        h.set("./address/@type", "pci");
        h.set("./address/@domain", "0x0000");
        h.set("./address/@bus", Devices.hex2(bus));
        h.set("./address/@slot", "0x00");
        h.set("./address/@function", "0x" + Integer.toHexString(a.function()));
        if (a.function() == 0 && multifunction) h.set("./address/@multifunction", "on");
        else h.remove("./address/@multifunction");
      }
    }
  }

  /** The pcie-root-port the card sits on: ours from an earlier tune, or a new one past the last index. */
  private static int rootPort(XmlDoc doc, Ownership owned) {
    for (Ownership.Owned o : owned.previously(PORT)) {
      int index = Integer.parseInt(o.key());
      if (doc.exists("./devices/controller[@type='pci'][@index='" + index + "']")) {
        owned.claim(PORT, o.key());
        return index;
      }
    }
    int max = 0;
    for (XmlNode c : doc.list("./devices/controller[@type='pci']")) {
      max = Math.max(max, Devices.hex(c.get("./@index")));
    }
    int index = max + 1;
    XmlNode c = doc.add("./devices/controller[@type='pci'][@index='" + index + "']");
    c.set("./@model", "pcie-root-port");
    owned.claim(PORT, String.valueOf(index));
    return index;
  }

  private static void removePort(XmlDoc doc, Ownership owned) {
    for (Ownership.Owned o : owned.previously(PORT)) {
      doc.remove("./devices/controller[@type='pci'][@index='" + o.key() + "']");
    }
  }
}
