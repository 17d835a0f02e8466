package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTaskTest {
  @TempDir Path dir;

  private void task(String rel, String stat, String allowed) throws IOException {
    Files.createDirectories(dir.resolve(rel));
    Files.writeString(dir.resolve(rel + "/stat"), stat);
    if (allowed != null) Files.writeString(dir.resolve(rel + "/status"), "Name:\tx\nCpus_allowed_list:\t" + allowed + "\n");
  }

  private static String stat(long pid, String name, long ppid, long flags, int rt, int policy) {
    StringBuilder b = new StringBuilder(pid + " (" + name + ") S " + ppid + " 0 0 0 -1 " + flags);
    for (int i = 7; i < 37; i++) b.append(" 0");
    return b.append(' ').append(rt).append(' ').append(policy).append(" 0 0\n").toString();
  }

  @Test
  void aThreadWhoseNameHoldsSpacesAndParenthesesIsReadAfterTheLastParenthesis() throws IOException {
    task("proc/7/task/9", stat(9, "IO (iothread1) x", 1, 0x40, 10, 1), "0-1,3");
    ProcTask t = ProcTask.read(new SysRoot(dir), "proc/7/task/9").orElseThrow();
    assertThat(t.name()).isEqualTo("IO (iothread1) x");
    assertThat(t.ppid()).isEqualTo(1);
    assertThat(t.policy()).isEqualTo(1);
    assertThat(t.rtPriority()).isEqualTo(10);
    assertThat(t.allowed()).containsExactly(0, 1, 3);
    assertThat(t.kthread()).isFalse();
    assertThat(t.perCpu()).isFalse();
  }

  @Test
  void kernelThreadsAndTheirBindingComeFromTheFlags() throws IOException {
    task("proc/10", stat(10, "kcompactd0", 2, 0x00200040L, 0, 0), "0-3");
    task("proc/12", stat(12, "kworker/u8:1", 2, 0x04208060L, 0, 0), "0-3");
    task("proc/11", stat(11, "ksoftirqd/2", 2, 0x00208040L, 0, 0), "2");
    SysRoot root = new SysRoot(dir);
    assertThat(ProcTask.read(root, "proc/10").orElseThrow()).matches(ProcTask::kthread).matches(t -> !t.perCpu());
    assertThat(ProcTask.read(root, "proc/12").orElseThrow().perCpu()).as("PF_NO_SETAFFINITY").isTrue();
    assertThat(ProcTask.read(root, "proc/11").orElseThrow().perCpu()).as("one CPU").isTrue();
  }

  @Test
  void aGoneOrDamagedTaskIsEmpty() throws IOException {
    task("proc/20", "20 (x S 1 0", "0");
    task("proc/21", "21 (x) S one 0 0 0 -1 0", "0");
    task("proc/22", stat(22, "x", 1, 0, 0, 0), "0-z");
    SysRoot root = new SysRoot(dir);
    for (String pid : List.of("20", "21", "22", "23")) assertThat(ProcTask.read(root, "proc/" + pid)).as(pid).isEmpty();
  }
}
