package io.vgapass.cli;

import java.util.Collection;
import java.util.List;

/**
 * The commands a mistyped word was meant as: the nearest by edit distance (two edits, or a third of the word), or
 * those it begins. picocli's own suggestions also offered "generate-completion or verify" for "docter".
 */
final class ClosestWords {
  private ClosestWords() {}

  static List<String> to(String word, Collection<String> names) {
    int limit = Math.max(2, word.length() / 3);
    int best = names.stream().mapToInt(n -> distance(word, n)).min().orElse(Integer.MAX_VALUE);
    if (best <= limit) return names.stream().filter(n -> distance(word, n) == best).sorted().limit(3).toList();
    return names.stream().filter(n -> word.length() >= 2 && n.startsWith(word)).sorted().limit(3).toList();
  }

  /** Levenshtein distance, a swap of two neighbours counting as one edit ("docter", "hsot"). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
