package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/** Reads IOMMU units and groups; predicts the groups from the PCI tree when the IOMMU is off. */
final class IommuReader {
  private final SysRoot root;

  IommuReader(SysRoot root) {
    this.root = root;
  }

  record Result(IommuState state, List<IommuGroup> groups) {}

  Result read(List<PciDevice> devices, Kernel kernel) {
    List<String> units = root.list("sys/class/iommu");
    String vendor =
        units.stream().anyMatch(u -> u.startsWith("dmar")) ? "intel"
            : units.stream().anyMatch(u -> u.startsWith("ivhd")) ? "amd"
            : units.isEmpty() ? "none" : "other";
    List<IommuGroup> groups = new ArrayList<>();
    for (String g : root.list("sys/kernel/iommu_groups")) {
      Integer id = PciReader.intOrNull(g);
      if (id == null) continue;
      List<PciAddress> members = new ArrayList<>();
      for (String m : root.list("sys/kernel/iommu_groups/" + g + "/devices")) {
        if (PciAddress.looksLike(m)) members.add(PciAddress.parse(m));
      }
      members.sort(null);
      groups.add(new IommuGroup(id, members));
    }
    groups.sort((a, b) -> Integer.compare(a.id(), b.id()));
    String acs = kernel.argument("pcie_acs_override").orElse(null);
    boolean active = !groups.isEmpty();
    boolean predicted = false;
    if (!active && !devices.isEmpty()) {
      groups = GroupPredictor.predict(devices);
      predicted = true;
    }
    return new Result(new IommuState(vendor, units, active, predicted, acs), groups);
  }
}
