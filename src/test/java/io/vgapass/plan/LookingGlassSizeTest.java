package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.testing.Cases;
import io.vgapass.testing.Gen;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Looking Glass's size rule: w x h x BPP x 2 in MiB, + 10 MiB, up to the next power of two. */
class LookingGlassSizeTest {

  @ParameterizedTest(name = "{0} hdr={1} -> {2} MiB")
  @CsvSource({
    // the table (Looking Glass's documentation)
    "1920x1080, false, 32", "2560x1440, false, 64", "3840x2160, false, 128", "3840x2160, true, 256",
    // odd ones: ultrawide 37.8 + 10 -> 64; 5120x1440 HDR 112.5 + 10 -> 128; 720p 7.0 + 10 -> 32
    "3440x1440, false, 64", "5120x1440, true, 128", "1280x720, false, 32",
    "1920x1080, true, 64", "7680x4320, false, 512"})
  void sizeFollowsTheRule(String resolution, boolean hdr, int mib) {
    LookingGlassRequest r = LookingGlassRequest.parse(resolution, hdr, null);
    assertThat(LookingGlassSpec.of(r, LookingGlassSpec.Mode.IVSHMEM).sizeMiB()).isEqualTo(mib);
  }

  record Screen(int width, int height, boolean hdr) {}

  @TestFactory
  Stream<DynamicTest> aPowerOfTwoThatHoldsTwoFramesAndTenMiB() {
    return Cases.of(1000, LookingGlassSizeTest::screens)
        .fixed(new Screen(1, 1, false), new Screen(16384, 16384, true), new Screen(1, 16384, false),
            new Screen(16384, 1, true), new Screen(1366, 768, false), new Screen(3441, 1439, true),
            // two frames + 10 MiB exactly a power of two: 2048x1408x4x2 = 22 MiB, 2048x1728x8x2 = 54 MiB
            new Screen(2048, 1408, false), new Screen(2048, 1728, true),
            // one column more: the next power of two
            new Screen(2049, 1408, false), new Screen(2049, 1728, true))
        .check(s -> {
          long size = (long) LookingGlassSpec.sizeMiB(s.width(), s.height(), s.hdr()) << 20;
          long need = (long) s.width() * s.height() * (s.hdr() ? 8 : 4) * 2 + (10L << 20);
          assertThat(Long.bitCount(size)).isEqualTo(1);
          assertThat(size).isGreaterThanOrEqualTo(need).isLessThan(2 * need);
        });
  }

  /** Any width and height the parser accepts (1 to 16384), odd ones as often as even ones. */
  static Screen screens(Gen g) {
    return new Screen(g.between(1, 16384), g.between(1, 16384), g.bool());
  }

  @Test
  void theGeneratorReachesTheEdges() {
    Gen g = new Gen(Cases.runSeed());
    Set<Integer> widths = new HashSet<>();
    boolean oddBoth = false;
    for (int i = 0; i < 2_000; i++) {
      Screen s = screens(g);
      widths.add(s.width());
      oddBoth |= s.width() % 2 == 1 && s.height() % 2 == 1;
    }
    assertThat(widths).contains(1, 16384);
    assertThat(oddBoth).as("odd resolutions").isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x0", "abc", "1920", "1920x", "x1080", "-1x5", "1920x0", "20000x1080", "1920*1080"})
  void badResolutionsNameTheInputAndTheFix(String text) {
    assertThatThrownBy(() -> LookingGlassRequest.parse(text, false, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--resolution " + text + ": ")
        .hasMessageContaining("1920x1080")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1920x1080", " 2560X1440 ", "3840×2160"})
  void writtenAsUsersWriteThem(String text) {
    assertThat(LookingGlassRequest.parse(text, false, null).width()).isGreaterThan(1000);
  }
}
