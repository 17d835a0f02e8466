package io.vgapass.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits the MODULES array of /etc/mkinitcpio.conf ({@code MODULES=(a b)} or the old {@code MODULES="a b"}). */
final class Mkinitcpio {
  private static final Pattern ARRAY = Pattern.compile("^MODULES=\\(([^()\"'\\\\$`]*)\\)(\\s*(#.*)?)$");
  private static final Pattern STRING = Pattern.compile("^MODULES=\"([^\"\\\\$`]*)\"(\\s*(#.*)?)$");

  private Mkinitcpio() {}

  /** The file with {@code first} at the front of MODULES, in that order, and the other modules after them. */
  static String withModules(String text, List<String> first) {
    boolean nl = text.endsWith("\n");
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (nl) lines.remove(lines.size() - 1);
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("MODULES=")) {
        if (at >= 0) {
          throw new Refusal("/etc/mkinitcpio.conf sets MODULES on lines " + (at + 1) + " and " + (i + 1)
              + "; keep one MODULES=(...) line and run again");
        }
        at = i;
      }
    }
    if (at < 0) {
      throw new Refusal("/etc/mkinitcpio.conf has no MODULES=(...) line; add MODULES=() and run again");
    }
    String line = lines.get(at);
    Matcher a = ARRAY.matcher(line);
    Matcher s = STRING.matcher(line);
    boolean array = a.matches();
    if (!array && !s.matches()) {
      throw new Refusal("/etc/mkinitcpio.conf line " + (at + 1) + ": cannot read MODULES (spans lines or uses quoting "
          + "or expansions); write it as MODULES=(mod1 mod2) on one line and run again");
    }
    Matcher m = array ? a : s;
    List<String> have = KernelArgs.split(m.group(1));
    List<String> merged = new ArrayList<>(first);
    for (String h : have) if (!first.contains(InstalledKernels.norm(h))) merged.add(h);
    if (merged.equals(have)) return text;
    String joined = String.join(" ", merged);
    lines.set(at, (array ? "MODULES=(" + joined + ")" : "MODULES=\"" + joined + "\"") + m.group(2));
    return String.join("\n", lines) + (nl ? "\n" : "");
  }

  static boolean hasHook(String text, String hook) {
    for (String line : text.split("\n")) {
      if (line.startsWith("HOOKS=")) return KernelArgs.split(line.substring(6).replaceAll("[()\"]", " ")).contains(hook);
    }
    return true;
  }
}
