package io.vgapass.runtime;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (sync, systemctl); a seam so tests under a fixture root run none. */
public interface Commands {
  /** Runs the command; returns its exit code (non-zero when it could not be started). */
  int run(List<String> command);

  Commands NONE = command -> 0;

  Commands REAL = command -> {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 124;
      }
      return p.exitValue();
    } catch (IOException e) {
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  };
}
