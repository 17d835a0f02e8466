package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells P- from E-cores when the kernel lacks sys/devices/cpu_core and cpu_atom (older kernels):
 * on hybrid parts the E-cores have a lower maximum frequency ({@code cpufreq/cpuinfo_max_freq})
 * and, on Intel, no SMT. Only applied when exactly two frequency classes exist and the SMT
 * layout agrees, so uniform hosts with boost jitter stay UNIFORM.
 */
final class HybridFallback {
  private HybridFallback() {}

  static List<Cpu> classify(SysRoot root, List<Cpu> cpus) {
    List<Long> freq = new ArrayList<>();
    for (Cpu c : cpus) {
      Long f = root.read("sys/devices/system/cpu/cpu" + c.id() + "/cpufreq/cpuinfo_max_freq")
          .map(HybridFallback::longOrNull).orElse(null);
      if (f == null) return cpus;
      freq.add(f);
    }
    long max = freq.stream().mapToLong(Long::longValue).max().orElse(0);
    long min = freq.stream().mapToLong(Long::longValue).min().orElse(0);
    if (max == min || freq.stream().anyMatch(f -> f != max && f != min)) return cpus;
    // a real hybrid gap is large (P 4.x GHz vs E 3.x GHz); small gaps are favoured-core boost
    if (min > max * 0.85) return cpus;
    List<Cpu> out = new ArrayList<>();
    for (int i = 0; i < cpus.size(); i++) {
      Cpu c = cpus.get(i);
      CoreType t = freq.get(i) == max ? CoreType.PERFORMANCE : CoreType.EFFICIENT;
      out.add(new Cpu(c.id(), c.packageId(), c.dieId(), c.core(), c.l3(), c.node(), t));
    }
    return out;
  }

  private static Long longOrNull(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
