package io.vgapass.cli;

import io.vgapass.doctor.Severity;
import java.util.Locale;

/** Terminal colour, only when writing to a real terminal. */
final class Style {
  private final boolean color;

  Style(boolean color) {
    this.color = color;
  }

  /** Colour when Main found a terminal on stdout (see its colour scheme) and NO_COLOR is unset. */
  static Style of(picocli.CommandLine.Model.CommandSpec spec) {
    return new Style(spec.commandLine().getColorScheme().ansi().enabled() && System.getenv("NO_COLOR") == null);
  }

  String severity(Severity s) {
    String label = s.label().toUpperCase(Locale.ROOT);
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
