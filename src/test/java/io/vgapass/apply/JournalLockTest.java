package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.cli.CliRunner;
import io.vgapass.host.SysRoot;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run at a time changes the host: a second apply or undo while one runs (another thread or another
 * process) is turned away in one line and changes nothing, status says a run is in progress, two applies
 * started together leave one whole transaction, and a holder killed with SIGKILL blocks nobody.
 */
class JournalLockTest {
  private static final String HOST = "debian12";
  @TempDir Path tmp;

  private CliRunner.Result apply(Path root) {
    return Trees.cli("host", "apply", "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes");
  }

  private Map<String, String> appliedTree() {
    Path b = Trees.write(HOST, tmp.resolve("reference"));
    assertThat(apply(b).code()).isZero();
    return Trees.hashes(b);
  }

  private static void assertTurnedAway(CliRunner.Result r, String holder) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("vgapass: another vgapass is changing this host now (" + holder)
        .contains("lock /" + JournalLock.FILE).contains("nothing was changed").doesNotContain("\n");
  }

  @Test
  void aRunWhileAnotherThreadAppliesIsTurnedAwayAndStatusSaysSo() throws Exception {
    Path root = Trees.write(HOST, tmp.resolve("root"));
    Map<String, String> before = Trees.hashes(root);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StepHook holdAfterTheJournal = point -> {
      if (point.startsWith("before step 1")) {
        inside.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread first = new Thread(() -> {
      try {
        new Applier(new SysRoot(root), new ListingRunner(null), l -> { }, holdAfterTheJournal)
            .apply(CrashTest.plan(root, HOST).changes(), Map.of());
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    first.start();
    assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
    String pid = "pid " + ProcessHandle.current().pid() + ": host apply";
    assertTurnedAway(apply(root), pid);
    assertTurnedAway(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes"), pid);
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.out()).contains("in progress: another vgapass is changing the host now (" + pid)
        .doesNotContain("interrupted:");
    release.countDown();
    first.join(60_000);
    assertThat(failure.get()).isNull();
    // the lock is free again; the second apply now plans over the first's result
    CliRunner.Result again = apply(root);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("nothing to change");
    assertThat(Trees.cli("host", "status", "--sysroot", root.toString()).out()).doesNotContain("in progress");
    assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
    assertThat(Trees.hashes(root)).isEqualTo(before);
  }

  /** The race of the issue: two applies started in the same instant, three times over. */
  @Test
  void twoAppliesStartedTogetherLeaveOneWholeTransaction() throws Exception {
    Map<String, String> neu = appliedTree();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        Path root = Trees.write(HOST, tmp.resolve("r" + round));
        Map<String, String> before = Trees.hashes(root);
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<CliRunner.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          runs.add(pool.submit(() -> {
            start.await(60, TimeUnit.SECONDS);
            return apply(root);
          }));
        }
        int applied = 0;
        for (Future<CliRunner.Result> f : runs) {
          CliRunner.Result r = f.get(300, TimeUnit.SECONDS);
          if (r.code() == 2) {
            assertTurnedAway(r, "pid ");
          } else {
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            if (r.out().contains("applied (journal")) applied++;
          }
        }
        assertThat(applied).as("round " + round).isEqualTo(1);
        Journal j = new Journal(new SysRoot(root));
        assertThat(j.damaged()).as("round " + round).isEmpty();
        assertThat(j.transactions()).singleElement().extracting(Transaction::state).isEqualTo(Transaction.COMMITTED);
        assertThat(Trees.hashes(root)).isEqualTo(neu);
        CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(Trees.cli("host", "undo", "--sysroot", root.toString(), "--yes").code()).isZero();
        assertThat(Trees.hashes(root)).isEqualTo(before);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Another process holds the lock: turned away with its pid; killed with SIGKILL, it blocks nobody. */
  @Test
  void aHolderInAnotherProcessTurnsUsAwayAndItsDeathFreesTheLock() throws Exception {
    Map<String, String> neu = appliedTree();
    Path root = Trees.write(HOST, tmp.resolve("root"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // boundary 2: the journal entry is in place ("before step 1"), nothing changed yet
    Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), "-Dvgapass.test.pauseAt=2", "io.vgapass.cli.Main", "host", "apply",
        "--sysroot", root.toString(), "--gpu", Trees.gpu(HOST), "--yes").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("vgapass-test: paused at")) {
        // the plan and the progress lines
      }
      assertThat(line).as("the child reached its pause").isNotNull();
      String pid = "pid " + child.pid() + ": host apply";
      assertTurnedAway(apply(root), pid);
      CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
      assertThat(s.out()).contains("in progress: another vgapass is changing the host now (" + pid);
    } finally {
      child.destroyForcibly(); // SIGKILL: no clean-up runs in the child
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    CliRunner.Result s = Trees.cli("host", "status", "--sysroot", root.toString());
    assertThat(s.out()).doesNotContain("in progress").contains("interrupted: ");
    CliRunner.Result r = apply(root);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("note: rolled back the interrupted apply");
    assertThat(Trees.hashes(root)).isEqualTo(neu);
    assertThat(new Journal(new SysRoot(root)).transactions()).extracting(Transaction::state)
        .containsExactly(Transaction.ROLLED_BACK, Transaction.COMMITTED);
  }
}
