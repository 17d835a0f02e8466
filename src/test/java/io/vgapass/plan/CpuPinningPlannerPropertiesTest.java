package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import io.vgapass.testing.Cases;
import io.vgapass.testing.Gen;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Invariants of the planner over generated topologies. */
class CpuPinningPlannerPropertiesTest {

  /** A generated host and a vCPU count between 1 and its CPU count. */
  record Case(HostSpec spec, int vcpus) {
    CpuTopology topo() {
      return spec.build();
    }
  }

  static HostSpec hosts(Gen g) {
    return hosts(g, x -> x.of(1, 2), x -> x.oneIn(4) ? x.between(1, 8) : 0);
  }

  /**
   * One or two packages and nodes, up to 4 L3 domains of up to 16 cores per group, numbered in every way
   * HostSpec knows. One host in eight has its L3 count and core count at an end of their ranges together, so the
   * smallest and the largest shapes come up often, not only by the luck of several draws at once.
   */
  static HostSpec hosts(Gen g, Function<Gen, Integer> smt, Function<Gen, Integer> eCoresPerL3) {
    boolean corner = g.oneIn(8);
    int packages = g.between(1, 2);
    int nodes = g.between(1, 2);
    int l3PerGroup = corner ? g.of(1, 4) : g.between(1, 4);
    int coresPerL3 = corner ? g.of(1, 16) : g.between(1, 16);
    return new HostSpec(packages, nodes, l3PerGroup, coresPerL3, smt.apply(g), eCoresPerL3.apply(g), g.bool(),
        g.bool(), g.of(1, 1, 2), g.of(0, 0, 1), g.of(List.of(0, 1), List.of(1, 0), List.of(0, 2), List.of(3, 1)),
        g.bool());
  }

  static Case cases(Gen g) {
    HostSpec h = hosts(g);
    return new Case(h, g.between(1, h.cpuCount()));
  }

  /** SMT hosts (some hybrid) with an even vCPU count that the planner gives P-cores (or uniform cores) only. */
  static Case smtEvenCases(Gen g) {
    return g.until(x -> {
      HostSpec h = hosts(x, y -> 2, y -> y.of(0, 0, 0, 2, 8));
      return new Case(h, 2 * x.between(1, h.cpuCount() / 2));
    }, CpuPinningPlannerPropertiesTest::noVcpuOnAnECore);
  }

  /** Hosts where the request leaves room for a whole host core: vcpus <= threads - threadsPerCore. */
  static Case roomyCases(Gen g) {
    return roomy(g, CpuPinningPlannerPropertiesTest::hosts);
  }

  /** Like roomyCases, without E-cores. */
  static Case roomyUniformCases(Gen g) {
    return roomy(g, x -> hosts(x, y -> y.of(1, 2), y -> 0));
  }

  private static Case roomy(Gen g, Function<Gen, HostSpec> hosts) {
    return g.until(x -> {
      HostSpec h = x.until(hosts, y -> y.cpuCount() - y.smt() >= 1);
      return new Case(h, x.between(1, h.cpuCount() - h.smt()));
    }, CpuPinningPlannerPropertiesTest::roomy);
  }

  static Case hybridCases(Gen g) {
    HostSpec h = hosts(g, x -> x.of(1, 2), x -> x.between(1, 8));
    return new Case(h, g.between(1, h.cpuCount()));
  }

  private static boolean roomy(Case c) {
    CpuTopology topo = c.topo();
    return c.vcpus() <= topo.cpus().size() - topo.threadsPerCore();
  }

  private static boolean noVcpuOnAnECore(Case c) {
    CpuTopology topo = c.topo();
    return CpuPinningPlanner.plan(topo, c.vcpus()).vcpuToCpu().stream()
        .noneMatch(id -> topo.cpu(id).type() == CoreType.EFFICIENT);
  }

