package io.vgapass.host;

/**
 * Text from a file, an argument or a root that may be hostile, made safe to print inside a one-line message:
 * control characters (newlines, escapes that would move the cursor or recolour a terminal) and the Unicode line
 * separators become '?', and long text is cut.
 */
public final class Printable {
  private static final int DEFAULT_MAX = 120;

  private Printable() {}

  public static String of(String s) {
    return of(s, DEFAULT_MAX);
  }

  public static String of(String s, int max) {
    if (s == null) return "";
    String t = s.replaceAll("[\\p{Cc}\u2028\u2029]", "?");
    return t.length() > max ? t.substring(0, max) + "..." : t;
  }
}
