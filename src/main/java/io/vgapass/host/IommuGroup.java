package io.vgapass.host;

import java.util.List;

/** The devices that the IOMMU cannot tell apart: they go to a VM together or not at all. */
public record IommuGroup(int id, List<PciAddress> members) {}
