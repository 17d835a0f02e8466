package io.vgapass.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tells P- from E-cores when the kernel lacks sys/devices/cpu_core and cpu_atom (kernels before
 * 5.13, such as the 5.3 kernels Lakefield shipped with).
 *
 * <p>The first witness is intel_pstate's {@code base_frequency}: it is the same on every core of a
 * uniform part (favoured-core boost only raises the maximum), while a hybrid part has two classes
 * and the E-cores, which have no SMT, are the lower one. The second witness, when there is no
 * base frequency, is {@code cpuinfo_max_freq}: exactly two classes with a large gap (P 4.x GHz vs
 * E 3.x GHz); small gaps are favoured-core boost, so uniform hosts stay UNIFORM. Frequencies are
 * read per CPU ({@code cpuN/cpufreq/}) or, when that is not a directory, from the
 * {@code cpufreq/policyN} whose {@code related_cpus} holds the CPU.
 */
final class HybridFallback {
  private static final String CPU = "sys/devices/system/cpu/";

  private HybridFallback() {}

  static List<Cpu> classify(SysRoot root, List<Cpu> cpus) {
    if (cpus.size() < 2) return cpus;
    Map<Integer, String> policies = policies(root);
    Map<Integer, Long> base = frequencies(root, cpus, "base_frequency", policies);
    if (base != null) {
      List<Cpu> out = split(cpus, base, 1.0);
      return out == null ? cpus : out;
    }
    Map<Integer, Long> max = frequencies(root, cpus, "cpuinfo_max_freq", policies);
    if (max == null) return cpus;
    List<Cpu> out = split(cpus, max, 0.85);
    return out == null ? cpus : out;
  }

  /**
   * Exactly two classes, the lower at most {@code ratio} of the higher (1.0: any gap), and the
   * lower class without SMT siblings (E-cores have none): then the lower class is EFFICIENT.
   */
  private static List<Cpu> split(List<Cpu> cpus, Map<Integer, Long> freq, double ratio) {
    TreeSet<Long> classes = new TreeSet<>(freq.values());
    if (classes.size() != 2) return null;
    long min = classes.first();
    long max = classes.last();
    if (ratio < 1.0 ? min > max * ratio : min >= max) return null;
    Map<String, Integer> threads = new HashMap<>();
    for (Cpu c : cpus) threads.merge(c.coreKey(), 1, Integer::sum);
    for (Cpu c : cpus) {
      if (freq.get(c.id()) == min && threads.get(c.coreKey()) > 1) return null;
    }
    List<Cpu> out = new ArrayList<>();
    for (Cpu c : cpus) {
      CoreType t = freq.get(c.id()) == max ? CoreType.PERFORMANCE : CoreType.EFFICIENT;
      out.add(new Cpu(c.id(), c.packageId(), c.dieId(), c.core(), c.l3(), c.node(), t));
    }
    return out;
  }

  /** One frequency per CPU, or null when any CPU lacks it. */
  private static Map<Integer, Long> frequencies(SysRoot root, List<Cpu> cpus, String file,
      Map<Integer, String> policies) {
    Map<Integer, Long> out = new HashMap<>();
    for (Cpu c : cpus) {
      Long f = root.read(CPU + "cpu" + c.id() + "/cpufreq/" + file).map(HybridFallback::longOrNull).orElse(null);
      if (f == null && policies.containsKey(c.id())) {
        f = root.read(policies.get(c.id()) + file).map(HybridFallback::longOrNull).orElse(null);
      }
      if (f == null || f <= 0) return null;
      out.put(c.id(), f);
    }
    return out;
  }

  /** CPU id to its cpufreq policy directory ("sys/devices/system/cpu/cpufreq/policy4/"). */
  private static Map<Integer, String> policies(SysRoot root) {
    Map<Integer, String> out = new HashMap<>();
    for (String p : root.list(CPU + "cpufreq")) {
      if (!p.matches("policy\\d{1,6}")) continue;
      String dir = CPU + "cpufreq/" + p + "/";
      String related = root.read(dir + "related_cpus").or(() -> root.read(dir + "affected_cpus")).orElse("");
      for (String id : related.trim().split("\\s+")) {
        Integer n = PciReader.intOrNull(id);
        if (n != null) out.putIfAbsent(n, dir);
      }
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
