package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The machine the tests run on: whatever it is, reading it holds together. */
class LiveHostTest {

  @Test
  void readingThisMachineHoldsTogether() {
    assumeTrue(Files.isDirectory(Path.of("/sys/devices/system/cpu")), "no sysfs here");
    Host h = HostReader.read(SysRoot.live());

    CpuTopology t = h.cpu();
    assertThat(t.cpus()).extracting(Cpu::id).doesNotHaveDuplicates();
    assertThat(t.cpus().size()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    for (Cpu c : t.cpus()) {
      assertThat(t.siblingsOf(c.id())).contains(c.id());
      assertThat(t.nodes()).contains(c.node());
    }
    assertThat(t.threadsPerCore()).isBetween(1, 8);

    Set<PciAddress> devices = h.pciDevices().stream().map(PciDevice::address).collect(Collectors.toSet());
    for (PciDevice d : h.pciDevices()) {
      assertThat(d.address().toString()).matches("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
      assertThat(Files.exists(Path.of("/sys/bus/pci/devices", d.address().toString()))).isTrue();
      if (d.iommuGroup() != null) assertThat(h.group(d.iommuGroup())).isPresent();
      if (d.parent() != null) assertThat(d.parent().toString()).matches("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    }
    for (IommuGroup g : h.iommuGroups()) assertThat(devices).containsAll(g.members());
    assertThat(h.iommu().groupsPredicted()).isEqualTo(!h.iommu().active() && !h.pciDevices().isEmpty());

    assertThat(h.kernel().release()).isEqualTo(read("/proc/sys/kernel/osrelease"));
    assertThat(h.memory().totalKiB()).isPositive();
    for (GpuCandidate g : GpuAnalyzer.analyze(h)) assertThat(g.functions()).contains(g.address());
  }

  private static String read(String p) {
    try {
      return Files.readString(Path.of(p)).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
