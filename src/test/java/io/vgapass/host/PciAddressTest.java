package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PciAddressTest {
  @Test
  void shortAndFullFormsPrintFull() {
    assertThat(PciAddress.parse("01:00.1")).hasToString("0000:01:00.1");
    assertThat(PciAddress.parse("0000:2b:00.3")).hasToString("0000:2b:00.3");
    assertThat(PciAddress.parse("10000:00:1f.2")).hasToString("10000:00:1f.2");
  }

  @Test
  void sameSlotIgnoresFunction() {
    assertThat(PciAddress.parse("01:00.0").sameSlot(PciAddress.parse("0000:01:00.1"))).isTrue();
    assertThat(PciAddress.parse("01:00.0").sameSlot(PciAddress.parse("0000:02:00.0"))).isFalse();
  }

  @Test
  void rejectsWithTheFix() {
    assertThatThrownBy(() -> PciAddress.parse("1:0.0")).hasMessageContaining("0000:01:00.0");
    assertThatThrownBy(() -> PciAddress.parse("01:20.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PciAddress.parse("01:00.8")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ordersByBusSlotFunction() {
    assertThat(PciAddress.parse("00:1f.3")).isLessThan(PciAddress.parse("01:00.0"));
    assertThat(PciAddress.parse("01:00.0")).isLessThan(PciAddress.parse("01:00.1"));
  }
}
