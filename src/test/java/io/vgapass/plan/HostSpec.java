package io.vgapass.plan;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact description of a CPU topology that {@link #build()} turns into a {@link CpuTopology},
 * the way Linux would number it.
 *
 * <p>The host has one or two packages and one or two NUMA nodes; each (package, node) pair is a
 * group with {@code l3PerGroup} L3 domains of {@code coresPerL3} cores with {@code smt} threads,
 * plus {@code eCoresPerL3} single-thread E-cores (a hybrid host when > 0).
 *
 * @param splitThreads Linux's usual numbering: every core's first thread, then every core's
 *     second thread (siblings 0/N); otherwise a core's threads are adjacent (0/1, 2/3...)
 * @param interleaveGroups number cores round-robin across groups (CPU 0 on package 0, CPU 1 on
 *     package 1...), as some multi-socket BIOSes do
 * @param idStride multiply every CPU id (2: only even ids exist, sparse numbering)
 * @param idOffset add to every CPU id (1: CPU 0 is offline)
 * @param nodeIds the node number of the first and second group (out of order, sparse)
 * @param diePerNode a package with two nodes has two dies, and core ids restart in each die
 */
record HostSpec(
    int packages,
    int nodes,
    int l3PerGroup,
    int coresPerL3,
    int smt,
    int eCoresPerL3,
    boolean splitThreads,
    boolean interleaveGroups,
    int idStride,
    int idOffset,
    List<Integer> nodeIds,
    boolean diePerNode) {

  static HostSpec simple(int packages, int nodes, int l3PerGroup, int coresPerL3, int smt, int eCoresPerL3,
      boolean splitThreads) {
    return new HostSpec(packages, nodes, l3PerGroup, coresPerL3, smt, eCoresPerL3, splitThreads, false, 1, 0,
        List.of(0, 1), false);
  }

  int groups() {
    return Math.max(packages, nodes);
  }

  int cpuCount() {
    return groups() * l3PerGroup * (coresPerL3 * smt + eCoresPerL3);
  }

  private record Group(int pkg, int node, int die) {}

  private record CoreDesc(int group, int l3, int indexInGroup, int coreId, CoreType type, int threads) {}

  CpuTopology build() {
    List<Group> groups = new ArrayList<>();
    if (packages == 1 && nodes == 1) {
      groups.add(new Group(0, nodeIds.get(0), 0));
    } else if (packages == 1) {
      groups.add(new Group(0, nodeIds.get(0), 0));
      groups.add(new Group(0, nodeIds.get(1), diePerNode ? 1 : 0));
    } else if (nodes == 1) {
      groups.add(new Group(0, nodeIds.get(0), 0));
      groups.add(new Group(1, nodeIds.get(0), 0));
    } else {
      groups.add(new Group(0, nodeIds.get(0), 0));
      groups.add(new Group(1, nodeIds.get(1), 0));
    }
    boolean hybrid = eCoresPerL3 > 0;
    List<CoreDesc> cores = new ArrayList<>();
    Map<String, Integer> coreIdCounter = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      Group grp = groups.get(g);
      int index = 0;
      for (int d = 0; d < l3PerGroup; d++) {
        for (int c = 0; c < coresPerL3 + eCoresPerL3; c++) {
          boolean e = c >= coresPerL3;
          String counter = grp.pkg() + "/" + grp.die();
          int coreId = coreIdCounter.merge(counter, 1, Integer::sum) - 1;
          CoreType type = !hybrid ? CoreType.UNIFORM : e ? CoreType.EFFICIENT : CoreType.PERFORMANCE;
          cores.add(new CoreDesc(g, d, index++, coreId, type, e ? 1 : smt));
        }
      }
    }
    if (interleaveGroups) {
      cores.sort(Comparator.comparingInt(CoreDesc::indexInGroup).thenComparingInt(CoreDesc::group));
    }
    // raw thread numbers per core
    Map<CoreDesc, List<Integer>> ids = new HashMap<>();
    int next = 0;
    if (splitThreads) {
      int maxThreads = cores.stream().mapToInt(CoreDesc::threads).max().orElse(1);
      for (int t = 0; t < maxThreads; t++) {
        for (CoreDesc c : cores) {
          if (t < c.threads()) ids.computeIfAbsent(c, x -> new ArrayList<>()).add(next++);
        }
      }
    } else {
      for (CoreDesc c : cores) {
        for (int t = 0; t < c.threads(); t++) ids.computeIfAbsent(c, x -> new ArrayList<>()).add(next++);
      }
    }
    // L3 id = lowest CPU sharing it, as the kernel's shared_cpu_list gives it
    Map<String, Integer> l3Id = new HashMap<>();
    for (CoreDesc c : cores) {
      for (int raw : ids.get(c)) l3Id.merge(c.group() + "/" + c.l3(), id(raw), Math::min);
    }
    List<Cpu> cpus = new ArrayList<>();
    for (CoreDesc c : cores) {
      Group g = groups.get(c.group());
      for (int raw : ids.get(c)) {
        cpus.add(new Cpu(id(raw), g.pkg(), g.die(), c.coreId(), l3Id.get(c.group() + "/" + c.l3()), g.node(),
            c.type()));
      }
    }
    return new CpuTopology("generated " + this, "GenuineIntel", Set.of("vmx"), cpus);
  }

  private int id(int raw) {
    return raw * idStride + idOffset;
  }

  // the example hosts

  /** Intel Core i5-4690 (Haswell): 4 cores, no SMT, one L3. The project's reference machine. */
  static CpuTopology i5_4690() {
    return simple(1, 1, 1, 4, 1, 0, false).build();
  }

  /** AMD Ryzen 9 3900X-like: 12 cores / 24 threads, 4 CCXs of 3 cores; siblings are N and N+12. */
  static CpuTopology ryzen3900x() {
    return simple(1, 1, 4, 3, 2, 0, true).build();
  }

  /** Two sockets of 8 cores / 16 threads, one NUMA node each; pkg 0 = CPUs 0-7,16-23. */
  static CpuTopology twoSocket() {
    return simple(2, 2, 1, 8, 2, 0, true).build();
  }

  /** Alder Lake i9-12900K-like: 8 P-cores with SMT (CPUs 0-15, siblings 0/1...), 8 E-cores (16-23). */
  static CpuTopology hybrid8p8e() {
    return simple(1, 1, 1, 8, 2, 8, false).build();
  }
}
