package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
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

    @Property
    void aPowerOfTwoThatHoldsTwoFramesAndTenMiB(@ForAll @IntRange(min = 1, max = 16384) int w,
            @ForAll @IntRange(min = 1, max = 16384) int h, @ForAll boolean hdr) {
        long size = (long) LookingGlassSpec.sizeMiB(w, h, hdr) << 20;
        long need = (long) w * h * (hdr ? 8 : 4) * 2 + (10L << 20);
        assertThat(Long.bitCount(size)).isEqualTo(1);
        assertThat(size).isGreaterThanOrEqualTo(need).isLessThan(2 * need);
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
