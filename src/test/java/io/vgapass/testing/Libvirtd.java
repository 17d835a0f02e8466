package io.vgapass.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Restarts the lab's libvirtd (no systemd here): libvirt looks for hook files only when it starts. */
public final class Libvirtd {
  private static final Path PIDFILE = Path.of("/run/libvirtd.pid");

  private Libvirtd() {}

  public static void restart() throws IOException, InterruptedException {
    if (Files.exists(PIDFILE)) {
      String pid = Files.readString(PIDFILE).trim();
      Cmd.run(Duration.ofSeconds(10), "kill", pid);
      for (int i = 0; i < 100 && Files.exists(Path.of("/proc", pid)); i++) Thread.sleep(100);
    }
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "libvirtd", "-d");
    if (!r.ok()) throw new IllegalStateException("libvirtd -d failed: " + r.err());
    for (int i = 0; i < 100; i++) {
      if (Cmd.run(Duration.ofSeconds(10), "virsh", "-c", LabAssumptions.LIBVIRT_URI, "version").ok()) return;
      Thread.sleep(200);
    }
    throw new IllegalStateException("libvirtd did not answer after a restart");
  }
}
