package io.vgapass.apply;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** Unified diffs of planned file edits (java-diff-utils), as {@code diff -u} would print them. */
public final class Diffs {
  private Diffs() {}

  /** A unified diff of two texts that are not files (a domain's XML before and after an edit). */
  public static String text(String label, String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    StringBuilder out = new StringBuilder();
    for (String l : UnifiedDiffUtils.generateUnifiedDiff("a: " + label, "b: " + label, a, DiffUtils.diff(a, b), 3)) {
      out.append(l).append('\n');
    }
    return out.toString();
  }

  public static String unified(HostChange.FileEdit f) {
    if (f.removes()) return "remove /" + f.path() + (f.secret() ? " (a credential)" : "") + "\n";
    if (f.secret()) {
      return (f.prior() == null ? "create" : "replace") + " /" + f.path() + " (a credential, root-only; not shown)\n";
    }
    List<String> before = f.prior() == null ? List.of() : f.priorText().lines().toList();
    List<String> after = f.nextText().lines().toList();
    Patch<String> patch = DiffUtils.diff(before, after);
    String from = f.prior() == null ? "/dev/null" : "a/" + f.path();
    List<String> out = UnifiedDiffUtils.generateUnifiedDiff(from, "b/" + f.path(), before, patch, 3);
    StringBuilder b = new StringBuilder();
    for (String l : out) {
      // diff -u numbers an empty side from 0
      if (f.prior() == null && l.startsWith("@@ -1,0 ")) l = "@@ -0,0 " + l.substring(8);
      b.append(l).append('\n');
    }
    if (f.prior() != null && f.prior().length > 0 && f.prior()[f.prior().length - 1] != '\n'
        && f.nextText().endsWith("\n")) {
      b.append("(a newline is added at the end of the file)\n");
    }
    return b.toString();
  }
}
