package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad Looking Glass input: exit 2, one line naming the input and the fix, nothing written or changed. */
class LookingGlassBadInputTest {
  private static final String DOMAIN = PlanBadInputTest.DOMAIN;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"0x0", "abc"})
  void badResolution(String res) throws IOException {
    Path in = dir.resolve("in.xml");
    Files.writeString(in, DOMAIN);
    Path out = dir.resolve("out.xml");
    String root = TestHosts.root(TestHosts.MODERN).toString();
    refused(CliRunner.run("plan", "--sysroot", root, "--xml-out", out.toString(), "--looking-glass", "--resolution",
        res), res);
    refused(CliRunner.run("vm", "tune", "--in", in.toString(), "--out", out.toString(), "--sysroot", root,
        "--looking-glass", "--resolution", res), res);
    refused(CliRunner.run("looking-glass", "setup", "--sysroot", root, "--resolution", res), res);
    assertThat(Files.readString(in)).isEqualTo(DOMAIN);
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("in.xml");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--hdr", "--resolution=2560x1440", "--looking-glass-video=vga"})
  void subFlagsAloneAreAMistake(String flag) {
    List<String> args = new ArrayList<>(List.of("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(),
        flag));
    CliRunner.Result r = CliRunner.run(args);
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).startsWith("vgapass: ").contains("add --looking-glass");
  }

  @ParameterizedTest
  @ValueSource(strings = {"vnc", "qxl"})
  void unknownVideo(String video) {
    CliRunner.Result r = CliRunner.run("plan", "--sysroot", TestHosts.root(TestHosts.MODERN).toString(),
        "--looking-glass", "--looking-glass-video", video);
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("--looking-glass-video " + video, "none", "vga");
  }

  private static void refused(CliRunner.Result r, String res) {
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).as("%s", r).startsWith("vgapass: ").endsWith("\n");
    assertThat(r.err().strip().lines()).as("one line: %s", r).hasSize(1);
    assertThat(r.err()).contains("--resolution " + res, "1920x1080").doesNotContain("Exception");
  }
}
