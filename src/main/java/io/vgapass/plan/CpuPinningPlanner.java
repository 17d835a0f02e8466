package io.vgapass.plan;

import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import io.vgapass.plan.CpuLayout.Core;
import io.vgapass.plan.CpuLayout.Take;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Pins vCPUs 1:1 to host CPUs, keeping whole cores, caches and NUMA nodes together, and says in
 * plain words what each compromise costs.
 *
 * <p>The rules, in order of weight:
 *
 * <ol>
 *   <li>The host keeps {@code hostCores} whole physical cores (default 1): the core holding the
 *       lowest online CPU (CPU 0), then cores in its L3 domain. The emulator and I/O threads are
 *       pinned there. On a hybrid host whose guest would otherwise need CPU 0's P-core, the host
 *       keeps an E-core instead, so the guest gets the P-cores. If the request leaves no room,
 *       the host keeps fewer cores, then only part of one, then shares with vCPUs (and
 *       {@link CpuPlan#costs()} says so).
 *   <li>Hybrid hosts: P-cores only while they suffice; E-cores only for what P-cores cannot hold.
 *   <li>One NUMA node when the vCPUs fit in one (the preferred node first, if given), else the
 *       fewest nodes.
 *   <li>The fewest L3 domains (an AMD CCX, an Intel ring); among equals, domains without the
 *       host's cores, then the tightest fit, then the lowest CPU numbers. When the host reports
 *       no L3, a package stands for one.
 *   <li>Whole cores: vCPUs 2k, 2k+1 go on the two threads of one core, and the guest topology
 *       then says threads=2. An odd count splits one core, last.
 * </ol>
 *
 * <p>Cores are identified by {@link Cpu#coreKey()}; threads of one core key that report
 * different L3 domains or NUMA nodes are treated as separate cores (siblings never straddle a
 * cache or a node, so such a report is a misreading of the topology, and pairing them would be
 * worse than not pairing).
 */
public final class CpuPinningPlanner {
  private CpuPinningPlanner() {}

  /**
   * What the user may ask for besides the vCPU count.
   *
   * @param preferredNode the NUMA node to put the vCPUs on when they fit there (e.g. the GPU's
   *     node), or null for no preference ({@code --numa-node})
   * @param hostCores how many whole cores the host keeps for itself, the emulator and the I/O
   *     thread ({@code --host-cores}, default 1)
   */
  public record Options(Integer preferredNode, int hostCores) {
    public static final Options DEFAULT = new Options(null, 1);

    public static Options preferNode(int node) {
      return new Options(node, 1);
    }
  }

  /** Plans {@code vcpus} vCPUs with the default options. */
  public static CpuPlan plan(CpuTopology topo, int vcpus) {
    return plan(topo, vcpus, Options.DEFAULT);
  }

  /**
   * Plans {@code vcpus} vCPUs on {@code topo}.
   *
   * @throws IllegalArgumentException (a one-line user error) when vcpus is not between 1 and the
   *     host's online CPU count, or the options name a node or core count the host lacks
   */
  public static CpuPlan plan(CpuTopology topo, int vcpus, Options options) {
    CpuLayout l = CpuLayout.of(topo);
    validate(l, vcpus, options);
    int hostCores = options.hostCores();

    // 1. the cores the host keeps
    List<Core> order = hostOrder(l, false);
    if (l.hybrid) {
      int pTotal = CpuLayout.pThreads(l.cores);
      int pInHost = CpuLayout.pThreads(order.subList(0, Math.min(hostCores, order.size())));
      if (vcpus > pTotal - pInHost) order = hostOrder(l, true);
    }
    int k = Math.min(hostCores, order.size());
    while (k > 1 && vcpus > l.total - CpuLayout.threads(order.subList(0, k))) k--;
    List<Core> kept = List.copyOf(order.subList(0, k));
    Set<Core> keptSet = new HashSet<>(kept);
    Set<String> hostDomains = new HashSet<>();
    kept.forEach(c -> hostDomains.add(c.domain()));

    // 2. the vCPUs: P-cores (or uniform cores) first, E-cores for what they cannot hold
    List<Core> eligible = l.cores.stream().filter(c -> !keptSet.contains(c)).toList();
    int fits = Math.min(vcpus, CpuLayout.threads(eligible));
    List<Core> pPool = eligible.stream().filter(c -> !c.efficient()).toList();
    List<Core> ePool = eligible.stream().filter(Core::efficient).toList();
    int pNeed = Math.min(fits, CpuLayout.threads(pPool));
    List<Integer> preferred = options.preferredNode() == null ? List.of() : List.of(options.preferredNode());
    List<Take> pTakes = arrange(l, pick(pPool, pNeed, preferred, Set.of(), hostDomains));
    List<Integer> pNodes = new ArrayList<>(new LinkedHashSet<>(pTakes.stream().map(t -> t.core().node()).toList()));
    Set<String> pDomains = new HashSet<>(pTakes.stream().map(t -> t.core().domain()).toList());
    List<Take> eTakes = arrange(l, pick(ePool, fits - pNeed, pNodes.isEmpty() ? preferred : pNodes, pDomains, hostDomains));
    List<Take> overflow = overflow(kept, vcpus - fits);

    List<Take> all = new ArrayList<>(pTakes);
    all.addAll(eTakes);
    all.addAll(overflow);
    List<Integer> vcpuToCpu = new ArrayList<>();
    all.forEach(t -> vcpuToCpu.addAll(t.cpus()));

    // 3. helpers' CPUs, the host's rest, the guest's view
    Set<Integer> used = new HashSet<>(vcpuToCpu);
    List<Integer> keptThreads = new ArrayList<>();
    kept.forEach(c -> keptThreads.addAll(c.threads()));
    keptThreads.sort(null);
    List<Integer> keptFree = keptThreads.stream().filter(c -> !used.contains(c)).toList();
    List<Integer> helpers = keptFree.isEmpty() ? keptThreads : keptFree;
    List<Integer> hostCpus = l.topo.cpus().stream().map(Cpu::id).filter(c -> !used.contains(c)).toList();
    int width = all.get(0).cpus().size();
    boolean paired = width > 1 && all.stream().allMatch(t -> t.whole() && t.cpus().size() == width);
    int threads = paired ? width : 1;
    GuestTopology guest = new GuestTopology(1, 1, vcpus / threads, threads);
    Set<Integer> nodes = new TreeSet<>();
    vcpuToCpu.forEach(c -> nodes.add(l.nodeOf.get(c)));
    Integer numaNode = nodes.size() == 1 ? nodes.iterator().next() : null;

    PinningCosts costs = new PinningCosts(l, vcpus, vcpuToCpu);
    costs.hostShare(kept, helpers, overflow, hostCpus);
    if (k < hostCores) {
      costs.add("the host keeps " + k + (k == 1 ? " core" : " cores") + " instead of the " + hostCores
          + " asked (--host-cores): " + vcpus + " vCPUs need the rest");
    }
    costs.nodes(nodes, eligible, options.preferredNode(), numaNode);
    costs.caches(all, eligible);
    costs.eCores(all.stream().filter(t -> t.core().efficient()).toList(), kept, CpuLayout.pThreads(l.cores));
    costs.smt(all, all.stream().filter(t -> t.core().efficient()).toList(), threads);
    return new CpuPlan(vcpuToCpu, helpers, helpers, hostCpus, guest, numaNode, costs.list);
  }

  /**
   * A sensible vCPU count: every thread but those of one core, which the host keeps (4 cores
   * without SMT: 3; 8 cores with SMT: 14). On a hybrid host with at least 4 P-core threads, the
   * P-core threads (the host keeps the E-cores). At least 1.
   */
  public static int defaultVcpus(CpuTopology topo) {
    CpuLayout l = CpuLayout.of(topo);
    if (l.cores.isEmpty()) return 1;
    if (l.hybrid) {
      int p = CpuLayout.pThreads(l.cores);
      if (p >= 4) return p;
      return Math.max(1, l.total - hostOrder(l, true).get(0).size());
    }
    return Math.max(1, l.total - l.firstCore.size());
  }

  // ---------------------------------------------------------------- validation

  private static void validate(CpuLayout l, int vcpus, Options options) {
    if (l.total == 0) {
      throw new IllegalArgumentException(
          "this host reports no online CPU (sys/devices/system/cpu/online is empty): vgapass cannot pin vCPUs");
    }
    String count = l.total == 1 ? "1 online CPU" : l.total + " online CPUs";
    int def = defaultVcpus(l.topo);
    String hint = l.cores.size() > 1 ? " (" + def + " keeps a core for the host)" : "";
    if (vcpus < 1) {
      throw new IllegalArgumentException("--vcpus " + vcpus + ": a VM needs at least 1 vCPU; this host has "
          + count + ", give 1 to " + l.total + hint);
    }
    if (vcpus > l.total) {
      throw new IllegalArgumentException("--vcpus " + vcpus + ": this host has only " + count
          + ", and each vCPU needs its own; give 1 to " + l.total + hint);
    }
    Integer node = options.preferredNode();
    if (node != null && !l.topo.nodes().contains(node)) {
      throw new IllegalArgumentException("--numa-node " + node + ": this host has NUMA "
          + (l.topo.nodes().size() == 1 ? "node " : "nodes ") + PinningCosts.join(l.topo.nodes())
          + "; give one of them or leave the option out");
    }
    int maxHost = Math.max(1, l.cores.size() - 1);
    if (options.hostCores() < 1 || options.hostCores() > maxHost) {
      throw new IllegalArgumentException("--host-cores " + options.hostCores() + ": this host has "
          + l.cores.size() + (l.cores.size() == 1 ? " core" : " cores")
          + " and the guest needs at least one; give 1 to " + maxHost);
    }
  }

  // ---------------------------------------------------------------- choosing

  /** The cores the host would rather keep, best first. */
  private static List<Core> hostOrder(CpuLayout l, boolean eCoresFirst) {
    Core first = l.firstCore;
    Comparator<Core> byPlace = Comparator.<Core>comparingInt(c -> c == first ? 0 : 1)
        .thenComparingInt(c -> c.domain().equals(first.domain()) ? 0 : 1)
        .thenComparingInt(c -> c.node() == first.node() ? 0 : 1)
        .thenComparingInt(Core::first);
    Comparator<Core> cmp = eCoresFirst
        ? Comparator.<Core>comparingInt(c -> c.efficient() ? 0 : 1).thenComparing(byPlace)
        : byPlace;
    return l.cores.stream().sorted(cmp).toList();
  }

  /**
   * Chooses {@code need} threads from {@code pool}: one node when they fit in one (preferred
   * nodes first), else the fewest nodes; within them the fewest domains.
   */
  private static List<Take> pick(List<Core> pool, int need, List<Integer> preferNodes,
      Set<String> preferDomains, Set<String> hostDomains) {
    if (need <= 0) return new ArrayList<>();
    Map<Integer, List<Core>> byNode = new TreeMap<>();
    pool.forEach(c -> byNode.computeIfAbsent(c.node(), x -> new ArrayList<>()).add(c));

    List<Take> best = null;
    int[] bestKey = null;
    for (Map.Entry<Integer, List<Core>> e : byNode.entrySet()) {
      if (CpuLayout.threads(e.getValue()) < need) continue;
      List<Take> sel = pickDomains(e.getValue(), need, preferDomains, hostDomains);
      Set<String> doms = new HashSet<>(sel.stream().map(t -> t.core().domain()).toList());
      int capacity = CpuLayout.threads(e.getValue().stream().filter(c -> doms.contains(c.domain())).toList());
      int rank = preferNodes.indexOf(e.getKey());
      int[] key = {
        rank < 0 ? Integer.MAX_VALUE : rank,
        doms.size(),
        (int) doms.stream().filter(d -> !preferDomains.contains(d)).count(),
        (int) doms.stream().filter(hostDomains::contains).count(),
        capacity - need,
        e.getKey()
      };
      if (best == null || compare(key, bestKey) < 0) {
        best = sel;
        bestKey = key;
      }
    }
    if (best != null) return best;

    // no single node holds them: the preferred node entirely, then the rest
    for (int i = 0; i < preferNodes.size(); i++) {
      List<Core> onPref = byNode.get(preferNodes.get(i));
      if (onPref == null) continue;
      List<Take> takes = new ArrayList<>();
      onPref.forEach(c -> takes.add(new Take(c, c.threads())));
      List<Core> rest = pool.stream().filter(c -> !onPref.contains(c)).toList();
      takes.addAll(pick(rest, need - CpuLayout.threads(onPref), preferNodes.subList(i + 1, preferNodes.size()),
          preferDomains, hostDomains));
      return takes;
    }
    // the fewest nodes: the largest ones, then the fewest domains across them
    List<Integer> nodes = new ArrayList<>(byNode.keySet());
    nodes.sort(Comparator.<Integer>comparingInt(n -> -CpuLayout.threads(byNode.get(n)))
        .thenComparingInt(n -> byNode.get(n).stream().anyMatch(c -> hostDomains.contains(c.domain())) ? 1 : 0)
        .thenComparingInt(n -> n));
    List<Core> union = new ArrayList<>();
    for (int n : nodes) {
      if (CpuLayout.threads(union) >= need) break;
      union.addAll(byNode.get(n));
    }
    union.sort(Comparator.comparingInt(Core::first));
    return pickDomains(union, need, preferDomains, hostDomains);
  }

  /**
   * Chooses {@code need} threads in the fewest domains: the largest domains until the rest fits
   * in one, then the tightest domain that holds the rest.
   */
  private static List<Take> pickDomains(List<Core> cores, int need, Set<String> preferDomains,
      Set<String> hostDomains) {
    Map<String, List<Core>> byDomain = new LinkedHashMap<>();
    cores.forEach(c -> byDomain.computeIfAbsent(c.domain(), x -> new ArrayList<>()).add(c));
    ToIntFunction<String> pref = d -> preferDomains.contains(d) ? 0 : 1;
    ToIntFunction<String> host = d -> hostDomains.contains(d) ? 1 : 0;
    ToIntFunction<String> cap = d -> CpuLayout.threads(byDomain.get(d));
    ToIntFunction<String> first = d -> byDomain.get(d).get(0).first();
    List<Take> out = new ArrayList<>();
    Set<String> left = new LinkedHashSet<>(byDomain.keySet());
    int rem = need;
    while (rem > 0) {
      final int r = rem;
      String fit = left.stream().filter(d -> cap.applyAsInt(d) >= r)
          .min(Comparator.comparingInt(pref).thenComparingInt(host).thenComparingInt(cap).thenComparingInt(first))
          .orElse(null);
      if (fit != null) {
        out.addAll(takeFrom(byDomain.get(fit), rem));
        break;
      }
      String big = left.stream()
          .min(Comparator.comparingInt(pref).thenComparingInt(d -> -cap.applyAsInt(d))
              .thenComparingInt(host).thenComparingInt(first))
          .orElseThrow();
      out.addAll(takeFrom(byDomain.get(big), cap.applyAsInt(big)));
      rem -= cap.applyAsInt(big);
      left.remove(big);
    }
    return out;
  }

  /** Whole cores first (the widest, then the lowest numbered); splits one core only for the rest. */
  private static List<Take> takeFrom(List<Core> cores, int n) {
    List<Core> sorted = cores.stream()
        .sorted(Comparator.comparingInt((Core c) -> -c.size()).thenComparingInt(Core::first)).toList();
    List<Take> out = new ArrayList<>();
    Set<Core> taken = new HashSet<>();
    int rem = n;
    for (Core c : sorted) {
      if (rem == 0) break;
      if (c.size() <= rem) {
        out.add(new Take(c, c.threads()));
        taken.add(c);
        rem -= c.size();
      }
    }
    if (rem > 0) {
      Core c = sorted.stream().filter(x -> !taken.contains(x))
          .min(Comparator.comparingInt(Core::size).thenComparingInt(Core::first)).orElseThrow();
      out.add(new Take(c, c.threads().subList(0, rem)));
    }
    return out;
  }

  /** vCPU order: whole cores grouped by node and domain, ascending; a split core last. */
  private static List<Take> arrange(CpuLayout l, List<Take> takes) {
    Comparator<Take> cmp = Comparator.<Take>comparingInt(t -> t.whole() ? 0 : 1)
        .thenComparingInt(t -> l.nodeFirst.get(t.core().node()))
        .thenComparingInt(t -> l.domainFirst.get(t.core().domain()))
        .thenComparingInt(t -> t.core().first());
    return takes.stream().sorted(cmp).toList();
  }

  /** The threads of the host's cores that vCPUs must share: the least preferred core first, CPU 0 last. */
  private static List<Take> overflow(List<Core> kept, int n) {
    List<Take> out = new ArrayList<>();
    int rem = n;
    for (int i = kept.size() - 1; i >= 0 && rem > 0; i--) {
      Core c = kept.get(i);
      int take = Math.min(rem, c.size());
      out.add(new Take(c, c.threads().subList(c.size() - take, c.size())));
      rem -= take;
    }
    return out;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
    }
    return 0;
  }


}
