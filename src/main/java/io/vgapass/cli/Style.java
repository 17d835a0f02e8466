package io.vgapass.cli;

import io.vgapass.doctor.Severity;

/** Terminal colour, only when writing to a real terminal. */
final class Style {
  private final boolean color;

  Style(boolean color) {
    this.color = color;
  }

  static Style forStdout(java.io.PrintWriter out) {
    return new Style(System.console() != null && System.getenv("NO_COLOR") == null && isStdout(out));
  }

  private static boolean isStdout(java.io.PrintWriter out) {
    return out != null && Boolean.getBoolean("vgapass.stdout.tty");
  }

  String severity(Severity s) {
    String label = s.label().toUpperCase(java.util.Locale.ROOT);
    if (!color) return label;
    String code = switch (s) {
      case ERROR -> "31;1";
      case WARNING -> "33;1";
      case INFO -> "36";
      case OK -> "32";
    };
    return "\u001b[" + code + "m" + label + "\u001b[0m";
  }

  String bold(String s) {
    return color ? "\u001b[1m" + s + "\u001b[0m" : s;
  }
}
