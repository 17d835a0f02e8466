package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture distro: dry run changes nothing, apply then undo is byte for byte, apply twice is a no-op. */
class DistroApplyTest {
  @TempDir Path tmp;

  static String[] distros() {
    return Trees.DISTROS;
  }

  private CliRunner.Result apply(Path root, String host, String... extra) {
    String[] base = {"host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(host)};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return Trees.cli(all);
  }

  @ParameterizedTest
  @MethodSource("distros")
  void dryRunShowsDiffsAndChangesNothing(String host) {
    Path root = Trees.write(host, tmp);
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result r = apply(root, host, "--dry-run");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dry run: nothing was changed").contains("changes, in order:");
    if (!host.equals("popos")) assertThat(r.out()).contains("+++ b/etc/");
    assertThat(Trees.hashes(root)).isEqualTo(before);
    assertThat(Files.exists(root.resolve(Journal.DIR))).isFalse();
  }

  @ParameterizedTest
  @MethodSource("distros")
  void applyThenUndoRestoresEveryByte(String host) {
    Path root = Trees.write(host, tmp);
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result a = apply(root, host, "--yes");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(a.out()).contains("applied (journal").contains("press e");
    if (!host.equals("popos")) assertThat(Trees.hashes(root)).isNotEqualTo(before);
    CliRunner.Result u = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(u.out()).contains("undone: transaction");
    assertThat(Trees.hashes(root)).isEqualTo(before);
    CliRunner.Result again = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(again.out()).contains("nothing to undo");
  }

  @ParameterizedTest
  @MethodSource("distros")
  void applyTwiceChangesNothingTheSecondTime(String host) {
    Path root = Trees.write(host, tmp);
    assertThat(apply(root, host, "--yes").code()).isZero();
    Map<String, String> once = Trees.hashes(root);
    CliRunner.Result second = apply(root, host, "--yes");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("nothing to change");
    assertThat(Trees.hashes(root)).isEqualTo(once);
    assertThat(new Journal(new io.vgapass.host.SysRoot(root)).transactions()).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("distros")
  void withIsolationAndHugepagesThenUndo(String host) {
    Path root = Trees.write(host, tmp);
    Map<String, String> before = Trees.hashes(root);
    CliRunner.Result a = apply(root, host, "--yes", "--static-isolation", "2-5", "--boot-hugepages", "1G:8");
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(a.out()).contains("isolcpus=2-5 nohz_full=2-5 rcu_nocbs=2-5")
        .contains("default_hugepagesz=1G hugepagesz=1G hugepages=8");
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(before);
  }
}
