package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class CpuListTest {
  @Test
  void parsesRangesAndSingles() {
    assertThat(CpuList.parse("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
    assertThat(CpuList.parse("")).isEmpty();
    assertThat(CpuList.parse(" 5 \n")).containsExactly(5);
  }

  @Test
  void formatsCompactly() {
    assertThat(CpuList.format(List.of(8, 0, 1, 2, 3, 10, 11))).isEqualTo("0-3,8,10-11");
    assertThat(CpuList.format(List.of())).isEmpty();
  }

  @Test
  void garbageNamesTheText() {
    assertThatThrownBy(() -> CpuList.parse("banana")).hasMessageContaining("'banana' is not a CPU list");
    assertThatThrownBy(() -> CpuList.parse("3-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void formatThenParseIsIdentity(@ForAll @Size(max = 40) @UniqueElements List<@IntRange(max = 300) Integer> cpus) {
    List<Integer> sorted = new ArrayList<>(cpus);
    sorted.sort(null);
    assertThat(CpuList.parse(CpuList.format(cpus))).isEqualTo(sorted);
  }
}
