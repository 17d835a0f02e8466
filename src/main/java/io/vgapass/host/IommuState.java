package io.vgapass.host;

import java.util.List;

/**
 * Whether DMA remapping is on and what it looks like.
 *
 * @param vendor "intel", "amd", or "none" (the kind of units under sys/class/iommu)
 * @param units the IOMMU units (dmar0, ivhd0...)
 * @param active the kernel built IOMMU groups
 * @param groupsPredicted the groups were predicted from the PCI topology because the IOMMU is off
 * @param acsOverride {@code pcie_acs_override} is on the command line (isolation is not real)
 */
public record IommuState(
  String vendor, List<String> units, boolean active, boolean groupsPredicted, String acsOverride) {}
