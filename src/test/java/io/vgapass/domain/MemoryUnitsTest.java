package io.vgapass.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libvirt's memory units, each one, and the values and units it would refuse. */
class MemoryUnitsTest {
  /** Bytes per unit, from libvirt's formatdomain ("Memory Allocation"). */
  static final Map<String, Long> LIBVIRT = Map.ofEntries(
      Map.entry("b", 1L), Map.entry("bytes", 1L),
      Map.entry("KB", 1000L), Map.entry("k", 1024L), Map.entry("KiB", 1024L),
      Map.entry("MB", 1000L * 1000), Map.entry("M", 1024L * 1024), Map.entry("MiB", 1024L * 1024),
      Map.entry("GB", 1000L * 1000 * 1000), Map.entry("G", 1024L * 1024 * 1024),
      Map.entry("GiB", 1024L * 1024 * 1024),
      Map.entry("TB", 1000L * 1000 * 1000 * 1000), Map.entry("T", 1024L * 1024 * 1024 * 1024),
      Map.entry("TiB", 1024L * 1024 * 1024 * 1024));

  @Test
  void everyUnitOfLibvirtScalesItsValue() {
    LIBVIRT.forEach((unit, per) -> {
      assertThat(MemoryUnits.bytesPer(unit)).as(unit).isEqualTo(per);
      assertThat(MemoryUnits.bytes("3", unit, "b")).as(unit).isEqualTo(3 * per);
    });
    assertThat(LIBVIRT).hasSize(14);
  }

  @Test
  void caseDoesNotMatterAsInLibvirt() {
    assertThat(MemoryUnits.bytes("2", "kib", "b")).isEqualTo(2048);
    assertThat(MemoryUnits.bytes("2", "GIB", "b")).isEqualTo(2L << 30);
    assertThat(MemoryUnits.bytes("2", "Bytes", "KiB")).isEqualTo(2);
  }

  @Test
  void noUnitMeansTheElementsDefault() {
    assertThat(MemoryUnits.bytes("16", null, "KiB")).isEqualTo(16 * 1024);
    assertThat(MemoryUnits.bytes(" 16\n", null, "b")).isEqualTo(16);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1.5", "-1", "0x10", "1e3", "12 MiB", "１２", "99999999999999999999"})
  void aValueThatIsNotAWholeNumberIsRefused(String value) {
    assertThatThrownBy(() -> MemoryUnits.bytes(value, "KiB", "b")).isInstanceOf(NumberFormatException.class)
        .hasMessageContaining("'" + value + "'");
  }

  @Test
  void aValueTooLargeInBytesIsRefusedRatherThanWrapped() {
    assertThatThrownBy(() -> MemoryUnits.bytes("9000000", "TiB", "b")).isInstanceOf(NumberFormatException.class)
        .hasMessageContaining("too large");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PiB", "kibi", "", "K B", "mebibytes"})
  void anUnknownUnitIsRefusedByName(String unit) {
    assertThatThrownBy(() -> MemoryUnits.bytes("1", unit, "b")).isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(NumberFormatException.class).hasMessage("unknown memory unit '" + unit + "'");
  }
}
