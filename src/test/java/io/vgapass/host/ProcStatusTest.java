package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatusTest {
  @TempDir Path dir;

  @Test
  void thisJvmsOwnStatusGivesItsUidParentAndAllowedCpus() {
    long pid = ProcessHandle.current().pid();
    ProcStatus s = ProcStatus.read(new SysRoot(Path.of("/")), "proc/" + pid);
    assertThat(s.ppid()).isEqualTo(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L).intValue());
    assertThat(s.uid()).isGreaterThanOrEqualTo(0);
    assertThat(CpuList.parse(s.cpusAllowedList())).isNotEmpty();
  }

  @Test
  void oddOrMissingFieldsComeBackAsUnknown() throws IOException {
    Files.createDirectories(dir.resolve("proc/5"));
    Files.writeString(dir.resolve("proc/5/status"), "Name:\tx\nUid:\tme\t0\nPPid:\t99999999999\nUid:\n");
    ProcStatus odd = ProcStatus.read(new SysRoot(dir), "proc/5");
    assertThat(odd.uid()).as("a uid that is not a number").isEqualTo(-1);
    assertThat(odd.ppid()).as("an 11-digit parent").isZero();
    assertThat(odd.cpusAllowedList()).isNull();
    assertThat(ProcStatus.read(new SysRoot(dir), "proc/6")).isEqualTo(new ProcStatus(-1, 0, null));
  }
}
