package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileHolders on this machine's /proc: a process holding a file open is found, with its pid and name. */
class FileHoldersTest {
  @TempDir Path dir;

  @Test
  void aProcessHoldingTheFileIsNamedAndNoneOnceItEnds() throws Exception {
    Path f = Files.writeString(dir.resolve("VARS.fd"), "x");
    String rel = f.toAbsolutePath().toString().substring(1);
    assertThat(FileHolders.of(SysRoot.live(), rel)).isEmpty();
    Process p = new ProcessBuilder("sh", "-c", "exec 3<'" + f + "'; echo open; exec sleep 60").start();
    try {
      assertThat(new String(p.getInputStream().readNBytes(5))).isEqualTo("open\n");
      assertThat(FileHolders.of(SysRoot.live(), rel)).singleElement().asString()
          .isEqualTo("pid " + p.pid() + " (sleep) holds /" + rel);
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(FileHolders.of(SysRoot.live(), rel)).isEmpty();
  }

  @Test
  void aRootWithoutProcHasNoHolders() {
    assertThat(FileHolders.of(new SysRoot(dir), "var/lib/libvirt/qemu/nvram/x_VARS.fd")).isEmpty();
  }
}
