package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Invariants of the planner over generated topologies. */
class CpuPinningPlannerPropertiesTest {

  /** A generated host and a vCPU count between 1 and its CPU count. */
  record Case(HostSpec spec, int vcpus) {
    CpuTopology topo() {
      return spec.build();
    }
  }

  record Shape(int packages, int nodes, int l3PerGroup, int coresPerL3, int smt, int eCoresPerL3) {}

  record Numbering(boolean split, boolean interleave, int stride, int offset, List<Integer> nodeIds, boolean dies) {}

  @Provide
  Arbitrary<HostSpec> hosts() {
    return hosts(Arbitraries.of(1, 2), Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 8))));
  }

  private static Arbitrary<HostSpec> hosts(Arbitrary<Integer> smt, Arbitrary<Integer> eCoresPerL3) {
    Arbitrary<Shape> shapes = Combinators.combine(
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(1, 16),
            smt,
            eCoresPerL3)
        .as(Shape::new);
    Arbitrary<Numbering> numberings = Combinators.combine(
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(1, 1, 2),
            Arbitraries.of(0, 0, 1),
            Arbitraries.of(List.of(0, 1), List.of(1, 0), List.of(0, 2), List.of(3, 1)),
            Arbitraries.of(true, false))
        .as(Numbering::new);
    return Combinators.combine(shapes, numberings).as((s, n) -> new HostSpec(s.packages(), s.nodes(),
        s.l3PerGroup(), s.coresPerL3(), s.smt(), s.eCoresPerL3(), n.split(), n.interleave(), n.stride(),
        n.offset(), n.nodeIds(), n.dies()));
  }

  @Provide
  Arbitrary<Case> cases() {
    return hosts().flatMap(h -> Arbitraries.integers().between(1, h.cpuCount()).map(v -> new Case(h, v)));
  }

  /** SMT hosts (some hybrid) with an even vCPU count. */
  @Provide
  Arbitrary<Case> smtEvenCases() {
    return hosts(Arbitraries.just(2), Arbitraries.of(0, 0, 0, 2, 8))
        .flatMap(h -> Arbitraries.integers().between(1, h.cpuCount() / 2).map(k -> new Case(h, 2 * k)));
  }

  /** Hosts where the request leaves room for a whole host core: vcpus <= threads - threadsPerCore. */
  @Provide
  Arbitrary<Case> roomyCases() {
    return hosts().filter(h -> h.cpuCount() - h.smt() >= 1)
        .flatMap(h -> Arbitraries.integers().between(1, h.cpuCount() - h.smt()).map(v -> new Case(h, v)));
  }

  /** Like roomyCases, without E-cores. */
  @Provide
  Arbitrary<Case> roomyUniformCases() {
    return hosts(Arbitraries.of(1, 2), Arbitraries.just(0)).filter(h -> h.cpuCount() - h.smt() >= 1)
        .flatMap(h -> Arbitraries.integers().between(1, h.cpuCount() - h.smt()).map(v -> new Case(h, v)));
  }

  @Provide
  Arbitrary<Case> hybridCases() {
    return hosts(Arbitraries.of(1, 2), Arbitraries.integers().between(1, 8))
        .flatMap(h -> Arbitraries.integers().between(1, h.cpuCount()).map(v -> new Case(h, v)));
  }

  @Property(tries = 200)
  void vcpusArePinnedToDistinctOnlineCpus(@ForAll("cases") Case c) {
    CpuTopology topo = c.topo();
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    Set<Integer> online = ids(topo);
    assertThat(plan.vcpuToCpu()).hasSize(c.vcpus()).doesNotHaveDuplicates();
    assertThat(online).containsAll(plan.vcpuToCpu());
    assertThat(online).containsAll(plan.emulatorCpus()).containsAll(plan.iothreadCpus());
    assertThat(plan.emulatorCpus()).isNotEmpty();
    Set<Integer> rest = new TreeSet<>(online);
    plan.vcpuToCpu().forEach(rest::remove);
    assertThat(plan.hostCpus()).containsExactlyElementsOf(rest);
    assertThat(CpuPinningPlanner.plan(topo, c.vcpus())).isEqualTo(plan);
  }

  @Property(tries = 200)
  void guestTopologyMultipliesToTheVcpuCount(@ForAll("cases") Case c) {
    GuestTopology g = CpuPinningPlanner.plan(c.topo(), c.vcpus()).guestTopology();
    assertThat(g.sockets() * g.dies() * g.cores() * g.threads()).isEqualTo(c.vcpus());
    assertThat(g.cores() * g.threads() * g.sockets()).isEqualTo(c.vcpus());
    assertThat(g.threads()).isIn(1, 2);
  }

  @Property(tries = 200)
  void numaNodeIsTheNodeOfEveryVcpuOrNull(@ForAll("cases") Case c) {
    CpuTopology topo = c.topo();
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    Set<Integer> nodes = new HashSet<>();
    plan.vcpuToCpu().forEach(id -> nodes.add(topo.cpu(id).node()));
    if (nodes.size() == 1) assertThat(plan.numaNode()).isEqualTo(nodes.iterator().next());
    else assertThat(plan.numaNode()).isNull();
  }

  @Property(tries = 200)
  void evenCountsKeepSiblingPairsTogether(@ForAll("smtEvenCases") Case c) {
    CpuTopology topo = c.topo();
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    Assume.that(plan.vcpuToCpu().stream().noneMatch(id -> topo.cpu(id).type() == CoreType.EFFICIENT));
    List<Integer> v = plan.vcpuToCpu();
    for (int k = 0; k < v.size(); k += 2) {
      assertThat(topo.siblingsOf(v.get(k))).as("vCPUs %d,%d on CPUs %d,%d", k, k + 1, v.get(k), v.get(k + 1))
          .containsExactlyInAnyOrder(v.get(k), v.get(k + 1));
    }
    assertThat(plan.guestTopology().threads()).isEqualTo(2);
  }

  @Property(tries = 200)
  void theHostKeepsAWholeCoreWhenThereIsRoom(@ForAll("roomyCases") Case c) {
    CpuTopology topo = c.topo();
    Assume.that(c.vcpus() <= topo.cpus().size() - topo.threadsPerCore());
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    Set<Integer> host = new HashSet<>(plan.hostCpus());
    assertThat(topo.cores()).anyMatch(host::containsAll);
    assertThat(host).containsAll(plan.emulatorCpus()).containsAll(plan.iothreadCpus());
    assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
    assertThat(plan.iothreadCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
    for (int id : plan.emulatorCpus()) assertThat(plan.emulatorCpus()).containsAll(topo.siblingsOf(id));
    assertThat(plan.costs()).noneMatch(s -> s.contains("to the guest:") || s.contains("no whole core"));
  }

  @Property(tries = 200)
  void sharingWithTheHostIsAlwaysACost(@ForAll("cases") Case c) {
    CpuTopology topo = c.topo();
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    Set<Integer> host = new HashSet<>(plan.hostCpus());
    boolean wholeCoreKept = topo.cores().stream().anyMatch(host::containsAll);
    boolean overlap = plan.emulatorCpus().stream().anyMatch(plan.vcpuToCpu()::contains);
    if (overlap || !wholeCoreKept) {
      assertThat(plan.costs()).anyMatch(s -> s.contains("to the guest:") || s.contains("no whole core"));
    }
  }

  /** Non-hybrid: the fewest NUMA nodes, and within them the fewest L3 domains. */
  @Property(tries = 200)
  void vcpusUseTheFewestNodesAndL3Domains(@ForAll("roomyUniformCases") Case c) {
    CpuTopology topo = c.topo();
    Assume.that(c.vcpus() <= topo.cpus().size() - topo.threadsPerCore());
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    int v = c.vcpus();
    Set<Integer> kept = new HashSet<>(plan.emulatorCpus());
    List<Cpu> eligible = topo.cpus().stream().filter(x -> !kept.contains(x.id())).toList();
    Map<Integer, Integer> nodeCap = new HashMap<>();
    eligible.forEach(x -> nodeCap.merge(x.node(), 1, Integer::sum));
    int minNodes = fewest(nodeCap.values(), v);

    Set<Integer> usedNodes = new HashSet<>();
    Set<Integer> usedL3 = new HashSet<>();
    plan.vcpuToCpu().forEach(id -> {
      usedNodes.add(topo.cpu(id).node());
      usedL3.add(topo.cpu(id).l3());
    });
    assertThat(usedNodes).hasSize(minNodes);

    int minL3;
    if (minNodes == 1) {
      minL3 = nodeCap.entrySet().stream().filter(e -> e.getValue() >= v)
          .mapToInt(e -> fewest(l3Caps(eligible, Set.of(e.getKey())), v)).min().orElseThrow();
    } else {
      minL3 = fewest(l3Caps(eligible, usedNodes), v);
    }
    assertThat(usedL3).hasSize(minL3);
  }

  /** Hybrid: E-cores only for what the P-cores cannot hold. */
  @Property(tries = 200)
  void eCoresOnlyWhenPCoresRunOut(@ForAll("hybridCases") Case c) {
    CpuTopology topo = c.topo();
    CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
    List<Integer> pCpus = topo.cpus().stream().filter(x -> x.type() == CoreType.PERFORMANCE).map(Cpu::id).toList();
    long onE = plan.vcpuToCpu().stream().filter(id -> topo.cpu(id).type() == CoreType.EFFICIENT).count();
    if (c.vcpus() <= pCpus.size()) {
      assertThat(onE).isZero();
      assertThat(plan.costs()).noneMatch(s -> s.contains("run on E-cores"));
    }
    if (onE > 0) {
      assertThat(plan.vcpuToCpu()).containsAll(pCpus);
      assertThat(plan.costs()).anyMatch(s -> s.contains("run on E-cores"));
    }
  }

  @Property(tries = 100)
  void theDefaultLeavesTheHostAWholeCore(@ForAll("hosts") HostSpec spec) {
    CpuTopology topo = spec.build();
    int d = CpuPinningPlanner.defaultVcpus(topo);
    assertThat(d).isBetween(1, topo.cpus().size());
    Assume.that(topo.coreCount() > 1);
    CpuPlan plan = CpuPinningPlanner.plan(topo, d);
    Set<Integer> host = new HashSet<>(plan.hostCpus());
    assertThat(topo.cores()).anyMatch(host::containsAll);
    assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
    long pThreads = topo.cpus().stream().filter(x -> x.type() == CoreType.PERFORMANCE).count();
    if (pThreads >= 4) {
      assertThat(plan.vcpuToCpu()).noneMatch(id -> topo.cpu(id).type() == CoreType.EFFICIENT);
    }
  }

  @Property(tries = 100)
  void impossibleCountsAreOneLineUserErrors(@ForAll("hosts") HostSpec spec) {
    CpuTopology topo = spec.build();
    int n = topo.cpus().size();
    for (int bad : new int[] {0, -1, n + 1, n * 2 + 3}) {
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--vcpus " + bad + ":")
          .hasMessageContaining(n + " online CPU")
          .hasMessageContaining("give 1 to " + n)
          .hasMessageNotContaining("\n");
    }
  }

  private static Set<Integer> ids(CpuTopology topo) {
    Set<Integer> s = new TreeSet<>();
    topo.cpus().forEach(c -> s.add(c.id()));
    return s;
  }

  /** The fewest of these capacities (largest first) whose sum reaches need. */
  private static int fewest(java.util.Collection<Integer> capacities, int need) {
    List<Integer> sorted = new ArrayList<>(capacities);
    sorted.sort(Comparator.reverseOrder());
    int sum = 0;
    for (int i = 0; i < sorted.size(); i++) {
      sum += sorted.get(i);
      if (sum >= need) return i + 1;
    }
    throw new AssertionError("capacities " + capacities + " cannot hold " + need);
  }

  private static List<Integer> l3Caps(List<Cpu> eligible, Set<Integer> nodes) {
    Map<Integer, Integer> caps = new HashMap<>();
    eligible.stream().filter(x -> nodes.contains(x.node())).forEach(x -> caps.merge(x.l3(), 1, Integer::sum));
    return new ArrayList<>(caps.values());
  }
}
