package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.cli.ExitCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * host apply asks before it changes anything, and reads the answer from the stdin Main was given: a test types it.
 * Without a terminal it refuses and asks for --yes, as before.
 */
class ConfirmOnStdinTest {
  private static final String HOST = "debian12";
  @TempDir Path tmp;

  private CliRunner.Result withoutTerminal() {
    Path root = Trees.write(HOST, tmp.resolve("none"));
    return CliRunner.run("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST));
  }

  @Test
  void noChangesWhenTheAnswerIsNo() {
    Path root = Trees.write(HOST, tmp.resolve("no"));
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result r = CliRunner.typing("n\n", "host", "apply", "--sysroot", root.toString(), "--gpu",
        Trees.gpu(HOST));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("Apply these changes? [y/N] ").endsWith("nothing was changed\n");
    assertThat(Trees.hashes(root)).isEqualTo(before);
  }

  @Test
  void appliesWhenTheAnswerIsYes() {
    Path root = Trees.write(HOST, tmp.resolve("yes"));
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result r = CliRunner.typing("yes\n", "host", "apply", "--sysroot", root.toString(), "--gpu",
        Trees.gpu(HOST));
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.OK);
    assertThat(r.out()).contains("Apply these changes? [y/N] ").doesNotContain("nothing was changed");
    assertThat(Trees.hashes(root)).isNotEqualTo(before);
  }

  @Test
  void withoutATerminalItAsksForYes() {
    CliRunner.Result r = withoutTerminal();
    assertThat(r.code()).as("%s", r).isEqualTo(ExitCode.USAGE);
    assertThat(r.errLines()).singleElement().asString().contains("no terminal to confirm").contains("--yes");
  }
}
