package io.vgapass.host.sketch;

import java.util.Locale;

/** Sizes as users write them: 24GiB, 16G, 2M, 512MiB, 1048576k. */
public final class SizeParser {
  private SizeParser() {}

  public static long kib(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
    long mult;
    char unit = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    switch (unit) {
      case 'K' -> mult = 1;
      case 'M' -> mult = 1024;
      case 'G' -> mult = 1024 * 1024;
      case 'T' -> mult = 1024L * 1024 * 1024;
      default -> {
        if (!Character.isDigit(unit)) throw bad(text);
        return Long.parseLong(t) / 1024; // plain bytes
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - 1)), mult);
    } catch (NumberFormatException | ArithmeticException e) { // ArithmeticException: more KiB than a long holds
      throw bad(text);
    }
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("'" + text + "' is not a size (write e.g. 16G, 8192M or 24GiB)");
  }
}
