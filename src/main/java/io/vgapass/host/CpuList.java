package io.vgapass.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The kernel's CPU list syntax ("0-3,8,10-11"), both ways. */
public final class CpuList {
  private CpuList() {}

  /** Parses a CPU list; throws IllegalArgumentException naming the text when it is not one. */
  public static List<Integer> parse(String text) {
    TreeSet<Integer> out = new TreeSet<>();
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) return List.of();
    for (String part : t.split(",")) {
      String p = part.trim();
      try {
        int dash = p.indexOf('-');
        if (dash < 0) {
          out.add(Integer.parseInt(p));
        } else {
          int a = Integer.parseInt(p.substring(0, dash).trim());
          int b = Integer.parseInt(p.substring(dash + 1).trim());
          if (b < a || b - a > 65536) throw new NumberFormatException();
          for (int i = a; i <= b; i++) out.add(i);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a CPU list (expected e.g. 0-3,8)");
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Parses a CPU mask as older kernels write it ({@code shared_cpu_map}, {@code thread_siblings},
   * node {@code cpumap}): comma-separated 32-bit hex words, most significant first, e.g.
   * "00000000,00000101" is CPUs 0 and 8. Throws IllegalArgumentException naming the text otherwise.
   */
  public static List<Integer> parseMask(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) return List.of();
    String[] words = t.split(",");
    List<Integer> out = new ArrayList<>();
    for (int w = 0; w < words.length; w++) {
      String word = words[words.length - 1 - w].trim();
      if (word.isEmpty() || word.length() > 8 || !word.matches("[0-9a-fA-F]+")) {
        throw new IllegalArgumentException("'" + text + "' is not a CPU mask (expected e.g. 00000000,000000ff)");
      }
      long bits = Long.parseLong(word, 16);
      for (int b = 0; b < 32; b++) {
        if ((bits >> b & 1) != 0) out.add(w * 32 + b);
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Formats CPUs as the kernel writes a cpumask, the inverse of {@link #parseMask}: 32-bit hex words, most
   * significant first, comma-separated, the first without leading zeros ([0, 33] -> "2,00000001").
   */
  public static String formatMask(Collection<Integer> cpus) {
    int top = cpus.stream().mapToInt(Integer::intValue).max().orElse(0);
    long[] words = new long[top / 32 + 1];
    for (int c : cpus) words[c / 32] |= 1L << (c % 32);
    StringBuilder b = new StringBuilder(Long.toHexString(words[words.length - 1]));
    for (int w = words.length - 2; w >= 0; w--) b.append(',').append(String.format(Locale.ROOT, "%08x", words[w]));
    return b.toString();
  }

  /** Formats CPUs compactly: [0,1,2,3,8] -> "0-3,8". */
  public static String format(Collection<Integer> cpus) {
    List<Integer> s = new ArrayList<>(new TreeSet<>(cpus));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.size(); ) {
      int j = i;
      while (j + 1 < s.size() && s.get(j + 1) == s.get(j) + 1) j++;
      if (b.length() > 0) b.append(',');
      b.append(s.get(i));
      if (j > i) b.append('-').append(s.get(j));
      i = j + 1;
    }
    return b.toString();
  }
}
