package io.vgapass.apply;

import java.util.List;
import java.util.stream.Collectors;

/** Shows argument vectors the way a user would type them. */
final class Shell {
  private Shell() {}

  static String join(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }

  static String quote(String a) {
    if (!a.isEmpty() && a.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_=.,:/+@%".indexOf(c) >= 0)) {
      return a;
    }
    return "'" + a.replace("'", "'\\''") + "'";
  }
}
