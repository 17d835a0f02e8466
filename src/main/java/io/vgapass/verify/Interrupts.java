package io.vgapass.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reading of {@code /proc/interrupts}: for each line (a numbered IRQ, or a per-CPU kind such as {@code LOC}), the
 * count per CPU and what the kernel says delivers it (chip, trigger and device names).
 */
public record Interrupts(List<Integer> cpus, Map<String, Row> rows) {

  /** One line: the IRQ's name ("24", "LOC"), counts in the order of {@link #cpus}, and its source text. */
  public record Row(String irq, long[] counts, String source) {
    /** Numbered IRQs have an affinity of their own; LOC, RES, TLB and the like are per-CPU by nature. */
    public boolean numbered() {
      return irq.chars().allMatch(Character::isDigit);
    }
  }

  public static Interrupts parse(String text) {
    String[] lines = text.split("\n");
    List<Integer> cpus = new ArrayList<>();
    if (lines.length == 0) return new Interrupts(cpus, Map.of());
    for (String h : lines[0].trim().split("\\s+")) {
      if (h.startsWith("CPU")) cpus.add(Integer.parseInt(h.substring(3)));
    }
    Map<String, Row> rows = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String irq = line.substring(0, colon).trim();
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      long[] counts = new long[cpus.size()];
      int n = 0;
      while (n < counts.length && n < f.length && f[n].chars().allMatch(Character::isDigit) && !f[n].isEmpty()) {
        counts[n] = Long.parseLong(f[n]);
        n++;
      }
      if (n == 0) continue; // ERR:, MIS: carry one total, not a count per CPU
      String source = String.join(" ", Arrays.copyOfRange(f, n, f.length));
      rows.put(irq, new Row(irq, counts, source));
    }
    return new Interrupts(cpus, rows);
  }

  /** How many times {@code irq} was delivered on {@code cpu} between {@code before} and this reading. */
  public long deliveredSince(Interrupts before, String irq, int cpu) {
    int col = cpus.indexOf(cpu);
    Row now = rows.get(irq);
    if (col < 0 || now == null) return 0;
    Row then = before.rows.get(irq);
    int oldCol = before.cpus.indexOf(cpu);
    long was = then == null || oldCol < 0 ? 0 : then.counts[oldCol];
    return Math.max(0, now.counts[col] - was);
  }
}
