package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.LookingGlassDomains;
import io.vgapass.domain.XmlDoc;
import org.junit.jupiter.api.Test;

/** The two readers of libvirt's units in an existing domain, through the one table (domain.MemoryUnits). */
class DomainUnitsTest {
  private static XmlDoc domain(String inner) {
    return XmlDoc.parse("win10", "<domain type='kvm'><name>win10</name>" + inner + "<devices/></domain>");
  }

  private static XmlDoc shmem(String size) {
    return XmlDoc.parse("win10", "<domain type='kvm'><name>win10</name><devices><shmem name='looking-glass'>"
        + "<model type='ivshmem-plain'/>" + size + "</shmem></devices></domain>");
  }

  @Test
  void memoryIsKiBByDefaultAndScaledByEveryUnit() {
    assertThat(DomainFacts.memoryKiB(domain("<memory>1048576</memory>"))).isEqualTo(1048576L);
    assertThat(DomainFacts.memoryKiB(domain("<memory unit='GiB'>8</memory>"))).isEqualTo(8L * 1024 * 1024);
    assertThat(DomainFacts.memoryKiB(domain("<memory unit='GB'>1</memory>"))).isEqualTo(1_000_000_000L / 1024);
    assertThat(DomainFacts.memoryKiB(domain("<memory unit='bytes'>4096</memory>"))).isEqualTo(4L);
    assertThat(DomainFacts.memoryKiB(domain(""))).isNull();
  }

  @Test
  void badMemoryIsOneLineNamingTheDomain() {
    assertThatThrownBy(() -> DomainFacts.memoryKiB(domain("<memory unit='PiB'>1</memory>")))
        .isInstanceOf(UserError.class).hasMessage("win10: unknown memory unit 'PiB'");
    assertThatThrownBy(() -> DomainFacts.memoryKiB(domain("<memory unit='KiB'>lots</memory>")))
        .isInstanceOf(UserError.class).hasMessageContaining("<memory> is 'lots', not a number");
  }

  @Test
  void shmemIsBytesByDefaultAndTakesTheSameUnitsAsMemory() {
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size unit='M'>32</size>"))).isEqualTo(32);
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size>67108864</size>"))).isEqualTo(64);
    // the units shmemMiB did not know before the one table: bytes, TB/TiB
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size unit='bytes'>33554432</size>"))).isEqualTo(32);
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size unit='T'>1</size>"))).isEqualTo(1024 * 1024);
  }

  @Test
  void shmemThatLibvirtWouldRefuseIsUnknownNotAGuess() {
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size unit='parsecs'>32</size>"))).isNull();
    assertThat(LookingGlassDomains.shmemMiB(shmem("<size unit='M'>lots</size>"))).isNull();
    assertThat(LookingGlassDomains.shmemMiB(shmem(""))).isNull();
  }
}
