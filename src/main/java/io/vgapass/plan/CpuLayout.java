package io.vgapass.plan;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's CPUs as {@link CpuPinningPlanner} sees them: physical cores grouped by core key, NUMA node and cache
 * domain (an L3, or the package when the host reports none), with the lookups the planner and its costs need.
 */
final class CpuLayout {
  /** One physical core as the planner sees it: its online threads, ascending. */
  record Core(List<Integer> threads, int node, String domain, CoreType type) {
    int first() {
      return threads.get(0);
    }

    int size() {
      return threads.size();
    }

    boolean efficient() {
      return type == CoreType.EFFICIENT;
    }
  }

  /** Some or all threads of one core, given to consecutive vCPUs. */
  record Take(Core core, List<Integer> cpus) {
    boolean whole() {
      return cpus.size() == core.size();
    }
  }

  final CpuTopology topo;
  final List<Core> cores = new ArrayList<>();
  final Map<Integer, Integer> nodeOf = new LinkedHashMap<>();
  final Map<Integer, Core> coreOf = new LinkedHashMap<>();
  final Map<String, Integer> domainFirst = new LinkedHashMap<>();
  final Map<Integer, Integer> nodeFirst = new LinkedHashMap<>();
  final boolean l3Known;
  final boolean hybrid;
  final int total;
  final Core firstCore;

  private CpuLayout(CpuTopology topo) {
    this.topo = topo;
    Map<String, List<Cpu>> groups = new LinkedHashMap<>();
    for (Cpu c : topo.cpus()) {
      groups.computeIfAbsent(c.coreKey() + "|" + c.node() + "|" + c.l3() + "|" + c.type(), x -> new ArrayList<>()).add(c);
      nodeOf.put(c.id(), c.node());
      nodeFirst.putIfAbsent(c.node(), c.id());
    }
    for (List<Cpu> g : groups.values()) {
      Cpu c = g.get(0);
      String domain = c.node() + ":" + (c.l3Known() ? "l3-" + c.l3() : "pkg-" + c.packageId() + "/" + c.dieId());
      Core core = new Core(g.stream().map(Cpu::id).sorted().toList(), c.node(), domain, c.type());
      cores.add(core);
      core.threads().forEach(t -> coreOf.put(t, core));
      domainFirst.merge(domain, core.first(), Math::min);
    }
    cores.sort(Comparator.comparingInt(Core::first));
    total = topo.cpus().size();
    l3Known = topo.cpus().stream().anyMatch(Cpu::l3Known);
    hybrid = cores.stream().anyMatch(Core::efficient) && cores.stream().anyMatch(c -> !c.efficient());
    firstCore = cores.isEmpty() ? null : cores.get(0);
  }

  static CpuLayout of(CpuTopology topo) {
    return new CpuLayout(topo);
  }

  static int threads(Collection<Core> cores) {
    return cores.stream().mapToInt(Core::size).sum();
  }

  static int pThreads(Collection<Core> cores) {
    return cores.stream().filter(c -> !c.efficient()).mapToInt(Core::size).sum();
  }
}
