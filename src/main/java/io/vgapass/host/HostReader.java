package io.vgapass.host;

import java.nio.file.Files;
import java.util.List;

/** Builds the {@link Host} snapshot from a {@link SysRoot}. Never throws on odd content. */
public final class HostReader {
  private HostReader() {}

  /**
   * Reads the host under {@code root}.
   *
   * @throws IllegalArgumentException when the root is not a directory or has neither sys nor proc
   */
  public static Host read(SysRoot root) {
    if (!Files.isDirectory(root.root())) {
      throw new IllegalArgumentException(
          "--sysroot " + root.root() + ": no such directory; give a host root (/) or a capture (vgapass capture)");
    }
    if (!root.exists("sys") && !root.exists("proc")) {
      throw new IllegalArgumentException(
          "--sysroot " + root.root() + ": holds neither sys/ nor proc/; give a host root or an unpacked capture");
    }
    Kernel kernel = new KernelReader(root).read();
    List<PciDevice> devices = new PciReader(root, new RomReader(root, root.isLive())).read();
    IommuReader.Result iommu = new IommuReader(root).read(devices, kernel);
    if (iommu.state().groupsPredicted()) devices = GroupPredictor.withGroups(devices, iommu.groups());
    SystemReader sys = new SystemReader(root);
    PeripheralReader peripherals = new PeripheralReader(root);
    return new Host(
        root.root().toString(),
        devices,
        iommu.groups(),
        iommu.state(),
        new CpuReader(root).read(),
        new MemoryReader(root).read(),
        kernel,
        sys.distro(),
        sys.boot(),
        sys.security(),
        sys.virt(),
        peripherals.network(),
        peripherals.disks(),
        peripherals.desktopUser());
  }
}
