package io.vgapass.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kernel command-line arguments as tokens: keys, lookups and merging without duplicates. */
final class KernelArgs {
  private KernelArgs() {}

  static final List<String> HUGEPAGE_KEYS = List.of("default_hugepagesz", "hugepagesz", "hugepages");

  /** "intel_iommu" for "intel_iommu=on"; the whole token for a bare flag. */
  static String key(String arg) {
    int eq = arg.indexOf('=');
    return eq < 0 ? arg : arg.substring(0, eq);
  }

  static List<String> split(String line) {
    String t = line == null ? "" : line.trim();
    return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
  }

  static Optional<String> find(List<String> tokens, String key) {
    return tokens.stream().filter(t -> key(t).equals(key)).reduce((a, b) -> b);
  }

  /** The wanted arguments that are not already there with the same value. */
  static List<String> missing(List<String> existing, List<String> wanted) {
    List<String> out = new ArrayList<>();
    for (String w : wanted) {
      Optional<String> have = find(existing, key(w));
      if (have.isEmpty() || !have.get().equals(w)) out.add(w);
    }
    return out;
  }

  /** Existing tokens with each wanted argument replacing the one of the same key in place, or appended. */
  static List<String> merge(List<String> existing, List<String> wanted) {
    List<String> out = new ArrayList<>(existing);
    for (String w : wanted) {
      String k = key(w);
      int at = -1;
      for (int i = out.size() - 1; i >= 0; i--) {
        if (key(out.get(i)).equals(k)) {
          at = i;
          break;
        }
      }
      if (at < 0) out.add(w);
      else out.set(at, w);
    }
    return out;
  }

  /**
   * For each wanted argument that changes something: how to take it back. A new key is removed; a key that
   * had another value gets that value back.
   */
  static List<String> previousValues(List<String> existing, List<String> wanted) {
    List<String> out = new ArrayList<>();
    for (String w : missing(existing, wanted)) find(existing, key(w)).ifPresent(out::add);
    return out;
  }

  /** The wanted arguments whose key was not there at all. */
  static List<String> newKeys(List<String> existing, List<String> wanted) {
    return missing(existing, wanted).stream().filter(w -> find(existing, key(w)).isEmpty()).toList();
  }
}
