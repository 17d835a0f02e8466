package io.vgapass.host;

import java.util.List;
import java.util.Optional;

/** A read-only snapshot of everything vgapass knows about a host. Built once by {@link HostReader}. */
public record Host(
    String source,
    List<PciDevice> pciDevices,
    List<IommuGroup> iommuGroups,
    IommuState iommu,
    CpuTopology cpu,
    Memory memory,
    Kernel kernel,
    Distro distro,
    Boot boot,
    Security security,
    VirtStack virt,
    Network network,
    List<BlockDevice> disks,
    DesktopUser desktopUser) {

  /** The same host under another name (the example is read from a temporary directory). */
  public Host withSource(String name) {
    return new Host(name, pciDevices, iommuGroups, iommu, cpu, memory, kernel, distro, boot, security, virt,
        network, disks, desktopUser);
  }

  public Optional<PciDevice> device(PciAddress address) {
    return pciDevices.stream().filter(d -> d.address().equals(address)).findFirst();
  }

  public Optional<IommuGroup> group(int id) {
    return iommuGroups.stream().filter(g -> g.id() == id).findFirst();
  }

  /** The kernel arguments that switch the IOMMU on for this CPU (AMD's is on by default; pt keeps host DMA fast). */
  public List<String> iommuArguments() {
    return cpu.isAmd() ? List.of("iommu=pt") : List.of("intel_iommu=on", "iommu=pt");
  }

  /** Those of {@link #iommuArguments} the kernel command line lacks (none: the firmware is the whole fix). */
  public List<String> missingIommuArguments() {
    return iommuArguments().stream().filter(a -> !kernel.arguments().contains(a)).toList();
  }

  public List<PciDevice> gpus() {
    return pciDevices.stream().filter(PciDevice::isDisplay).toList();
  }
}
