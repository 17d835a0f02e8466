package io.vgapass.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;

class CasesTest {

  @Test
  void theSameSeedGivesTheSameValues() {
    long seed = Cases.runSeed();
    assertThat(draws(new Gen(seed))).isEqualTo(draws(new Gen(seed)));
    assertThat(draws(new Gen(seed))).isNotEqualTo(draws(new Gen(seed + 1)));
  }

  private static List<Object> draws(Gen g) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      out.add(g.between(-5, 1000));
      out.add(g.distinct(10, 0, 50));
      out.add(g.string(10, 'a', 'z'));
    }
    return out;
  }

  @Test
  void aFailureNamesItsSeedAndThatSeedGivesTheSameValueAgain() {
    assumeTrue(System.getProperty(Cases.CASE_PROPERTY) == null, "a replay runs one case only");
    List<DynamicTest> tests = Cases.of(20, g -> g.between(0, 1_000_000)).check(v -> assertThat(v).isNegative()).toList();
    assertThat(tests).hasSize(20);
    AssertionError e = catchThrowableOfType(AssertionError.class, () -> tests.get(3).getExecutable().execute());

    assertThat(e.getMessage()).startsWith("CasesTest.aFailureNamesItsSeedAndThatSeedGivesTheSameValueAgain, case 4 of 20")
        .contains("-Dtest='CasesTest#aFailureNamesItsSeedAndThatSeedGivesTheSameValueAgain'")
        .contains(String.format("-Dvgapass.seed=0x%016x", Cases.runSeed()));
    Matcher m = Pattern.compile("-Dvgapass.case=0x([0-9a-f]{16}); .*\\): (\\d+)\n").matcher(e.getMessage());
    assertThat(m.find()).as(e.getMessage()).isTrue();
    assertThat(new Gen(Long.parseUnsignedLong(m.group(1), 16)).between(0, 1_000_000))
        .isEqualTo(Integer.parseInt(m.group(2)));
    assertThat(e.getCause()).hasMessageContaining("to be less than");
  }

  @Test
  void fixedCasesRunFirstAndEveryTime() {
    assumeTrue(System.getProperty(Cases.CASE_PROPERTY) == null, "a replay runs one case only");
    List<Integer> seen = new ArrayList<>();
    List<DynamicTest> tests = Cases.of(3, g -> g.between(10, 20)).fixed(1, 2).check(seen::add).toList();
    assertThat(tests).extracting(DynamicTest::getDisplayName).startsWith("fixed 1: 1", "fixed 2: 2");
    for (DynamicTest t : tests) {
      run(t);
    }
    assertThat(seen).hasSize(5).startsWith(1, 2);
    assertThat(seen.subList(2, 5)).allSatisfy(v -> assertThat(v).isBetween(10, 20));
  }

  private static void run(DynamicTest t) {
    try {
      t.getExecutable().execute();
    } catch (Throwable e) {
      throw new AssertionError(t.getDisplayName() + " failed", e);
    }
  }

  @Test
  void rangesReachTheirEnds() {
    Gen g = new Gen(Cases.runSeed());
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) seen.add(g.between(1, 16384));
    assertThat(seen).contains(1, 16384);
  }

  @Test
  void untilGivesUpLoudly() {
    Gen g = new Gen(1);
    int seven = g.until(x -> x.between(0, 9), v -> v == 7);
    assertThat(seven).isEqualTo(7);
    assertThatThrownBy(() -> g.until(x -> x.between(0, 9), v -> v > 9)).hasMessageContaining("no generated value");
  }

  @Test
  void stringsAreShownWithTheirInvisibleCharacters() {
    assertThat(Cases.describe("a\tb\n\"c\\" + "\u0001" + "😀" + "\ud800")).isEqualTo("\"a\\tb\\n\\\"c\\\\\\u0001😀\\ud800\"");
    assertThat(Cases.describe(List.of(1))).isEqualTo("[1]");
  }
}
