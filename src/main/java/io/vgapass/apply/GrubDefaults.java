package io.vgapass.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits one {@code GRUB_CMDLINE_LINUX*} assignment in {@code /etc/default/grub} (a shell file) without
 * touching anything else. Only the forms a person writes are understood: {@code KEY="a b"}, {@code KEY='a b'},
 * {@code KEY=word}, each optionally followed by a {@code # comment}. Anything else (a backslash continuation, a
 * value spanning lines, escaped quotes, command substitution, the key assigned twice) is refused with the line
 * and what to do, because a wrong guess here costs a boot.
 */
final class GrubDefaults {
  static final String PATH = "etc/default/grub";

  private final List<String> lines;
  private final boolean finalNewline;

  private GrubDefaults(String text) {
    this.finalNewline = text.endsWith("\n");
    this.lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (finalNewline) lines.remove(lines.size() - 1);
  }

  static GrubDefaults parse(String text) {
    return new GrubDefaults(text);
  }

  /** A located assignment: its line index, the text before and after the value, the value's words. */
  record Assignment(int index, String head, char quote, List<String> words, String tail) {}

  boolean has(String key) {
    return lines.stream().anyMatch(l -> assignment(key).matcher(l).lookingAt());
  }

  private static Pattern assignment(String key) {
    return Pattern.compile("^(\\s*(?:export\\s+)?" + Pattern.quote(key) + "=)");
  }

  /** Finds the single assignment of {@code key} or refuses. */
  Assignment find(String key) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) if (assignment(key).matcher(lines.get(i)).lookingAt()) at.add(i);
    if (at.isEmpty()) {
      throw new Refusal("/" + PATH + " has no " + key + "= line; add " + key + "=\"\" to it and run again");
    }
    if (at.size() > 1) {
      throw new Refusal("/" + PATH + " sets " + key + " on " + at.size() + " lines (" + lineNumbers(at)
          + "); keep one " + key + "=\"...\" line and run again");
    }
    int i = at.get(0);
    String line = lines.get(i);
    String where = "/" + PATH + " line " + (i + 1) + ": ";
    if (i > 0 && lines.get(i - 1).endsWith("\\")) {
      throw new Refusal(where + key + " is part of a backslash-continued line; join it into one line and run again");
    }
    Matcher m = assignment(key).matcher(line);
    m.lookingAt();
    String head = m.group(1);
    String rest = line.substring(head.length());
    if (rest.stripTrailing().endsWith("\\")) {
      throw new Refusal(where + key + " continues on the next line (backslash); write it as one line "
          + key + "=\"...\" and run again");
    }
    char quote;
    String value;
    String tail;
    if (rest.startsWith("\"") || rest.startsWith("'")) {
      quote = rest.charAt(0);
      int close = rest.indexOf(quote, 1);
      if (close < 0) {
        throw new Refusal(where + key + " opens a " + (quote == '"' ? "double" : "single")
            + " quote that does not close on this line; write the value on one line and run again");
      }
      value = rest.substring(1, close);
      tail = rest.substring(close + 1);
      if (quote == '"' && (value.contains("\\") || value.contains("`") || value.contains("$("))) {
        throw new Refusal(where + "the value of " + key + " uses escapes or command substitution, which vgapass "
            + "does not rewrite; simplify it to plain words in double quotes and run again");
      }
    } else {
      quote = 0;
      int end = 0;
      while (end < rest.length() && !Character.isWhitespace(rest.charAt(end))) end++;
      value = rest.substring(0, end);
      tail = rest.substring(end);
      if (value.matches(".*[\"'\\\\`;|&<>()].*")) {
        throw new Refusal(where + "cannot read the value of " + key + " (mixed or odd quoting); write it as "
            + key + "=\"...\" and run again");
      }
    }
    String t = tail.strip();
    if (!t.isEmpty() && !t.startsWith("#")) {
      throw new Refusal(where + "unexpected text after the value of " + key + " (" + abbreviate(t)
          + "); write it as " + key + "=\"...\" and run again");
    }
    return new Assignment(i, head, quote, KernelArgs.split(value), tail);
  }

  List<String> words(String key) {
    return find(key).words();
  }

  /** The file with {@code key}'s value replaced by {@code words}, the same quoting kept (plain words get "). */
  String withWords(String key, List<String> words) {
    Assignment a = find(key);
    char q = a.quote() == 0 ? '"' : a.quote();
    for (String w : words) {
      if (w.indexOf(q) >= 0) throw new Refusal("argument " + w + " cannot be written inside " + q + " quotes");
    }
    List<String> out = new ArrayList<>(lines);
    out.set(a.index(), a.head() + q + String.join(" ", words) + q + a.tail());
    return String.join("\n", out) + (finalNewline ? "\n" : "");
  }

  private static String lineNumbers(List<Integer> at) {
    return String.join(", ", at.stream().map(i -> String.valueOf(i + 1)).toList());
  }

  private static String abbreviate(String s) {
    return s.length() > 30 ? s.substring(0, 30) + "..." : s;
  }
}
