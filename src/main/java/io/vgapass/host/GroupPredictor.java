package io.vgapass.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Predicts IOMMU groups while the IOMMU is off, as Linux would form them on a consumer board
 * whose ports lack ACS: every device below a root port shares a group with that port (and the
 * port's sibling functions), and devices on the root bus group by slot. This is conservative: a
 * board with ACS splits further, never less, so "isolated" predicted here holds once it is on.
 */
final class GroupPredictor {
  private GroupPredictor() {}

  static List<IommuGroup> predict(List<PciDevice> devices) {
    Map<PciAddress, PciDevice> byAddress = new LinkedHashMap<>();
    devices.forEach(d -> byAddress.put(d.address(), d));
    TreeMap<PciAddress, List<PciAddress>> bySlotKey = new TreeMap<>();
    for (PciDevice d : devices) {
      PciAddress top = topOf(d, byAddress);
      bySlotKey.computeIfAbsent(top.withFunction(0), k -> new ArrayList<>()).add(d.address());
    }
    List<IommuGroup> groups = new ArrayList<>();
    int id = 0;
    for (List<PciAddress> members : bySlotKey.values()) {
      members.sort(null);
      groups.add(new IommuGroup(id++, List.copyOf(members)));
    }
    return groups;
  }

  /** The device on the root bus this one hangs below (itself when it is on the root bus). */
  private static PciAddress topOf(PciDevice d, Map<PciAddress, PciDevice> byAddress) {
    PciDevice cur = d;
    for (int guard = 0; guard < 64 && cur.parent() != null && byAddress.containsKey(cur.parent()); guard++) {
      cur = byAddress.get(cur.parent());
    }
    return cur.address();
  }

  /** Attaches predicted group numbers to the devices. */
  static List<PciDevice> withGroups(List<PciDevice> devices, List<IommuGroup> groups) {
    Map<PciAddress, Integer> groupOf = new LinkedHashMap<>();
    groups.forEach(g -> g.members().forEach(m -> groupOf.put(m, g.id())));
    List<PciDevice> out = new ArrayList<>();
    for (PciDevice d : devices) {
      out.add(
          new PciDevice(d.address(), d.classCode(), d.vendorId(), d.deviceId(), d.subsystemVendorId(),
              d.subsystemDeviceId(), d.revision(), d.driver(), d.driverOverride(), d.bootVga(),
              d.resetMethods(), d.numaNode(), d.parent(), groupOf.get(d.address()), d.rom()));
    }
    return out;
  }
}
