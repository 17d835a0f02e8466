package io.vgapass.input;

import io.vgapass.host.Printable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Values written into a systemd unit file, escaped for where they land (systemd.syntax(7), systemd.unit(5),
 * systemd.service(5)): in every setting systemd expands {@code %} specifiers ({@code %%} is a literal percent sign);
 * on a command line it also expands {@code $VAR} ({@code $$} is a literal dollar), splits words at blanks and
 * decodes C escapes inside quotes. A line break cannot be escaped in free text such as {@code Description=}, and a
 * backslash at a line's end joins the next line to it: those values are refused.
 */
public final class SystemdUnit {
  private SystemdUnit() {}

  /** Why {@code value} cannot be written as free text in a unit, or null when it can. */
  public static String textProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return "holds a control character (a line break?)";
      }
      if (c == '\\') return "holds a backslash";
    }
    return null;
  }

  /** Free text (Description=): specifiers escaped; throws IllegalArgumentException for {@link #textProblem}. */
  public static String text(String value) {
    String problem = textProblem(value);
    if (problem != null) throw new IllegalArgumentException("'" + Printable.of(value) + "' " + problem);
    return value.replace("%", "%%");
  }

  /** A command line for ExecStart=: each argument one word, whatever it holds. */
  public static String commandLine(List<String> argv) {
    return argv.stream().map(SystemdUnit::word).collect(Collectors.joining(" "));
  }

  /**
   * One argument as one word: plain when it holds only characters no rule touches, else in double quotes with
   * C escapes for quotes, backslashes and control characters; {@code %} and {@code $} doubled either way.
   */
  static String word(String arg) {
    if (!arg.isEmpty() && arg.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c)
        || "-_=.,:/+@".indexOf(c) >= 0))) {
      return arg;
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '%' -> b.append("%%");
        case '$' -> b.append("$$");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
            for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) b.append(String.format("\\x%02x", x));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * A unit file name part for {@code name}: the name itself when it holds only letters, digits, '_', '.' and '-';
   * else those characters plus the first 8 hex digits of the name's SHA-256, so that names which differ only in the
   * characters replaced ("a b", "a_b") still get units of their own.
   */
  public static String namePart(String name) {
    if (name.matches("[A-Za-z0-9_.-]+")) return name;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
