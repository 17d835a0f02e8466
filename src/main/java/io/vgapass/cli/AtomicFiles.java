package io.vgapass.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes output files whole or not at all: a temp file beside the target, then a rename. */
final class AtomicFiles {
  private AtomicFiles() {}

  static void write(Path target, String content, String option) {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UserError(option + " " + target + ": the directory " + dir + " does not exist; create it first");
    }
    if (Files.isDirectory(target)) {
      throw new UserError(option + " " + target + ": a directory; give a file name, e.g. " + target.resolve("out.xml"));
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      // temp files are created 0600; an output file is for the user to read and share (0644)
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        if (tmp != null) Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to undo
      }
      throw new UserError(option + " " + target + ": cannot write (" + e.getMessage() + ")", ExitCode.FAILED);
    }
  }
}
