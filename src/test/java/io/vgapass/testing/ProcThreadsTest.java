package io.vgapass.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.testing.ProcThreads.Policy;
import io.vgapass.testing.ProcThreads.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProcThreadsTest {

  /** A stat line as the kernel writes it, with the given name and fields 3..52 numbered. */
  private static String statLine(long tid, String name, int nice, int rtPrio, int policy) {
    String rest = IntStream.rangeClosed(3, 52)
        .mapToObj(n -> switch (n) {
          case 3 -> "S";
          case 19 -> Integer.toString(nice);
          case 40 -> Integer.toString(rtPrio);
          case 41 -> Integer.toString(policy);
          default -> Integer.toString(1000 + n);
        })
        .collect(Collectors.joining(" "));
    return tid + " (" + name + ") " + rest + "\n";
  }

  @Test
  void parsesNamesWithSpacesAndParentheses() {
    var s = ProcThreads.parseStat(statLine(4242, "CPU 0/TCG", 0, 0, 0));
    assertThat(s.tid()).isEqualTo(4242);
    assertThat(s.name()).isEqualTo("CPU 0/TCG");
    assertThat(s.state()).isEqualTo('S');

    var io = ProcThreads.parseStat(statLine(7, "IO iothread1", 0, 10, 1));
    assertThat(io.name()).isEqualTo("IO iothread1");
    assertThat(Policy.of(io.policy())).isEqualTo(Policy.FIFO);
    assertThat(io.rtPriority()).isEqualTo(10);

    var evil = ProcThreads.parseStat(statLine(8, "a) (b) 1 2 ", -5, 0, 3));
    assertThat(evil.name()).isEqualTo("a) (b) 1 2 ");
    assertThat(evil.nice()).isEqualTo(-5);
    assertThat(Policy.of(evil.policy())).isEqualTo(Policy.BATCH);
  }

  @Test
  void rejectsWhatIsNoStatLine() {
    assertThatThrownBy(() -> ProcThreads.parseStat("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
    assertThatThrownBy(() -> ProcThreads.parseStat("1 (x) S 2 3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 41");
  }

  @Test
  void policyNumbers() {
    assertThat(Policy.of(0)).isEqualTo(Policy.OTHER);
    assertThat(Policy.of(2)).isEqualTo(Policy.RR);
    assertThat(Policy.of(5)).isEqualTo(Policy.IDLE);
    assertThat(Policy.of(6)).isEqualTo(Policy.DEADLINE);
    assertThat(Policy.of(42)).isEqualTo(Policy.UNKNOWN);
    assertThat(Policy.FIFO.realtime()).isTrue();
    assertThat(Policy.OTHER.realtime()).isFalse();
  }

  @Test
  void readsThisJvmsOwnThreads() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    long pid = ProcessHandle.current().pid();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    // HotSpot gives Java threads their name as the native name (cut to 15 characters)
    Thread t = new Thread(() -> {
      started.countDown();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vgp (t) 1");
    t.start();
    try {
      started.await();
      List<ThreadInfo> threads = ProcThreads.of(pid);

      ThreadInfo leader = threads.stream().filter(x -> x.tid() == pid).findFirst().orElseThrow();
      assertThat(leader.pid()).isEqualTo(pid);
      assertThat(leader.cpusAllowed()).isNotEmpty();
      String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
      assertThat(io.vgapass.host.CpuList.parse(online)).containsAll(leader.cpusAllowed());

      ThreadInfo mine = ProcThreads.named(threads, "vgp (t) 1").orElseThrow(
          () -> new AssertionError("no thread 'vgp (t) 1' among "
              + threads.stream().map(ThreadInfo::name).toList()));
      assertThat(mine.tid()).isNotEqualTo(pid);
      assertThat(mine.policy()).isEqualTo(Policy.OTHER);
      assertThat(mine.rtPriority()).isZero();
      assertThat(mine.cpusAllowedList()).isEqualTo(leader.cpusAllowedList());
      assertThat(threads).extracting(ThreadInfo::pid).containsOnly(pid);
      assertThat(threads).extracting(ThreadInfo::tid).doesNotHaveDuplicates().isSorted();
    } finally {
      done.countDown();
      t.join();
    }
  }

  @Test
  void seesAffinityAndRealtimePolicySetFromOutside() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
    // taskset and chrt (util-linux) set what ProcThreads must read back
    Process p;
    try {
      p = new ProcessBuilder("taskset", "-c", "0", "sleep", "30").start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "taskset not available: " + e.getMessage());
      return;
    }
    try {
      ThreadInfo t = waitForName(p.pid(), "sleep");
      assertThat(t.cpusAllowed()).containsExactly(0);
      assertThat(t.cpusAllowedList()).isEqualTo("0");
      Cmd.Result rt = Cmd.run(Duration.ofSeconds(10), "chrt", "-f", "-p", "7", Long.toString(p.pid()));
      assumeTrue(rt.ok(), "cannot set SCHED_FIFO here: " + rt.err().strip());
      ThreadInfo after = ProcThreads.of(p.pid()).get(0);
      assertThat(after.policy()).isEqualTo(Policy.FIFO);
      assertThat(after.rtPriority()).isEqualTo(7);
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private static ThreadInfo waitForName(long pid, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<ThreadInfo> ts = ProcThreads.of(pid);
      if (!ts.isEmpty() && ts.get(0).name().equals(name)) return ts.get(0);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("process " + pid + " never became '" + name + "': " + ts);
      }
      Thread.sleep(20);
    }
  }
}
