package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrubDefaultsTest {
  @Test
  void keepsTheQuotingStyleAndEverythingElse() {
    String text = "# c\nGRUB_CMDLINE_LINUX_DEFAULT='quiet splash'\nGRUB_CMDLINE_LINUX=\"\"";
    GrubDefaults g = GrubDefaults.parse(text);
    assertThat(g.words("GRUB_CMDLINE_LINUX_DEFAULT")).containsExactly("quiet", "splash");
    assertThat(g.withWords("GRUB_CMDLINE_LINUX_DEFAULT", List.of("quiet", "iommu=pt")))
        .isEqualTo("# c\nGRUB_CMDLINE_LINUX_DEFAULT='quiet iommu=pt'\nGRUB_CMDLINE_LINUX=\"\"");
    assertThat(g.withWords("GRUB_CMDLINE_LINUX", List.of("iommu=pt")))
        .isEqualTo("# c\nGRUB_CMDLINE_LINUX_DEFAULT='quiet splash'\nGRUB_CMDLINE_LINUX=\"iommu=pt\"");
  }

  @Test
  void emptyAndExportedValues() {
    GrubDefaults g = GrubDefaults.parse("export GRUB_CMDLINE_LINUX=\nX=1\n");
    assertThat(g.words("GRUB_CMDLINE_LINUX")).isEmpty();
    assertThat(g.withWords("GRUB_CMDLINE_LINUX", List.of("a=b"))).isEqualTo("export GRUB_CMDLINE_LINUX=\"a=b\"\nX=1\n");
  }

  @Test
  void variablesInsideDoubleQuotesAreKept() {
    GrubDefaults g = GrubDefaults.parse("GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX quiet\"\n");
    assertThat(g.withWords("GRUB_CMDLINE_LINUX", KernelArgs.merge(g.words("GRUB_CMDLINE_LINUX"), List.of("iommu=pt"))))
        .isEqualTo("GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX quiet iommu=pt\"\n");
  }

  @Test
  void aSimilarKeyIsNotTheKey() {
    GrubDefaults g = GrubDefaults.parse("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n");
    assertThat(g.has("GRUB_CMDLINE_LINUX")).isFalse();
    assertThatThrownBy(() -> g.words("GRUB_CMDLINE_LINUX")).isInstanceOf(Refusal.class);
  }

  @Test
  void mergeReplacesValuesOfTheSameKey() {
    assertThat(KernelArgs.merge(List.of("quiet", "iommu=soft", "isolcpus=1-3"), List.of("iommu=pt", "isolcpus=2-3", "x")))
        .containsExactly("quiet", "iommu=pt", "isolcpus=2-3", "x");
    assertThat(KernelArgs.missing(List.of("iommu=pt", "quiet"), List.of("iommu=pt", "intel_iommu=on")))
        .containsExactly("intel_iommu=on");
    assertThat(KernelArgs.previousValues(List.of("iommu=soft"), List.of("iommu=pt", "a=b"))).containsExactly("iommu=soft");
    assertThat(KernelArgs.newKeys(List.of("iommu=soft"), List.of("iommu=pt", "a=b"))).containsExactly("a=b");
  }

  @Test
  void kernelVersionsSortNumerically() {
    assertThat(InstalledKernels.compareVersions("6.10.1-arch1", "6.9.7-arch1")).isPositive();
    assertThat(InstalledKernels.compareVersions("5.15.0-91-generic", "6.1.0-18-amd64")).isNegative();
    assertThat(InstalledKernels.compareVersions("6.1", "6.2")).isNegative();
  }

  @Test
  void mkinitcpioOldStringSyntaxAndRefusals() {
    assertThat(Mkinitcpio.withModules("MODULES=\"i915 vfio\"\n", List.of("vfio_pci", "vfio")))
        .isEqualTo("MODULES=\"vfio_pci vfio i915\"\n");
    assertThat(Mkinitcpio.withModules("MODULES=()\n", List.of("vfio_pci"))).isEqualTo("MODULES=(vfio_pci)\n");
    assertThatThrownBy(() -> Mkinitcpio.withModules("MODULES=(a\n b)\n", List.of("vfio_pci")))
        .isInstanceOf(Refusal.class).hasMessageContaining("one line");
  }

  @Test
  void boosterListKeepsOtherModules() {
    assertThat(PreparationPlanner.boosterConf("compression: zstd\nmodules_force_load: nvme,vfio\n",
        List.of("vfio_pci", "vfio", "vfio_iommu_type1")))
        .isEqualTo("compression: zstd\nmodules_force_load: vfio_pci,vfio,vfio_iommu_type1,nvme\n");
    assertThat(PreparationPlanner.boosterConf("", List.of("vfio_pci"))).isEqualTo("modules_force_load: vfio_pci\n");
  }
}
