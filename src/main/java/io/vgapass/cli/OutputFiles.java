package io.vgapass.cli;

import io.vgapass.host.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a command writes where the user said (--out, --xml-out, --svg-*): the option checked in one line, the
 * file written whole or not at all by {@link AtomicFiles}, 0644 (for the user to read and share).
 */
final class OutputFiles {
  private OutputFiles() {}

  static void write(Path target, String content, String option) {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UserError(option + " " + target + ": the directory " + dir + " does not exist; create it first");
    }
    if (Files.isDirectory(target)) {
      throw new UserError(option + " " + target + ": a directory; give a file name, e.g. " + target.resolve("out.xml"));
    }
    try {
      AtomicFiles.write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)), AtomicFiles.DEFAULT_MODE);
    } catch (IOException e) {
      throw new UserError(option + " " + target + ": cannot write (" + e.getMessage() + ")", ExitCode.FAILED);
    }
  }
}
