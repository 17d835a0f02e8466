package io.vgapass.apply;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the commands of an apply or undo (update-grub, dracut, grubby...). The live host runs them as
 * processes ({@link ProcessRunner}); a root other than {@code /} only lists them ({@link ListingRunner}), which
 * is how the tests exercise every distro; a chroot runner (for a debootstrapped test root) implements the same
 * interface by prefixing {@code chroot ROOT}.
 */
public interface CommandRunner {

  /** What a command did: its exit code and the tail of its output (stdout and stderr together). */
  record Outcome(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code argv}, passing each output line to {@code lines} as it comes. */
  Outcome run(List<String> argv, Consumer<String> lines) throws IOException;

  /** False when commands are only listed, never run. */
  boolean executes();
}
