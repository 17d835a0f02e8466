package io.vgapass.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed property path, the small XPath subset that {@link XmlDoc} and {@link XmlNode} accept.
 *
 * <pre>
 *   path      := [ "." | "/" ] step ( "/" step )* [ "/@" qname ]  |  "." [ "/@" qname ]  |  "@" qname
 *   step      := qname predicate*  |  "."
 *   predicate := "[" integer "]"  |  "[@" qname "=" ( 'value' | "value" ) "]"
 * </pre>
 *
 * Examples: {@code ./cputune/emulatorpin/@cpuset}, {@code ./devices/hostdev[2]/source/address/@bus},
 * {@code ./cputune/vcpupin[@vcpu='3']/@cpuset}, {@code ./metadata/vgapass:vm/vgapass:gpu}. A path that
 * starts with {@code /} is absolute: its first step names the root element ({@code /domain/...}).
 * Integer predicates count from 1 among the element's siblings that match the step so far.
 */
record PropertyPath(String text, boolean absolute, List<Step> steps, QName attribute) {

  /** A qualified name as written in the path; prefix is null when unprefixed. */
  record QName(String prefix, String local) {
    @Override
    public String toString() {
      return prefix == null ? local : prefix + ":" + local;
    }
  }

  sealed interface Predicate permits Index, AttrEquals {}

  /** {@code [n]}, 1-based. */
  record Index(int n) implements Predicate {}

  /** {@code [@name='value']}. */
  record AttrEquals(QName name, String value) implements Predicate {}

  record Step(QName name, List<Predicate> predicates) {
    /** The {@code [@a='v']} predicates of this step, in order. */
    List<AttrEquals> attrPredicates() {
      List<AttrEquals> out = new ArrayList<>();
      for (Predicate p : predicates) {
        if (p instanceof AttrEquals a) {
          out.add(a);
        }
      }
      return out;
    }
  }

  private static final String NAME = "[A-Za-z_][A-Za-z0-9_.\\-]*";
  private static final Pattern QNAME = Pattern.compile("(" + NAME + ")(?::(" + NAME + "))?");

  boolean isAttribute() {
    return attribute != null;
  }

  /** The path without its attribute part, to address the attribute's element. */
  PropertyPath elementPath() {
    return attribute == null ? this : new PropertyPath(text, absolute, steps, null);
  }

  static PropertyPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw bad(text, "the path is empty");
    }
    String s = text.strip();
    boolean absolute = s.startsWith("/");
    if (absolute) {
      s = s.substring(1);
      if (s.startsWith("/")) {
        throw bad(text, "'//' (any depth) is not supported; name each step");
      }
    }
    List<String> parts = split(text, s);
    List<Step> steps = new ArrayList<>();
    QName attribute = null;
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.isEmpty()) {
        throw bad(text, "empty step (two '/' in a row or a trailing '/')");
      }
      if (part.startsWith("@")) {
        if (i != parts.size() - 1) {
          throw bad(text, "an attribute step '" + part + "' must be the last step");
        }
        attribute = qname(text, part.substring(1));
        continue;
      }
      if (part.equals(".")) {
        if (absolute && i == 0) {
          throw bad(text, "'/.' is not a valid start; write './...' or '/domain/...'");
        }
        continue;
      }
      if (part.equals("..") || part.startsWith("*") || part.contains("(")) {
        throw bad(text, "'" + part + "' is not supported; use child steps, [n] and [@attr='value'] only");
      }
      steps.add(step(text, part));
    }
    if (absolute && steps.isEmpty()) {
      throw bad(text, "an absolute path must name the root element, as in /domain/...");
    }
    return new PropertyPath(text, absolute, List.copyOf(steps), attribute);
  }

  private static List<String> split(String text, String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        cur.append(c);
      } else if (c == '\'' || c == '"') {
        if (depth == 0) {
          throw bad(text, "a quote outside of [...]");
        }
        quote = c;
        cur.append(c);
      } else if (c == '[') {
        depth++;
        cur.append(c);
      } else if (c == ']') {
        if (--depth < 0) {
          throw bad(text, "unbalanced ']'");
        }
        cur.append(c);
      } else if (c == '/' && depth == 0) {
        parts.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quote != 0) {
      throw bad(text, "unterminated quote");
    }
    if (depth != 0) {
      throw bad(text, "unbalanced '['");
    }
    parts.add(cur.toString().strip());
    return parts;
  }

  private static Step step(String text, String part) {
    int bracket = part.indexOf('[');
    String name = bracket < 0 ? part : part.substring(0, bracket).strip();
    QName qn = qname(text, name);
    List<Predicate> preds = new ArrayList<>();
    int i = bracket;
    while (i >= 0 && i < part.length()) {
      if (part.charAt(i) != '[') {
        throw bad(text, "unexpected '" + part.substring(i) + "' after a predicate");
      }
      int end = closing(part, i);
      preds.add(predicate(text, part.substring(i + 1, end).strip()));
      i = end + 1;
      while (i < part.length() && Character.isWhitespace(part.charAt(i))) {
        i++;
      }
    }
    return new Step(qn, List.copyOf(preds));
  }

  private static int closing(String part, int open) {
    char quote = 0;
    for (int i = open + 1; i < part.length(); i++) {
      char c = part.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == ']') {
        return i;
      }
    }
    return part.length();
  }

  private static Predicate predicate(String text, String body) {
    if (body.matches("[0-9]+")) {
      int n;
      try {
        n = Integer.parseInt(body);
      } catch (NumberFormatException e) {
        throw bad(text, "index [" + body + "] is too large");
      }
      if (n < 1) {
        throw bad(text, "indexes count from 1, not [" + body + "]");
      }
      return new Index(n);
    }
    if (body.startsWith("@")) {
      int eq = body.indexOf('=');
      if (eq > 0) {
        QName name = qname(text, body.substring(1, eq).strip());
        String v = body.substring(eq + 1).strip();
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"')
            && v.charAt(v.length() - 1) == v.charAt(0)
            && v.indexOf(v.charAt(0), 1) == v.length() - 1) {
          return new AttrEquals(name, v.substring(1, v.length() - 1));
        }
      }
    }
    throw bad(text, "predicate [" + body + "] is not supported; use [n] or [@attr='value'] (several predicates may follow each other)");
  }

  private static QName qname(String text, String s) {
    var m = QNAME.matcher(s);
    if (!m.matches()) {
      throw bad(text, "'" + s + "' is not an XML name");
    }
    return m.group(2) == null ? new QName(null, m.group(1)) : new QName(m.group(1), m.group(2));
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("bad path \"" + text + "\": " + why);
  }

  @Override
  public String toString() {
    return text;
  }
}
