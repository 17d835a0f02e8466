package io.vgapass.plan;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuList;
import io.vgapass.host.CpuTopology;
import java.util.ArrayList;
import java.util.Collection;
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
    Layout l = Layout.of(topo);
    validate(l, vcpus, options);
    int hostCores = options.hostCores();

    // 1. the cores the host keeps
    List<Core> order = hostOrder(l, false);
    if (l.hybrid) {
      int pTotal = pThreads(l.cores);
      int pInHost = pThreads(order.subList(0, Math.min(hostCores, order.size())));
      if (vcpus > pTotal - pInHost) order = hostOrder(l, true);
    }
    int k = Math.min(hostCores, order.size());
    while (k > 1 && vcpus > l.total - threads(order.subList(0, k))) k--;
    List<Core> kept = List.copyOf(order.subList(0, k));
    Set<Core> keptSet = new HashSet<>(kept);
    Set<String> hostDomains = new HashSet<>();
    kept.forEach(c -> hostDomains.add(c.domain()));

    // 2. the vCPUs: P-cores (or uniform cores) first, E-cores for what they cannot hold
    List<Core> eligible = l.cores.stream().filter(c -> !keptSet.contains(c)).toList();
    int fits = Math.min(vcpus, threads(eligible));
    List<Core> pPool = eligible.stream().filter(c -> !c.efficient()).toList();
    List<Core> ePool = eligible.stream().filter(Core::efficient).toList();
    int pNeed = Math.min(fits, threads(pPool));
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

    Costs costs = new Costs(l, vcpus, vcpuToCpu);
    costs.hostShare(kept, helpers, overflow, hostCpus);
    if (k < hostCores) {
      costs.add("the host keeps " + k + (k == 1 ? " core" : " cores") + " instead of the " + hostCores
          + " asked (--host-cores): " + vcpus + " vCPUs need the rest");
    }
    costs.nodes(nodes, eligible, options.preferredNode(), numaNode);
    costs.caches(all, eligible);
    costs.eCores(all.stream().filter(t -> t.core().efficient()).toList(), kept, pThreads(l.cores));
    costs.smt(all, all.stream().filter(t -> t.core().efficient()).toList(), threads);
    return new CpuPlan(vcpuToCpu, helpers, helpers, hostCpus, guest, numaNode, costs.list);
  }

  /**
   * A sensible vCPU count: every thread but those of one core, which the host keeps (4 cores
   * without SMT: 3; 8 cores with SMT: 14). On a hybrid host with at least 4 P-core threads, the
   * P-core threads (the host keeps the E-cores). At least 1.
   */
  public static int defaultVcpus(CpuTopology topo) {
    Layout l = Layout.of(topo);
    if (l.cores.isEmpty()) return 1;
    if (l.hybrid) {
      int p = pThreads(l.cores);
      if (p >= 4) return p;
      return Math.max(1, l.total - hostOrder(l, true).get(0).size());
    }
    return Math.max(1, l.total - l.firstCore.size());
  }

  // ---------------------------------------------------------------- validation

  private static void validate(Layout l, int vcpus, Options options) {
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
          + (l.topo.nodes().size() == 1 ? "node " : "nodes ") + join(l.topo.nodes())
          + "; give one of them or leave the option out");
    }
    int maxHost = Math.max(1, l.cores.size() - 1);
    if (options.hostCores() < 1 || options.hostCores() > maxHost) {
      throw new IllegalArgumentException("--host-cores " + options.hostCores() + ": this host has "
          + l.cores.size() + (l.cores.size() == 1 ? " core" : " cores")
          + " and the guest needs at least one; give 1 to " + maxHost);
    }
  }

  // ---------------------------------------------------------------- model

  /** One physical core as the planner sees it: its online threads, ascending. */
  private record Core(List<Integer> threads, int node, String domain, CoreType type) {
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
  private record Take(Core core, List<Integer> cpus) {
    boolean whole() {
      return cpus.size() == core.size();
    }
  }

  private static final class Layout {
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

    private Layout(CpuTopology topo) {
      this.topo = topo;
      Map<String, List<Cpu>> groups = new LinkedHashMap<>();
      for (Cpu c : topo.cpus()) {
        groups.computeIfAbsent(c.coreKey() + "|" + c.node() + "|" + c.l3() + "|" + c.type(), x -> new ArrayList<>()).add(c);
        nodeOf.put(c.id(), c.node());
        nodeFirst.putIfAbsent(c.node(), c.id());
      }
      for (List<Cpu> g : groups.values()) {
        Cpu c = g.get(0);
        String domain = c.node() + ":" + (c.l3() >= 0 ? "l3-" + c.l3() : "pkg-" + c.packageId() + "/" + c.dieId());
        Core core = new Core(g.stream().map(Cpu::id).sorted().toList(), c.node(), domain, c.type());
        cores.add(core);
        core.threads().forEach(t -> coreOf.put(t, core));
        domainFirst.merge(domain, core.first(), Math::min);
      }
      cores.sort(Comparator.comparingInt(Core::first));
      total = topo.cpus().size();
      l3Known = topo.cpus().stream().anyMatch(c -> c.l3() >= 0);
      hybrid = cores.stream().anyMatch(Core::efficient) && cores.stream().anyMatch(c -> !c.efficient());
      firstCore = cores.isEmpty() ? null : cores.get(0);
    }

    static Layout of(CpuTopology topo) {
      return new Layout(topo);
    }
  }

  private static int threads(Collection<Core> cores) {
    return cores.stream().mapToInt(Core::size).sum();
  }

  private static int pThreads(Collection<Core> cores) {
    return cores.stream().filter(c -> !c.efficient()).mapToInt(Core::size).sum();
  }

  // ---------------------------------------------------------------- choosing

  /** The cores the host would rather keep, best first. */
  private static List<Core> hostOrder(Layout l, boolean eCoresFirst) {
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
      if (threads(e.getValue()) < need) continue;
      List<Take> sel = pickDomains(e.getValue(), need, preferDomains, hostDomains);
      Set<String> doms = new HashSet<>(sel.stream().map(t -> t.core().domain()).toList());
      int capacity = threads(e.getValue().stream().filter(c -> doms.contains(c.domain())).toList());
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
      takes.addAll(pick(rest, need - threads(onPref), preferNodes.subList(i + 1, preferNodes.size()),
          preferDomains, hostDomains));
      return takes;
    }
    // the fewest nodes: the largest ones, then the fewest domains across them
    List<Integer> nodes = new ArrayList<>(byNode.keySet());
    nodes.sort(Comparator.<Integer>comparingInt(n -> -threads(byNode.get(n)))
        .thenComparingInt(n -> byNode.get(n).stream().anyMatch(c -> hostDomains.contains(c.domain())) ? 1 : 0)
        .thenComparingInt(n -> n));
    List<Core> union = new ArrayList<>();
    for (int n : nodes) {
      if (threads(union) >= need) break;
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
    ToIntFunction<String> cap = d -> threads(byDomain.get(d));
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
  private static List<Take> arrange(Layout l, List<Take> takes) {
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

  // ---------------------------------------------------------------- costs

  /** Builds the plain-English cost sentences. */
  private static final class Costs {
    final List<String> list = new ArrayList<>();
    final Layout l;
    final int vcpus;
    final List<Integer> vcpuToCpu;

    Costs(Layout l, int vcpus, List<Integer> vcpuToCpu) {
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
      List<String> groups = byDomain.values().stream().map(CpuPinningPlanner::cpus).toList();
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
  }

  private static String cpus(Collection<Integer> ids) {
    return (ids.size() == 1 ? "CPU " : "CPUs ") + CpuList.format(ids);
  }

  private static String join(Collection<Integer> ids) {
    return String.join(", ", ids.stream().map(String::valueOf).toList());
  }

  private static String vcpuLabel(Collection<Integer> ids) {
    return (ids.size() == 1 ? "vCPU " : "vCPUs ") + CpuList.format(ids);
  }
}
