package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host apply and host undo end with one "next:" line: the exact command with this host's values (its card, its root),
 * so the user is led on instead of left with "applied".
 */
class NextStepLineTest {
  @TempDir Path tmp;

  @Test
  void applyEndsWithRebootThenStatusAndPlanForItsCard() {
    Path root = Trees.write("fedora39", tmp);
    CliRunner.Result a = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", "0000:01:00.0", "--yes");
    assertThat(a.code()).as("%s", a).isZero();
    assertThat(lastLine(a)).isEqualTo("next: reboot, then vgapass host status --sysroot " + root + ", then vgapass plan "
        + "--gpu 0000:01:00.0 --sysroot " + root);
    assertThat(nextLines(a)).hasSize(1);

    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as("%s", u).isZero();
    assertThat(lastLine(u)).isEqualTo("next: reboot, then vgapass doctor --sysroot " + root);
  }

  @Test
  void aDryRunOrNothingToUndoHasNoNextLine() {
    Path root = Trees.write("debian12", tmp);
    CliRunner.Result dry = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu("debian12"),
        "--dry-run");
    assertThat(dry.code()).as("%s", dry).isZero();
    assertThat(nextLines(dry)).isEmpty();
    CliRunner.Result none = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(none.out()).contains("nothing to undo");
    assertThat(nextLines(none)).isEmpty();
  }

  private static String lastLine(CliRunner.Result r) {
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    return lines.get(lines.size() - 1);
  }

  private static List<String> nextLines(CliRunner.Result r) {
    return r.out().lines().filter(l -> l.startsWith("next: ")).toList();
  }
}
