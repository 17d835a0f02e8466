package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CPU masks as old kernels write them, and the order of CPU flags. (Lists: CpuListTest on main.) */
class CpuMaskTest {
  @Test
  void masksAsOldKernelsWriteThem() {
    assertThat(CpuList.parseMask("00000000,00000101")).containsExactly(0, 8);
    assertThat(CpuList.parseMask("0000f000")).containsExactly(12, 13, 14, 15);
    assertThat(CpuList.parseMask("0000,88888888,88888888")).hasSize(16).startsWith(3, 7).endsWith(63);
    assertThat(CpuList.parseMask("00000000")).isEmpty();
    assertThatThrownBy(() -> CpuList.parseMask("zz,1")).hasMessageContaining("zz,1");
  }

  @Test
  void flagsAreSortedSoJsonIsStable() {
    CpuTopology t = new CpuTopology("m", "v", Set.of("vmx", "ht", "pdpe1gb", "constant_tsc"), List.of());
    assertThat(t.flags()).containsExactly("constant_tsc", "ht", "pdpe1gb", "vmx");
  }
}
