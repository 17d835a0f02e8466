package io.vgapass.plan;

import io.vgapass.host.CpuList;
import io.vgapass.plan.CpuLayout.Core;
import io.vgapass.plan.CpuLayout.Take;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plain-English sentences that say what each compromise of a {@link CpuPinningPlanner} plan costs (host cores
 * shared, NUMA nodes or caches spanned, E-cores used, SMT pairs split), each with the option that avoids it.
 */
final class PinningCosts {
  final List<String> list = new ArrayList<>();
  final CpuLayout l;
  final int vcpus;
  final List<Integer> vcpuToCpu;

  PinningCosts(CpuLayout l, int vcpus, List<Integer> vcpuToCpu) {
    this.l = l;
    this.vcpus = vcpus;
    this.vcpuToCpu = vcpuToCpu;
  }

  void add(String sentence) {
    list.add(sentence);
  }

  /** The vCPU numbers running on these host CPUs. */
  List<Integer> vcpusOn(Collection<Integer> cpus) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < vcpuToCpu.size(); i++) if (cpus.contains(vcpuToCpu.get(i))) out.add(i);
    return out;
  }

  void hostShare(List<Core> kept, List<Integer> helpers, List<Take> overflow, List<Integer> hostCpus) {
    if (overflow.isEmpty()) return;
    List<Integer> over = new ArrayList<>();
    overflow.forEach(t -> over.addAll(t.cpus()));
    int roomy = l.total - kept.get(0).size();
    List<Integer> keptThreads = kept.get(0).threads();
    String fix = roomy >= 1
        ? "; --vcpus " + roomy + " leaves " + cpus(keptThreads)
            + (keptThreads.size() > 1 ? " (one whole core)" : "") + " to them"
        : "";
    if (hostCpus.isEmpty()) {
      add((l.total == 1 ? "the host's only CPU goes" : "all " + l.total + " CPUs go")
          + " to the guest: the host, the emulator and the I/O thread share "
          + cpus(over) + " with " + vcpuLabel(vcpusOn(over)) + ", expect stutter under host load" + fix);
    } else {
      add("the host keeps no whole core: it, the emulator and the I/O thread get only " + cpus(helpers)
          + ", while the sibling " + cpus(over) + " runs " + vcpuLabel(vcpusOn(over))
          + ", so host load slows that vCPU" + fix);
    }
  }

  void nodes(Set<Integer> nodes, List<Core> eligible, Integer preferred, Integer numaNode) {
    Map<Integer, Integer> free = new TreeMap<>();
    eligible.forEach(c -> free.merge(c.node(), c.size(), Integer::sum));
    if (nodes.size() > 1) {
      int bestNode = free.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
          .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(0);
      int most = free.getOrDefault(bestNode, 0);
      add("the vCPUs span NUMA nodes " + join(nodes) + " because no node has " + vcpus
          + " CPUs free for the guest (node " + bestNode + " has the most, " + most
          + "): vCPUs reach the other node's memory more slowly, and the guest sees one socket so it cannot"
          + " plan for that; --vcpus " + most + " stays on node " + bestNode);
    }
    if (preferred != null && !preferred.equals(numaNode)) {
      int there = free.getOrDefault(preferred, 0);
      add("NUMA node " + preferred + " was asked for, but it has " + (there == 0 ? "no" : "only " + there)
          + (there == 1 ? " CPU" : " CPUs") + " free for the guest"
          + (numaNode != null ? ", so the vCPUs are on node " + numaNode : "")
          + (there > 0 ? "; --vcpus " + there + " fits on node " + preferred : ""));
    }
  }

  void caches(List<Take> all, List<Core> eligible) {
    Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
    all.stream().sorted(Comparator.comparingInt(t -> l.domainFirst.get(t.core().domain())))
        .forEach(t -> byDomain.computeIfAbsent(t.core().domain(), x -> new ArrayList<>()).addAll(t.cpus()));
    if (byDomain.size() <= 1) return;
    Map<String, Integer> free = new LinkedHashMap<>();
    eligible.forEach(c -> free.merge(c.domain(), c.size(), Integer::sum));
    int most = free.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<String> groups = byDomain.values().stream().map(PinningCosts::cpus).toList();
    add("the vCPUs span " + byDomain.size() + (l.l3Known ? " L3 caches (" : " CPU packages (")
        + String.join("; ", groups) + "): threads that move between them lose their cached data"
        + (l.l3Known ? "" : " (the host reports no L3 cache, so packages stand in for it)")
        + (most >= 1 && most < vcpus ? "; --vcpus " + most + " fits in one" : ""));
  }

  void eCores(List<Take> eTakes, List<Core> kept, int pTotal) {
    if (!eTakes.isEmpty() && pTotal > 0) {
      List<Integer> e = new ArrayList<>();
      eTakes.forEach(t -> e.addAll(t.cpus()));
      add(vcpuLabel(vcpusOn(e)) + " run on E-cores (" + cpus(e) + "), slower than the P-cores the other"
          + " vCPUs have, and the guest does not know which vCPUs are slow, so a busy game thread may land"
          + " there; --vcpus " + pTotal + " stays on P-cores");
    }
    if (l.hybrid && kept.stream().allMatch(Core::efficient) && !l.firstCore.efficient()) {
      List<Integer> h = new ArrayList<>();
      kept.forEach(c -> h.addAll(c.threads()));
      add("the host, the emulator and the I/O thread run on " + (kept.size() == 1 ? "E-core " : "E-cores ")
          + cpus(h) + " instead of CPU "
          + l.firstCore.first() + "'s P-core, so that the guest gets the P-cores; they run slower there");
    }
  }

  void smt(List<Take> all, List<Take> eTakes, int threads) {
    boolean smtHost = l.cores.stream().anyMatch(c -> c.size() > 1);
    if (!smtHost || threads > 1) return;
    List<Take> split = all.stream().filter(t -> !t.whole()).toList();
    if (vcpus % 2 == 1 && split.size() == 1) {
      Take t = split.get(0);
      List<Integer> sibling = t.core().threads().stream().filter(c -> !t.cpus().contains(c)).toList();
      List<String> alternatives = new ArrayList<>();
      if (vcpus > 1) alternatives.add(String.valueOf(vcpus - 1));
      if (vcpus + 1 <= l.total - l.firstCore.size()) alternatives.add(String.valueOf(vcpus + 1));
      add("an odd vCPU count (" + vcpus + ") on an SMT host: " + vcpuLabel(vcpusOn(t.cpus())) + " runs alone on "
          + cpus(t.cpus()) + ", whose sibling " + cpus(sibling) + " stays with the host and slows it under load,"
          + " and the guest sees " + vcpus + " single-thread cores instead of thread pairs"
          + (alternatives.isEmpty() ? "" : "; --vcpus " + String.join(" or ", alternatives) + " keeps whole cores"));
    } else if (vcpus > 1) {
      add("the guest sees " + vcpus + " single-thread cores (threads=1) because "
          + (eTakes.isEmpty() ? "not every vCPU pair sits on the two threads of one core"
              : "E-cores have no SMT sibling")
          + ": it cannot tell which vCPUs share a core, and may put two busy threads on one");
    }
  }

  private static String cpus(Collection<Integer> ids) {
    return (ids.size() == 1 ? "CPU " : "CPUs ") + CpuList.format(ids);
  }

  static String join(Collection<Integer> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }

  private static String vcpuLabel(Collection<Integer> ids) {
    return (ids.size() == 1 ? "vCPU " : "vCPUs ") + CpuList.format(ids);
  }
}
