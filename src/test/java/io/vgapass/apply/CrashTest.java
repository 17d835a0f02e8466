package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.HostReader;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stops an apply (and an undo) at every step boundary, by a thrown {@link StepHook.SimulatedCrash} (no roll-back
 * runs, as if the process died) and by a real SIGKILL of a child JVM; afterwards every file holds either its
 * old or its new bytes, and undo gives the old tree back, a new apply the new one.
 */
class CrashTest {
  @TempDir Path tmp;

  static Preparation plan(Path root, String host) {
    SysRoot r = new SysRoot(root);
    return PreparationPlanner.plan(r, HostReader.read(r), new HostRequest(PciAddress.parse(Trees.gpu(host)), List.of(),
        null), new Journal(r).commandsInEffect());
  }

  static Applier applier(Path root, CommandRunner runner, StepHook hook, List<String> log) {
    return new Applier(new SysRoot(root), runner, log::add, hook);
  }

  static void applyClean(Path root, String host) {
    applier(root, new ListingRunner(null), StepHook.NONE, new ArrayList<>()).apply(plan(root, host).changes(), Map.of());
  }

  /** Every path is whole: the old bytes or the new ones, never anything else. */
  static void assertWhole(Map<String, String> now, Map<String, String> old, Map<String, String> neu, String when) {
    TreeSet<String> paths = new TreeSet<>(now.keySet());
    paths.addAll(old.keySet());
    paths.addAll(neu.keySet());
    for (String p : paths) {
      String h = now.get(p);
      assertThat(h == null ? !old.containsKey(p) || !neu.containsKey(p) : h.equals(old.get(p)) || h.equals(neu.get(p)))
          .as(when + ": " + p + " is neither its old nor its new version").isTrue();
    }
  }