  /**
   * The corners, run every time: every shape with each count at an end of its range (1 CPU up to 2 packages x 4
   * L3 x (16 cores x 2 threads + 8 E-cores) = 320), in the usual numbering, and the largest in each other one.
   */
  static List<HostSpec> cornerHosts() {
    List<HostSpec> out = new ArrayList<>();
    for (int packages : new int[] {1, 2}) {
      for (int nodes : new int[] {1, 2}) {
        for (int l3 : new int[] {1, 4}) {
          for (int cores : new int[] {1, 16}) {
            for (int smt : new int[] {1, 2}) {
              for (int e : new int[] {0, 8}) out.add(HostSpec.simple(packages, nodes, l3, cores, smt, e, false));
            }
          }
        }
      }
    }
    List<Integer> nodes01 = List.of(0, 1);
    out.add(new HostSpec(2, 2, 4, 16, 2, 8, true, false, 1, 0, nodes01, false));
    out.add(new HostSpec(2, 2, 4, 16, 2, 8, false, true, 1, 0, nodes01, false));
    out.add(new HostSpec(2, 2, 4, 16, 2, 8, true, true, 2, 1, List.of(3, 1), false));
    out.add(new HostSpec(1, 2, 4, 16, 2, 8, true, false, 1, 0, List.of(1, 0), true));
    out.add(new HostSpec(2, 1, 4, 16, 2, 0, true, true, 2, 0, List.of(0, 2), false));
    return out;
  }

  /** The corner hosts that pass {@code host}, each with the vCPU counts at the ends of what is allowed. */
  private static List<Case> corners(Predicate<HostSpec> host, Function<HostSpec, IntStream> vcpus,
      Predicate<Case> keep) {
    return cornerHosts().stream().filter(host)
        .flatMap(h -> vcpus.apply(h).distinct().filter(v -> v >= 1).mapToObj(v -> new Case(h, v)))
        .filter(keep).toList();
  }

  private static List<Case> corners() {
    return corners(h -> true, h -> IntStream.of(1, h.cpuCount()), c -> true);
  }

  private static List<Case> smtEvenCorners() {
    return corners(h -> h.smt() == 2, h -> IntStream.of(2, h.cpuCount() / 2 * 2),
        CpuPinningPlannerPropertiesTest::noVcpuOnAnECore);
  }

  private static List<Case> roomyCorners() {
    return corners(h -> h.cpuCount() - h.smt() >= 1, h -> IntStream.of(1, h.cpuCount() - h.smt()),
        CpuPinningPlannerPropertiesTest::roomy);
  }

  private static List<Case> roomyUniformCorners() {
    return corners(h -> h.eCoresPerL3() == 0 && h.cpuCount() - h.smt() >= 1,
        h -> IntStream.of(1, h.cpuCount() - h.smt()), CpuPinningPlannerPropertiesTest::roomy);
  }

  private static List<Case> hybridCorners() {
    return corners(h -> h.eCoresPerL3() > 0, h -> IntStream.of(1, h.cpuCount()), c -> true);
  }

  @Test
  void theGeneratorsReachTheCorners() {
    Gen g = new Gen(Cases.runSeed());
    Set<Integer> cpuCounts = new HashSet<>();
    boolean oneVcpu = false;
    boolean allVcpus = false;
    for (int i = 0; i < 100_000; i++) {
      Case c = cases(g);
      cpuCounts.add(c.spec().cpuCount());
      oneVcpu |= c.vcpus() == 1;
      allVcpus |= c.vcpus() == c.spec().cpuCount() && c.vcpus() > 1;
    }
    assertThat(cpuCounts).as("the smallest and the largest hosts").contains(1, 320);
    assertThat(oneVcpu).isTrue();
    assertThat(allVcpus).as("a guest with every CPU").isTrue();
  }

