package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.Cases;
import io.vgapass.testing.Gen;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

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

  @TestFactory
  Stream<DynamicTest> formatThenParseIsIdentity() {
    return Cases.of(200, CpuListTest::cpuLists)
        .fixed(List.of(), List.of(0), List.of(300), List.of(300, 0), List.of(5, 3, 4), List.of(0, 2, 4, 6),
            IntStream.rangeClosed(0, 39).boxed().toList(), IntStream.iterate(300, i -> i - 7).limit(40).boxed().toList())
        .check(cpus -> {
          List<Integer> sorted = new ArrayList<>(cpus);
          sorted.sort(null);
          assertThat(CpuList.parse(CpuList.format(cpus))).isEqualTo(sorted);
        });
  }

  /**
   * Up to 40 different CPUs from 0 to 300, in any order. Half the lists are drawn from a window only twice their
   * size, so that they hold the runs that format writes as ranges.
   */
  static List<Integer> cpuLists(Gen g) {
    int top = g.bool() ? 300 : g.between(0, 80);
    return g.distinct(40, 0, top);
  }

  @Test
  void theGeneratorReachesTheEdges() {
    Gen g = new Gen(Cases.runSeed());
    Set<Integer> sizes = new HashSet<>();
    boolean ranges = false;
    for (int i = 0; i < 2_000; i++) {
      List<Integer> cpus = cpuLists(g);
      sizes.add(cpus.size());
      ranges |= CpuList.format(cpus).contains("-");
      assertThat(cpus).doesNotHaveDuplicates().allSatisfy(c -> assertThat(c).isBetween(0, 300));
    }
    assertThat(sizes).as("empty, one-element and the largest lists").contains(0, 1, 40);
    assertThat(ranges).as("lists with runs of CPUs").isTrue();
  }
}
