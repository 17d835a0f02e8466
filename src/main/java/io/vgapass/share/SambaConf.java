package io.vgapass.share;

import io.vgapass.host.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Edits smb.conf text as whole marked blocks of lines, so that taking a block out gives back exactly the bytes that
 * were there before. Two kinds: one global block at the end of {@code [global]} (later lines win in Samba, so ours
 * are placed after the user's) that keeps Samba on loopback and the host-only network, and one share section per
 * domain at the end of the file. The text is handled as ISO-8859-1, which maps every byte to one char, so the
 * user's own bytes pass through unchanged whatever their encoding.
 */
public final class SambaConf {
  static final String GLOBAL_BEGIN = "# >>> vgapass: Samba serves only loopback and the host-only network";
  static final String GLOBAL_END = "# <<< vgapass: end of the host-only settings";
  static final String SHARE_BEGIN = "# >>> vgapass share of domain ";
  static final String SHARE_END = "# <<< vgapass share of domain ";
  /** Appended to a begin marker when the file did not end with a newline and the block added one before it. */
  static final String NEWLINE_ADDED = " (a newline was added above)";

  private SambaConf() {}

  /** A line of the text: its start and end offsets (end past the newline). */
  private record Line(int start, int end, String text) {}

  /**
   * Why vgapass cannot add its settings to this smb.conf, or null. The user's own {@code interfaces} means Samba
   * serves something elsewhere on purpose; restricting it to the host-only network would take that away.
   */
  public static String conflict(String text, SmbShare s) {
    for (Map.Entry<String, String> p : userGlobals(text).entrySet()) {
      if (p.getKey().equals("interfaces")) {
        return "[global] sets interfaces = " + p.getValue() + " (Samba serves there); vgapass would restrict Samba "
            + "to loopback and the host-only network: remove that line if that is what you want, or share with "
            + "--via virtiofs";
      }
    }
    for (Line l : lines(text)) {
      String h = header(l.text());
      if (h != null && h.equalsIgnoreCase(s.name()) && !inBlockOf(text, l.start()).equals("share:" + s.domain())) {
        return "smb.conf already has a share [" + h + "]: choose another --name";
      }
    }
    return null;
  }

  /** The text with the domain's share (replacing an earlier one of the same domain) and the global block. */
  public static String add(String text, SmbShare s) {
    String t = removeBlock(text, SHARE_BEGIN + s.domain());
    if (!t.contains(GLOBAL_BEGIN + "\n") && !t.contains(GLOBAL_BEGIN + NEWLINE_ADDED + "\n")) t = addGlobal(t, s);
    return append(t, SHARE_BEGIN + s.domain(), shareBody(s), SHARE_END + s.domain());
  }

  /** The text without the domain's share, and without the global block once no vgapass share is left. */
  public static String remove(String text, String domain) {
    String t = removeBlock(text, SHARE_BEGIN + domain);
    if (domains(t).isEmpty()) t = removeBlock(t, GLOBAL_BEGIN);
    return t;
  }

  /** The domains that have a vgapass share in this text, in file order. */
  public static List<String> domains(String text) {
    List<String> out = new ArrayList<>();
    for (Line l : lines(text)) {
      String b = stripFlag(l.text());
      if (b.startsWith(SHARE_BEGIN)) out.add(b.substring(SHARE_BEGIN.length()));
    }
    return out;
  }

  /** The share's section name and parameters as written in its block, or an empty map when there is none. */
  public static Map<String, String> share(String text, String domain) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean in = false;
    for (Line l : lines(text)) {
      String t = stripFlag(l.text());
      if (t.equals(SHARE_BEGIN + domain)) {
        in = true;
      } else if (in && t.equals(SHARE_END + domain)) {
        break;
      } else if (in) {
        String h = header(t);
        if (h != null) out.put("[name]", h);
        int eq = t.indexOf('=');
        if (h == null && eq > 0 && !t.strip().startsWith("#")) out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
      }
    }
    return out;
  }

  /**
   * Why {@code value} cannot be written as a value (or in a marker comment) of smb.conf, or null when it can. Samba
   * substitutes {@code %} sequences in values ({@code %U} is the connecting user's name, so a path with it would
   * name another folder per user) and has no escape for them; the file is line-based, a line ending in a backslash
   * continues on the next, and blanks around a value are dropped. None of these can be escaped, so they are refused.
   */
  public static String valueProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return "holds a control character (a line break?)";
      }
      if (c == '%') return "holds '%', which Samba reads as a substitution (%U: the user's name) and cannot escape";
    }
    if (value.endsWith("\\")) return "ends with a backslash, which joins the next line of smb.conf to it";
    if (!value.strip().equals(value)) return "starts or ends with a blank, which Samba drops";
    return null;
  }

  /** Throws IllegalArgumentException naming the first of the share's values smb.conf cannot carry. */
  static void check(SmbShare s) {
    String[][] values = {{"--domain", s.domain()}, {"--path", s.path()}, {"--name", s.name()},
        {"the account", s.user()}, {"the folder's owner", s.forceUser()}, {"the interfaces", s.interfaces()},
        {"the allowed hosts", s.hostsAllow()}};
    for (String[] v : values) {
      String problem = valueProblem(v[1]);
      if (problem != null) {
        throw new IllegalArgumentException(v[0] + " " + Printable.of(v[1]) + ": "
            + problem + "; smb.conf cannot carry it: rename it, or share with --via virtiofs");
      }
    }
  }

  static String shareBody(SmbShare s) {
    check(s);
    return "[" + s.name() + "]\n"
        + "   comment = vgapass share for domain " + s.domain() + "\n"
        + "   path = " + s.path() + "\n"
        + "   read only = " + (s.readOnly() ? "yes" : "no") + "\n"
        + "   guest ok = no\n"
        + "   valid users = " + s.user() + "\n"
        + "   force user = " + s.forceUser() + "\n"
        + "   hosts allow = " + s.hostsAllow() + "\n"
        + "   hosts deny = ALL\n"
        + "   browseable = no\n";
  }

  static String globalBody(SmbShare s, boolean minProtocol) {
    return "   interfaces = " + s.interfaces() + "\n"
        + "   bind interfaces only = yes\n"
        + (minProtocol ? "   server min protocol = SMB2\n" : "");
  }

  private static String addGlobal(String text, SmbShare s) {
    String min = userGlobals(text).getOrDefault("server min protocol", "");
    boolean minProtocol = !min.toUpperCase(Locale.ROOT).startsWith("SMB3"); // never lower a stricter setting
    List<Line> ls = lines(text);
    int global = -1;
    for (int i = 0; i < ls.size(); i++) {
      String h = header(ls.get(i).text());
      if (h != null && h.equalsIgnoreCase("global")) global = i;
    }
    if (global < 0) {
      String block = GLOBAL_BEGIN + "\n[global]\n" + globalBody(s, minProtocol) + GLOBAL_END + "\n";
      return block + text;
    }
    for (int i = global + 1; i < ls.size(); i++) {
      if (header(ls.get(i).text()) != null) {
        int at = ls.get(i).start();
        return text.substring(0, at) + GLOBAL_BEGIN + "\n" + globalBody(s, minProtocol) + GLOBAL_END + "\n"
            + text.substring(at);
      }
    }
    return append(text, GLOBAL_BEGIN, globalBody(s, minProtocol), GLOBAL_END);
  }

  private static String append(String text, String begin, String body, String end) {
    boolean needsNewline = !text.isEmpty() && !text.endsWith("\n");
    return text + (needsNewline ? "\n" + begin + NEWLINE_ADDED : begin) + "\n" + body + end + "\n";
  }

  /** Removes the lines from {@code begin} to its end marker, and the newline the block added, if it did. */
  private static String removeBlock(String text, String begin) {
    List<Line> ls = lines(text);
    for (int i = 0; i < ls.size(); i++) {
      String t = ls.get(i).text();
      if (!stripFlag(t).equals(begin)) continue;
      String end = begin.equals(GLOBAL_BEGIN) ? GLOBAL_END : SHARE_END + begin.substring(SHARE_BEGIN.length());
      for (int j = i + 1; j < ls.size(); j++) {
        if (ls.get(j).text().equals(end)) {
          int from = ls.get(i).start();
          int to = ls.get(j).end();
          String rest = text.substring(to);
          if (t.endsWith(NEWLINE_ADDED) && from > 0 && text.charAt(from - 1) == '\n') {
            int nl = rest.indexOf('\n');
            String next = nl < 0 ? rest : rest.substring(0, nl);
            if (rest.isEmpty()) {
              from--; // the block ended a file that had no final newline: take the one it added
            } else if (next.startsWith("# >>> vgapass") && !next.endsWith(NEWLINE_ADDED)) {
              rest = next + NEWLINE_ADDED + rest.substring(next.length()); // the next block now owns that newline
            }
          }
          return text.substring(0, from) + rest;
        }
      }
    }
    return text;
  }

  /** The user's own [global] parameters (outside vgapass's blocks), names lower-case with single blanks. */
  private static Map<String, String> userGlobals(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean inGlobal = false;
    for (Line l : lines(text)) {
      String h = header(l.text());
      if (h != null) {
        inGlobal = h.equalsIgnoreCase("global");
        continue;
      }
      String t = l.text().strip();
      if (!inGlobal || t.startsWith("#") || t.startsWith(";") || !inBlockOf(text, l.start()).isEmpty()) continue;
      int eq = t.indexOf('=');
      if (eq > 0) out.put(t.substring(0, eq).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "),
          t.substring(eq + 1).strip());
    }
    return out;
  }

  /** "global", "share:DOMAIN" or "" for the vgapass block (if any) the offset lies in. */
  private static String inBlockOf(String text, int offset) {
    String open = "";
    for (Line l : lines(text)) {
      if (l.start() > offset) break;
      String t = stripFlag(l.text());
      if (t.equals(GLOBAL_BEGIN)) open = "global";
      else if (t.startsWith(SHARE_BEGIN)) open = "share:" + t.substring(SHARE_BEGIN.length());
      else if (t.equals(GLOBAL_END) || t.startsWith(SHARE_END)) open = "";
    }
    return open;
  }

  private static String stripFlag(String line) {
    return line.endsWith(NEWLINE_ADDED) ? line.substring(0, line.length() - NEWLINE_ADDED.length()) : line;
  }

  private static String header(String line) {
    String t = line.strip();
    return t.length() >= 2 && t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1).strip() : null;
  }

  private static List<Line> lines(String text) {
    List<Line> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int nl = text.indexOf('\n', i);
      int end = nl < 0 ? text.length() : nl + 1;
      out.add(new Line(i, end, text.substring(i, nl < 0 ? end : nl)));
      i = end;
    }
    return out;
  }
}