  @TestFactory
  Stream<DynamicTest> vcpusArePinnedToDistinctOnlineCpus() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::cases)
        .fixed(corners())
        .check(c -> {
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
        });
  }

  @TestFactory
  Stream<DynamicTest> guestTopologyMultipliesToTheVcpuCount() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::cases)
        .fixed(corners())
        .check(c -> {
          GuestTopology g = CpuPinningPlanner.plan(c.topo(), c.vcpus()).guestTopology();
          assertThat(g.sockets() * g.dies() * g.cores() * g.threads()).isEqualTo(c.vcpus());
          assertThat(g.cores() * g.threads() * g.sockets()).isEqualTo(c.vcpus());
          assertThat(g.threads()).isIn(1, 2);
        });
  }

  @TestFactory
  Stream<DynamicTest> numaNodeIsTheNodeOfEveryVcpuOrNull() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::cases)
        .fixed(corners())
        .check(c -> {
          CpuTopology topo = c.topo();
          CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
          Set<Integer> nodes = new HashSet<>();
          plan.vcpuToCpu().forEach(id -> nodes.add(topo.cpu(id).node()));
          if (nodes.size() == 1) assertThat(plan.numaNode()).isEqualTo(nodes.iterator().next());
          else assertThat(plan.numaNode()).isNull();
        });
  }

  @TestFactory
  Stream<DynamicTest> evenCountsKeepSiblingPairsTogether() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::smtEvenCases)
        .fixed(smtEvenCorners())
        .check(c -> {
          CpuTopology topo = c.topo();
          CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
          List<Integer> v = plan.vcpuToCpu();
          for (int k = 0; k < v.size(); k += 2) {
            assertThat(topo.siblingsOf(v.get(k))).as("vCPUs %d,%d on CPUs %d,%d", k, k + 1, v.get(k), v.get(k + 1))
                .containsExactlyInAnyOrder(v.get(k), v.get(k + 1));
          }
          assertThat(plan.guestTopology().threads()).isEqualTo(2);
        });
  }

  @TestFactory
  Stream<DynamicTest> theHostKeepsAWholeCoreWhenThereIsRoom() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::roomyCases)
        .fixed(roomyCorners())
        .check(c -> {
          CpuTopology topo = c.topo();
          CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
          Set<Integer> host = new HashSet<>(plan.hostCpus());
          assertThat(topo.cores()).anyMatch(host::containsAll);
          assertThat(host).containsAll(plan.emulatorCpus()).containsAll(plan.iothreadCpus());
          assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
          assertThat(plan.iothreadCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
          for (int id : plan.emulatorCpus()) assertThat(plan.emulatorCpus()).containsAll(topo.siblingsOf(id));
          assertThat(plan.costs()).noneMatch(s -> s.contains("to the guest:") || s.contains("no whole core"));
        });
  }

  @TestFactory
  Stream<DynamicTest> sharingWithTheHostIsAlwaysACost() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::cases)
        .fixed(corners())
        .check(c -> {
          CpuTopology topo = c.topo();
          CpuPlan plan = CpuPinningPlanner.plan(topo, c.vcpus());
          Set<Integer> host = new HashSet<>(plan.hostCpus());
          boolean wholeCoreKept = topo.cores().stream().anyMatch(host::containsAll);
          boolean overlap = plan.emulatorCpus().stream().anyMatch(plan.vcpuToCpu()::contains);
          if (overlap || !wholeCoreKept) {
            assertThat(plan.costs()).anyMatch(s -> s.contains("to the guest:") || s.contains("no whole core"));
          }
        });
  }

  /** Non-hybrid: the fewest NUMA nodes, and within them the fewest L3 domains. */
  @TestFactory
  Stream<DynamicTest> vcpusUseTheFewestNodesAndL3Domains() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::roomyUniformCases)
        .fixed(roomyUniformCorners())
        .check(c -> {
          CpuTopology topo = c.topo();
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
        });
  }

  /** Hybrid: E-cores only for what the P-cores cannot hold. */
  @TestFactory
  Stream<DynamicTest> eCoresOnlyWhenPCoresRunOut() {
    return Cases.of(200, CpuPinningPlannerPropertiesTest::hybridCases)
        .fixed(hybridCorners())
        .check(c -> {
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
        });
  }

  @TestFactory
  Stream<DynamicTest> theDefaultLeavesTheHostAWholeCore() {
    return Cases.of(100, CpuPinningPlannerPropertiesTest::hosts)
        .fixed(cornerHosts())
        .check(spec -> {
          CpuTopology topo = spec.build();
          int d = CpuPinningPlanner.defaultVcpus(topo);
          assertThat(d).isBetween(1, topo.cpus().size());
          if (topo.coreCount() == 1) return; // one core: the guest must share it, nothing is left to the host
          CpuPlan plan = CpuPinningPlanner.plan(topo, d);
          Set<Integer> host = new HashSet<>(plan.hostCpus());
          assertThat(topo.cores()).anyMatch(host::containsAll);
          assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
          long pThreads = topo.cpus().stream().filter(x -> x.type() == CoreType.PERFORMANCE).count();
          if (pThreads >= 4) {
            assertThat(plan.vcpuToCpu()).noneMatch(id -> topo.cpu(id).type() == CoreType.EFFICIENT);
          }
        });
  }

  @TestFactory
  Stream<DynamicTest> impossibleCountsAreOneLineUserErrors() {
    return Cases.of(100, CpuPinningPlannerPropertiesTest::hosts)
        .fixed(cornerHosts())
        .check(spec -> {
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
        });
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
