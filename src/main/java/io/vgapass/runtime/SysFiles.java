package io.vgapass.runtime;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Small reads and writes of kernel files (sysfs, procfs, cgroupfs) under the root. */
final class SysFiles {
  private final SysRoot root;

  SysFiles(SysRoot root) {
    this.root = root;
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  String read(String relative) {
    return root.read(relative).orElse(null);
  }

  /** A decimal number of at most 18 digits (leading zeros allowed, no sign), else the fallback: as release.sh's vgapass_num. */
  long readLong(String relative, long fallback) {
    String s = read(relative);
    if (s == null) return fallback;
    String digits = s.trim().replaceFirst("^0+(?=.)", "");
    return digits.matches("[0-9]{1,18}") ? Long.parseLong(digits) : fallback;
  }

  /** Writes a kernel file the way echo does (no truncate, no create): sysfs rejects anything else. */
  void write(String relative, String value) {
    Path p = path(relative);
    try {
      if (!Files.exists(p)) throw new IOException("no such file");
      Files.writeString(p, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new HookFailure("cannot write '" + value + "' to /" + relative + ": " + e.getMessage());
    }
  }

  /** Like write, but a refusal (a kernel thread that cannot move) is not an error. */
  boolean tryWrite(String relative, String value) {
    try {
      Files.writeString(path(relative), value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