  private Map<String, String> newTree(String host) {
    Path b = Trees.write(host, tmp.resolve("new"));
    applyClean(b, host);
    return Trees.hashes(b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedora39", "endeavouros-sdboot", "twin-rx580"})
  void applyStoppedAtEveryBoundaryThenUndoOrReapply(String host) {
    Map<String, String> old = Trees.hashes(Trees.write(host, tmp.resolve("old")));
    Map<String, String> neu = newTree(host);
    int boundaries = 0;
    for (int n = 1; ; n++) {
      boolean crashed = false;
      for (boolean undo : new boolean[] {true, false}) {
        Path root = Trees.write(host, tmp.resolve("n" + n + (undo ? "u" : "r")));
        StepHook.Counting hook = new StepHook.Counting(n, 0);
        try {
          applier(root, new ListingRunner(null), hook, new ArrayList<>()).apply(plan(root, host).changes(), Map.of());
        } catch (StepHook.SimulatedCrash e) {
          crashed = true;
        }
        if (!crashed) break;
        assertWhole(Trees.hashes(root), old, neu, host + " stopped at boundary " + n);
        if (undo) {
          CliRunner.Result r = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
          assertThat(r.code()).as(r.out() + r.err()).isZero();
          assertThat(Trees.hashes(root)).as("undo after boundary " + n).isEqualTo(old);
        } else {
          CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--yes");
          assertThat(r.code()).as(r.out() + r.err()).isZero();
          assertThat(Trees.hashes(root)).as("re-apply after boundary " + n).isEqualTo(neu);
        }
      }
      if (!crashed) break;
      boundaries = n;
    }
    assertThat(boundaries).as("boundaries seen").isGreaterThan(8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fedora39", "twin-rx580"})
  void undoStoppedAtEveryBoundaryIsFinishedByRunningItAgain(String host) {
    Map<String, String> old = Trees.hashes(Trees.write(host, tmp.resolve("old")));
    Map<String, String> neu = newTree(host);
    for (int n = 1; ; n++) {
      Path root = Trees.write(host, tmp.resolve("u" + n));
      applyClean(root, host);
      try {
        applier(root, new ListingRunner(null), new StepHook.Counting(n, 0), new ArrayList<>()).undo(false);
        break;
      } catch (StepHook.SimulatedCrash e) {
        assertWhole(Trees.hashes(root), old, neu, "undo stopped at " + n);
      }
      CliRunner.Result r = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
      assertThat(r.code()).as(r.out() + r.err()).isZero();
      assertThat(Trees.hashes(root)).as("undo re-run after boundary " + n).isEqualTo(old);
    }
  }

  @Test
  void aFailingCommandRollsEverythingBack() {
    Path root = Trees.write("fedora39", tmp);
    Map<String, String> old = Trees.hashes(root);
    List<String> log = new ArrayList<>();
    Applier a = applier(root, new ListingRunner("dracut -f --kver 6.8"), StepHook.NONE, log);
    assertThatThrownBy(() -> a.apply(plan(root, "fedora39").changes(), Map.of()))
        .isInstanceOf(Applier.Failed.class)
        .hasMessageContaining("dracut -f --kver 6.8.9-200.fc39.x86_64 failed (exit 1)")
        .hasMessageContaining("rolled back");
    assertThat(Trees.hashes(root)).isEqualTo(old);
    assertThat(a.journal().transactions()).singleElement().extracting(Transaction::state).isEqualTo("rolled-back");
    String all = String.join("\n", log);
    assertThat(all).containsPattern("take back: .*grubby --update-kernel=ALL '--remove-args=intel_iommu=on iommu=pt'")
        .containsPattern("regenerate: .*dracut -f --kver 6.1.14-200.fc39.x86_64")
        .doesNotContain("take back: semodule");
  }

  @Test
  void aFailingCommandExitsThreeThroughTheCli() {
    Path root = Trees.write("debian12", tmp);
    Map<String, String> old = Trees.hashes(root);
    System.setProperty(ListingRunner.FAIL_PROPERTY, "update-initramfs");
    try {
      CliRunner.Result r = Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu("debian12"), "--yes");
      assertThat(r.code()).isEqualTo(3);
      assertThat(r.err()).contains("update-initramfs -u -k all failed").contains("rolled back");
    } finally {
      System.clearProperty(ListingRunner.FAIL_PROPERTY);
    }
    assertThat(Trees.hashes(root)).isEqualTo(old);
  }

  @Test
  void aFailingInverseStopsUndoAndARerunFinishesIt() {
    Path root = Trees.write("fedora39", tmp);
    Map<String, String> old = Trees.hashes(root);
    applyClean(root, "fedora39");
    Applier bad = applier(root, new ListingRunner("--remove-args"), StepHook.NONE, new ArrayList<>());
    assertThatThrownBy(() -> bad.undo(false)).isInstanceOf(Applier.Failed.class)
        .hasMessageContaining("run vgapass host undo again");
    assertThat(bad.journal().transactions().get(0).state()).isEqualTo("undoing");
    CliRunner.Result r = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(old);
  }

  @Test
  void undoRefusesWhenSomeoneEditedAFileSince() throws Exception {
    Path root = Trees.write("debian12", tmp);
    applyClean(root, "debian12");
    java.nio.file.Files.writeString(root.resolve("etc/default/grub"), "# edited by hand\n",
        java.nio.file.StandardOpenOption.APPEND);
    Map<String, String> edited = Trees.hashes(root);
    CliRunner.Result r = Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("/etc/default/grub was changed after vgapass wrote it").contains("--force");
    assertThat(Trees.hashes(root)).isEqualTo(edited);
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes", "--force").code()).isZero();
    assertThat(Trees.read(root, "etc/default/grub")).doesNotContain("iommu=pt").doesNotContain("edited by hand");
  }

  /** A real SIGKILL of a child JVM paused at each boundary of an apply on Debian 12. */
  @Test
  void sigkillAtEveryBoundary() throws Exception {
    String host = "debian12";
    Map<String, String> old = Trees.hashes(Trees.write(host, tmp.resolve("old")));
    Map<String, String> neu = newTree(host);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int killed = 0;
    for (int n = 1; n < 100; n++) {
      Path root = Trees.write(host, tmp.resolve("k" + n));
      Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
          System.getProperty("java.class.path"), "-Dvgapass.test.pauseAt=" + n, "io.vgapass.cli.Main", "host", "apply",
          "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--yes").redirectErrorStream(true).start();
      boolean paused = false;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("vgapass-test: paused at")) {
            paused = true;
            p.destroyForcibly(); // SIGKILL
            break;
          }
        }
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (!paused) {
        assertThat(p.exitValue()).isZero();
        assertThat(Trees.hashes(root)).isEqualTo(neu);
        break;
      }
      killed++;
      assertWhole(Trees.hashes(root), old, neu, "killed at boundary " + n);
      if (n % 2 == 1) {
        assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
        assertThat(Trees.hashes(root)).as("undo after kill at " + n).isEqualTo(old);
      } else {
        assertThat(Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(host), "--yes").code())
            .isZero();
        assertThat(Trees.hashes(root)).as("re-apply after kill at " + n).isEqualTo(neu);
      }
    }
    assertThat(killed).isGreaterThan(8);
  }
}
