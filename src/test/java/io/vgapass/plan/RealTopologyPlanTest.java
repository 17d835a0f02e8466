package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.CoreType;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuTopology;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.TranscribedHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Plans on real topologies (hwloc and util-linux test data, as captures vgapass made of them under
 * src/test/resources/captures/cpu-topology, read through {@link HostReader}). Fails when a capture
 * is absent. Assertions hold both for what HostReader reads today and for what the captures
 * really say, so they survive fixes to the reader.
 */
class RealTopologyPlanTest {
  /** The capture's root, unpacked. */
  static Path root(String capture) {
    return TranscribedHosts.cpuTopology(capture);
  }

  static CpuTopology read(String capture) {
    return HostReader.read(new SysRoot(root(capture))).cpu();
  }

  @TestFactory
  Stream<DynamicTest> everyCaptureGetsASanePlan() throws IOException {
    List<String> names = TranscribedHosts.CPU_TOPOLOGIES;
    assertThat(names).hasSizeGreaterThanOrEqualTo(6);
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : names) {
      tests.add(DynamicTest.dynamicTest(name, () -> {
        CpuTopology topo = read(name);
        int total = topo.cpus().size();
        int def = CpuPinningPlanner.defaultVcpus(topo);
        assertThat(def).isBetween(1, total - 1);
        for (int v : new TreeSet<>(List.of(1, 2, 3, 4, def / 2, def, total))) {
          CpuPlan plan = CpuPinningPlanner.plan(topo, v);
          Set<Integer> online = new HashSet<>(topo.cpus().stream().map(Cpu::id).toList());
          assertThat(plan.vcpuToCpu()).as("%s, %d vCPUs", name, v).hasSize(v).doesNotHaveDuplicates();
          assertThat(online).containsAll(plan.vcpuToCpu());
          assertThat(plan.guestTopology().vcpus()).isEqualTo(v);
          if (v <= def) {
            assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.vcpuToCpu());
            assertThat(plan.hostCpus()).containsAll(plan.emulatorCpus());
            assertThat(plan.costs()).noneMatch(c -> c.contains("to the guest:") || c.contains("no whole core"));
          } else {
            assertThat(plan.costs()).anyMatch(c -> c.contains("to the guest:"));
          }
        }
      }));
    }
    return tests.stream();
  }

  /** Intel Xeon, 4 sockets x 2 cores x 2 threads, siblings N and N+8, packages interleaved. */
  @Test
  void fourSocketSmtKeepsSiblingsAndOnePackage() {
    CpuTopology topo = read("hwloc-linux-intel-4s2c2t-SMT");
    CpuPlan plan = CpuPinningPlanner.plan(topo, 4);
    // package 1 = CPUs 1,5,9,13 (cores 1/9 and 5/13); package 0 holds the host's core 0/8
    assertThat(plan.vcpuToCpu()).containsExactly(1, 9, 5, 13);
    assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 2, 2));
    assertThat(plan.emulatorCpus()).containsExactly(0, 8);
    assertThat(plan.costs()).isEmpty();
    List<Integer> v = plan.vcpuToCpu();
    for (int k = 0; k < v.size(); k += 2) assertThat(topo.siblingsOf(v.get(k))).contains(v.get(k + 1));

    CpuPlan all = CpuPinningPlanner.plan(topo, CpuPinningPlanner.defaultVcpus(topo));
    assertThat(all.vcpus()).isEqualTo(14);
    assertThat(all.guestTopology().threads()).isEqualTo(2);
    assertThat(all.costs()).singleElement().asString().startsWith("the vCPUs span 4 ");
  }

  /** AMD Opteron 6272, 4 packages, 8 NUMA nodes numbered out of order (node 6 = CPUs 16-23). */
  @Test
  void eightNodeOpteronStaysOnOneNodeForSmallRequests() {
    CpuTopology topo = read("hwloc-linux-amd-opteron-4p2n-modules");
    assertThat(topo.nodes()).hasSize(8);
    for (int v = 1; v <= 8; v++) {
      CpuPlan plan = CpuPinningPlanner.plan(topo, v);
      assertThat(plan.numaNode()).as("%d vCPUs", v).isNotNull().isNotEqualTo(topo.cpu(0).node());
      for (int id : plan.vcpuToCpu()) assertThat(topo.cpu(id).node()).isEqualTo(plan.numaNode());
      assertThat(plan.vcpuToCpu().stream().map(id -> topo.cpu(id).l3()).distinct()).hasSize(1);
      assertThat(plan.costs()).noneMatch(c -> c.contains("NUMA"));
    }
    CpuPlan onSix = CpuPinningPlanner.plan(topo, 4, CpuPinningPlanner.Options.preferNode(6));
    assertThat(onSix.numaNode()).isEqualTo(6);
    assertThat(onSix.vcpuToCpu()).allMatch(id -> id >= 16 && id <= 23);

    CpuPlan big = CpuPinningPlanner.plan(topo, 12);
    assertThat(big.numaNode()).isNull();
    assertThat(big.vcpuToCpu().stream().map(id -> topo.cpu(id).node()).distinct()).hasSize(2);
    assertThat(big.costs()).anyMatch(c -> c.startsWith("the vCPUs span NUMA nodes"));
  }

  /**
   * Intel Lakefield i5-L16G7: one Sunny Cove P-core (CPU 4: cpufreq policy4 max 3.0 GHz,
   * acpi_cppc highest_perf 43, private L2) and four Tremont E-cores (CPUs 0-3: 2.8 GHz, 28, one
   * shared L2). HostReader currently reads all five as UNIFORM; until it tells them apart, the
   * test applies those facts itself.
   */
  @Test
  void lakefieldUsesThePCoreFirst() {
    CpuTopology read = read("hwloc-linux-lakefield-hybrid-noSMT");
    CpuTopology topo = read.hybrid() ? read : new CpuTopology(read.model(), read.vendor(), read.flags(),
        read.cpus().stream().map(c -> new Cpu(c.id(), c.packageId(), c.dieId(), c.core(), c.l3(), c.node(),
            c.id() == 4 ? CoreType.PERFORMANCE : CoreType.EFFICIENT)).toList());
    assertThat(topo.cpu(4).type()).isEqualTo(CoreType.PERFORMANCE);

    CpuPlan one = CpuPinningPlanner.plan(topo, 1);
    assertThat(one.vcpuToCpu()).containsExactly(4);
    assertThat(one.emulatorCpus()).containsExactly(0);
    assertThat(one.costs()).isEmpty();

    assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(4);
    CpuPlan four = CpuPinningPlanner.plan(topo, 4);
    assertThat(four.vcpuToCpu()).containsExactly(4, 1, 2, 3);
    assertThat(four.emulatorCpus()).containsExactly(0);
    assertThat(four.costs()).singleElement().asString()
        .startsWith("vCPUs 1-3 run on E-cores (CPUs 1-3)").endsWith("--vcpus 1 stays on P-cores");
  }

  /** Intel Xeon E5345, 2 sockets x 4 cores, no SMT, no L3 (pkg 0 = even CPUs, pkg 1 = odd). */
  @Test
  void twoSocketsWithoutL3KeepOnePackage() {
    CpuTopology topo = read("hwloc-linux-intel-2s-4c-noSMT");
    assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(7);
    CpuPlan plan = CpuPinningPlanner.plan(topo, 4);
    assertThat(plan.vcpuToCpu()).containsExactly(1, 3, 5, 7);
    assertThat(plan.emulatorCpus()).containsExactly(0);
    assertThat(plan.costs()).isEmpty();
    assertThat(CpuPinningPlanner.plan(topo, 3).vcpuToCpu()).containsExactly(1, 3, 5);
  }

  /** Intel Xeon X7550, 4 sockets x 8 cores x 2 threads, one L3 per socket, packages interleaved. */
  @Test
  void sixtyFourCpusKeepOneL3AndSiblingPairs() {
    CpuTopology topo = read("utillinux-x86_64-64cpu");
    CpuPlan plan = CpuPinningPlanner.plan(topo, 8);
    List<Integer> v = plan.vcpuToCpu();
    assertThat(v.stream().map(id -> topo.cpu(id).l3()).distinct()).singleElement()
        .isNotEqualTo(topo.cpu(0).l3());
    for (int k = 0; k < v.size(); k += 2) assertThat(topo.siblingsOf(v.get(k))).contains(v.get(k + 1));
    assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 4, 2));
    assertThat(plan.emulatorCpus()).containsExactly(0, 32);
    assertThat(plan.costs()).isEmpty();
  }

  /** AMD Opteron 6328 under VMware: 2 packages, 4 L3 domains of 4 CPUs. */
  @Test
  void vmwareGuestKeepsOneL3() {
    CpuTopology topo = read("utillinux-vmware_fpe");
    CpuPlan plan = CpuPinningPlanner.plan(topo, 4);
    assertThat(plan.vcpuToCpu()).containsExactly(4, 5, 6, 7);
    assertThat(plan.costs()).isEmpty();
  }
}
