package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads the real CPU topologies (hwloc and util-linux test data, as captures vgapass made of them under
 * src/test/resources/captures/cpu-topology) with HostReader, and checks what they show.
 */
class ReferenceTopologyTest {

  private static CpuTopology read(String dir, String capture) {
    // capture: the upstream dump's own name, for the reader of this test
    return HostReader.read(new SysRoot(TranscribedHosts.cpuTopology(dir))).cpu();
  }

  @Test
  void intel4Sockets2Cores2ThreadsOnAnOldKernel() {
    // only masks (thread_siblings, shared_cpu_map), no *_list files, no "online" file
    CpuTopology t = read("hwloc-linux-intel-4s2c2t-SMT", "16em64t-4s2c2t");
    assertThat(t.cpus()).hasSize(16);
    assertThat(t.packageCount()).isEqualTo(4);
    assertThat(t.coreCount()).isEqualTo(8);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.siblingsOf(0)).containsExactly(0, 8);
    assertThat(t.siblingsOf(13)).containsExactly(5, 13);
    assertThat(t.cpu(4).packageId()).isZero();
    // one L3 per package, read from shared_cpu_map 00001111
    assertThat(t.l3Domains()).containsExactly(0, 1, 2, 3);
    assertThat(List.of(t.cpu(0).l3(), t.cpu(4).l3(), t.cpu(8).l3(), t.cpu(12).l3())).containsOnly(0);
    assertThat(t.nodes()).containsExactly(0);
    assertThat(t.hasVmx()).isTrue();
  }

  @Test
  void intel2SocketsWithoutSmtOnOneMemoryNode() {
    // two Xeon E5345 on a front-side bus: two packages, but the capture has one NUMA node
    CpuTopology t = read("hwloc-linux-intel-2s-4c-noSMT", "8em64t-2s2ca2c");
    assertThat(t.model()).contains("E5345");
    assertThat(t.cpus()).hasSize(8);
    assertThat(t.packageCount()).isEqualTo(2);
    assertThat(t.threadsPerCore()).isEqualTo(1);
    assertThat(t.siblingsOf(4)).containsExactly(4);
    assertThat(t.cpus()).filteredOn(c -> c.packageId() == 1).extracting(Cpu::id).containsExactly(1, 3, 5, 7);
    assertThat(t.nodes()).containsExactly(0);
    // Clovertown has no L3 (its last level is an L2 shared by two cores): unknown, not invented
    assertThat(t.l3Domains()).containsExactly(-1);
  }

  @Test
  void lakefieldIsHybridOnAKernelWithoutCpuCoreAndCpuAtom() {
    // kernel 5.3: no sys/devices/cpu_core|cpu_atom; intel_pstate's base_frequency tells
    // the Sunny Cove P-core (cpu4, 2.0 GHz base) from the four Tremont E-cores (1.4 GHz)
    CpuTopology t = read("hwloc-linux-lakefield-hybrid-noSMT", "5intel64-hybrid-lakefield");
    assertThat(t.cpus()).hasSize(5);
    assertThat(t.hybrid()).isTrue();
    assertThat(t.cpu(4).type()).isEqualTo(CoreType.PERFORMANCE);
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.EFFICIENT).extracting(Cpu::id)
        .containsExactly(0, 1, 2, 3);
    assertThat(t.threadsPerCore()).isEqualTo(1);
    assertThat(t.l3Domains()).containsExactly(0);
    assertThat(t.nodes()).containsExactly(0);
  }

  @Test
  void opteronWithEightNodesOutOfOrder() {
    CpuTopology t = read("hwloc-linux-amd-opteron-4p2n-modules", "64amd64-4p2n4ca2co");
    assertThat(t.cpus()).hasSize(64);
    assertThat(t.packageCount()).isEqualTo(4);
    assertThat(t.nodes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    // node numbers do not follow CPU numbers: 16-23 is node 6, 32-39 node 2
    assertThat(t.cpu(16).node()).isEqualTo(6);
    assertThat(t.cpu(24).node()).isEqualTo(7);
    assertThat(t.cpu(32).node()).isEqualTo(2);
    assertThat(t.cpu(63).node()).isEqualTo(5);
    assertThat(t.cpu(16).packageId()).isEqualTo(3);
    // compute-unit siblings as the kernel states them (thread_siblings_list 0-1), although
    // core_id repeats on the package's second die (cpu0 and cpu8 are both core 0 of package 0)
    assertThat(t.siblingsOf(0)).containsExactly(0, 1);
    assertThat(t.siblingsOf(8)).containsExactly(8, 9);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.coreCount()).isEqualTo(32);
    assertThat(t.l3Domains()).containsExactly(0, 8, 16, 24, 32, 40, 48, 56);
  }

  @Test
  void vmwareGuestWithFourNodesKnownOnlyByCpumap() {
    CpuTopology t = read("utillinux-vmware_fpe", "vmware_fpe");
    assertThat(t.model()).contains("Opteron").contains("6328");
    assertThat(t.cpus()).hasSize(16);
    assertThat(t.packageCount()).isEqualTo(2);
    assertThat(t.nodes()).containsExactly(0, 1, 2, 3);
    assertThat(t.cpu(5).node()).isEqualTo(1);
    assertThat(t.cpu(15).node()).isEqualTo(3);
    assertThat(t.siblingsOf(4)).containsExactly(4, 5);
    assertThat(t.siblingsOf(0)).containsExactly(0, 1);
    assertThat(t.l3Domains()).containsExactly(0, 4, 8, 12);
    assertThat(t.hasSvm()).isTrue();
  }

  @Test
  void sixtyFourCpusWithSpreadNumbering() {
    CpuTopology t = read("utillinux-x86_64-64cpu", "x86_64-64cpu");
    assertThat(t.cpus()).hasSize(64);
    assertThat(t.packageCount()).isEqualTo(4);
    assertThat(t.threadsPerCore()).isEqualTo(2);
    assertThat(t.siblingsOf(0)).containsExactly(0, 32);
    assertThat(t.siblingsOf(33)).containsExactly(1, 33);
    assertThat(t.cpu(1).packageId()).isEqualTo(2);
    assertThat(t.l3Domains()).containsExactly(0, 1, 2, 3);
    assertThat(t.cpu(4).l3()).isZero();
    // the capture holds node0, node2 and node3 as cpumap only (node1 is absent from it)
    assertThat(t.nodes()).containsExactly(0, 2, 3);
    assertThat(t.cpu(3).node()).isEqualTo(3);
  }
}
