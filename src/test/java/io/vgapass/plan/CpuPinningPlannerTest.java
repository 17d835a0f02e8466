package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.CpuTopology;
import io.vgapass.plan.CpuPinningPlanner.Options;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CpuPinningPlannerTest {

  @Nested
  class ReferenceMachineI5_4690 {
    final CpuTopology topo = HostSpec.i5_4690();

    @Test
    void defaultLeavesCpu0ToTheHost() {
      assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(3);
      CpuPlan plan = CpuPinningPlanner.plan(topo, 3);
      assertThat(plan.vcpuToCpu()).containsExactly(1, 2, 3);
      assertThat(plan.emulatorCpus()).containsExactly(0);
      assertThat(plan.iothreadCpus()).containsExactly(0);
      assertThat(plan.hostCpus()).containsExactly(0);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 3, 1));
      assertThat(plan.numaNode()).isZero();
      assertThat(plan.costs()).isEmpty();
    }

    @Test
    void fourVcpusAreAllowedAndTheirCostIsSpelledOut() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 4);
      assertThat(plan.vcpuToCpu()).containsExactly(1, 2, 3, 0);
      assertThat(plan.emulatorCpus()).containsExactly(0);
      assertThat(plan.iothreadCpus()).containsExactly(0);
      assertThat(plan.hostCpus()).isEmpty();
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 4, 1));
      assertThat(plan.costs()).containsExactly(
          "all 4 CPUs go to the guest: the host, the emulator and the I/O thread share CPU 0 with vCPU 3,"
              + " expect stutter under host load; --vcpus 3 leaves CPU 0 to them");
    }

    @Test
    void rejectsMoreVcpusThanCpusInOneLine() {
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, 5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--vcpus 5: this host has only 4 online CPUs, and each vCPU needs its own;"
              + " give 1 to 4 (3 keeps a core for the host)");
    }

    @Test
    void rejectsZeroAndNegative() {
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--vcpus 0: a VM needs at least 1 vCPU; this host has 4 online CPUs,"
              + " give 1 to 4 (3 keeps a core for the host)");
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, -2))
          .hasMessageStartingWith("--vcpus -2:");
    }

    @Test
    void rejectsBadOptions() {
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, 2, Options.preferNode(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--numa-node 1: this host has NUMA node 0; give one of them or leave the option out");
      assertThatThrownBy(() -> CpuPinningPlanner.plan(topo, 2, new Options(null, 4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--host-cores 4: this host has 4 cores and the guest needs at least one; give 1 to 3");
    }

    @Test
    void moreHostCoresShrinkWhenTheGuestNeedsThem() {
      CpuPlan two = CpuPinningPlanner.plan(topo, 2, new Options(null, 2));
      assertThat(two.vcpuToCpu()).containsExactly(2, 3);
      assertThat(two.emulatorCpus()).containsExactly(0, 1);
      assertThat(two.costs()).isEmpty();

      CpuPlan three = CpuPinningPlanner.plan(topo, 3, new Options(null, 2));
      assertThat(three.vcpuToCpu()).containsExactly(1, 2, 3);
      assertThat(three.emulatorCpus()).containsExactly(0);
      assertThat(three.costs()).containsExactly(
          "the host keeps 1 core instead of the 2 asked (--host-cores): 3 vCPUs need the rest");
    }
  }

  @Nested
  class Ryzen3900x {
    final CpuTopology topo = HostSpec.ryzen3900x();

    @Test
    void sixVcpusFillOneCcxAwayFromTheHost() {
      // CCX0 = cores 0-2 (CPUs 0-2, 12-14) holds the host's core; CCX1 = CPUs 3-5, 15-17
      CpuPlan plan = CpuPinningPlanner.plan(topo, 6);
      assertThat(plan.vcpuToCpu()).containsExactly(3, 15, 4, 16, 5, 17);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 3, 2));
      assertThat(plan.emulatorCpus()).containsExactly(0, 12);
      assertThat(plan.costs()).isEmpty();
    }

    @Test
    void fourVcpusStillAvoidTheHostsCcx() {
      assertThat(CpuPinningPlanner.plan(topo, 4).vcpuToCpu()).containsExactly(3, 15, 4, 16);
    }

    @Test
    void twelveVcpusTakeTwoWholeCcxs() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 12);
      assertThat(plan.vcpuToCpu()).containsExactly(3, 15, 4, 16, 5, 17, 6, 18, 7, 19, 8, 20);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 6, 2));
      assertThat(plan.costs()).containsExactly(
          "the vCPUs span 2 L3 caches (CPUs 3-5,15-17; CPUs 6-8,18-20): threads that move between them"
              + " lose their cached data; --vcpus 6 fits in one");
    }

    @Test
    void defaultGivesAllButCore0() {
      assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(22);
      CpuPlan plan = CpuPinningPlanner.plan(topo, 22);
      assertThat(plan.hostCpus()).containsExactly(0, 12);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 11, 2));
      assertThat(plan.costs()).singleElement().asString().startsWith("the vCPUs span 4 L3 caches");
    }

    @Test
    void anOddCountSplitsOneCoreLastAndSaysSo() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 5);
      assertThat(plan.vcpuToCpu()).containsExactly(3, 15, 4, 16, 5);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 5, 1));
      assertThat(plan.hostCpus()).contains(17);
      assertThat(plan.costs()).containsExactly(
          "an odd vCPU count (5) on an SMT host: vCPU 4 runs alone on CPU 5, whose sibling CPU 17 stays with"
              + " the host and slows it under load, and the guest sees 5 single-thread cores instead of thread"
              + " pairs; --vcpus 4 or 6 keeps whole cores");
    }
  }

  @Nested
  class TwoSocketNuma {
    final CpuTopology topo = HostSpec.twoSocket();

    @Test
    void smallRequestStaysOnTheNodeWithoutTheHost() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 8);
      assertThat(plan.vcpuToCpu()).containsExactly(8, 24, 9, 25, 10, 26, 11, 27);
      assertThat(plan.numaNode()).isEqualTo(1);
      assertThat(plan.emulatorCpus()).containsExactly(0, 16);
      assertThat(plan.costs()).isEmpty();
    }

    @Test
    void preferredNodeIsHonouredWhenItFits() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 8, Options.preferNode(0));
      assertThat(plan.vcpuToCpu()).containsExactly(1, 17, 2, 18, 3, 19, 4, 20);
      assertThat(plan.numaNode()).isZero();
      assertThat(plan.costs()).isEmpty();
    }

    @Test
    void oneNodeBeatsThePreferredNodeWhenThatIsTooSmall() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 16, Options.preferNode(0));
      assertThat(plan.numaNode()).isEqualTo(1);
      assertThat(plan.costs()).containsExactly(
          "NUMA node 0 was asked for, but it has only 14 CPUs free for the guest, so the vCPUs are on node 1;"
              + " --vcpus 14 fits on node 0");
    }

    @Test
    void spanningNodesIsACost() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 20);
      assertThat(plan.numaNode()).isNull();
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 10, 2));
      // all of node 1, then two cores of node 0 (not the host's)
      assertThat(plan.vcpuToCpu()).containsExactly(1, 17, 2, 18, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14,
          30, 15, 31);
      assertThat(plan.costs()).anyMatch(c -> c.startsWith("the vCPUs span NUMA nodes 0, 1 because no node has 20"
          + " CPUs free for the guest (node 1 has the most, 16)") && c.endsWith("--vcpus 16 stays on node 1"));
      assertThat(plan.costs()).anyMatch(c -> c.startsWith("the vCPUs span 2 L3 caches"));
    }

    @Test
    void defaultKeepsOneCore() {
      assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(30);
    }
  }

  @Nested
  class HybridAlderLake {
    final CpuTopology topo = HostSpec.hybrid8p8e();

    @Test
    void defaultIsEveryPCoreThreadWithTheHostOnAnECore() {
      assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(16);
      CpuPlan plan = CpuPinningPlanner.plan(topo, 16);
      assertThat(plan.vcpuToCpu()).containsExactlyElementsOf(IntStream.range(0, 16).boxed().toList());
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 8, 2));
      assertThat(plan.emulatorCpus()).containsExactly(16);
      assertThat(plan.hostCpus()).containsExactly(16, 17, 18, 19, 20, 21, 22, 23);
      assertThat(plan.costs()).containsExactly(
          "the host, the emulator and the I/O thread run on E-core CPU 16 instead of CPU 0's P-core,"
              + " so that the guest gets the P-cores; they run slower there");
    }

    @Test
    void fewVcpusUsePCoresAndLeaveCpu0sCore() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 8);
      assertThat(plan.vcpuToCpu()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
      assertThat(plan.emulatorCpus()).containsExactly(0, 1);
      assertThat(plan.guestTopology().threads()).isEqualTo(2);
      assertThat(plan.costs()).isEmpty();
    }

    @Test
    void eCoresOnlyWhenPCoresRunOut() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 20);
      assertThat(plan.vcpuToCpu()).containsExactlyElementsOf(
          List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20));
      assertThat(plan.emulatorCpus()).containsExactly(16);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 20, 1));
      assertThat(plan.costs()).contains(
          "vCPUs 16-19 run on E-cores (CPUs 17-20), slower than the P-cores the other vCPUs have, and the guest"
              + " does not know which vCPUs are slow, so a busy game thread may land there; --vcpus 16 stays on"
              + " P-cores",
          "the guest sees 20 single-thread cores (threads=1) because E-cores have no SMT sibling: it cannot tell"
              + " which vCPUs share a core, and may put two busy threads on one");
    }

    @Test
    void everyCpuOverlapsTheHostsECore() {
      CpuPlan plan = CpuPinningPlanner.plan(topo, 24);
      assertThat(plan.vcpuToCpu()).endsWith(16);
      assertThat(plan.hostCpus()).isEmpty();
      assertThat(plan.costs()).anyMatch(c -> c.startsWith(
          "all 24 CPUs go to the guest: the host, the emulator and the I/O thread share CPU 16 with vCPU 23"));
    }
  }

  @Nested
  class OddShapes {
    @Test
    void splitSmtNumberingPairsSiblings() {
      // 4 cores, siblings 0/4, 1/5, 2/6, 3/7
      CpuTopology topo = HostSpec.simple(1, 1, 1, 4, 2, 0, true).build();
      CpuPlan plan = CpuPinningPlanner.plan(topo, CpuPinningPlanner.defaultVcpus(topo));
      assertThat(plan.vcpuToCpu()).containsExactly(1, 5, 2, 6, 3, 7);
      assertThat(plan.emulatorCpus()).containsExactly(0, 4);
      assertThat(plan.guestTopology()).isEqualTo(new GuestTopology(1, 1, 3, 2));
    }

    @Test
    void sparseIdsWithoutCpu0KeepTheLowestCpusCore() {
      CpuTopology topo = new HostSpec(1, 1, 1, 4, 2, 0, false, false, 2, 1, List.of(0, 1), false).build();
      // CPUs 1,3 | 5,7 | 9,11 | 13,15
      CpuPlan plan = CpuPinningPlanner.plan(topo, 6);
      assertThat(plan.vcpuToCpu()).containsExactly(5, 7, 9, 11, 13, 15);
      assertThat(plan.emulatorCpus()).containsExactly(1, 3);
    }

    @Test
    void singleCpuHostStillRunsOneVcpu() {
      CpuTopology topo = HostSpec.simple(1, 1, 1, 1, 1, 0, false).build();
      assertThat(CpuPinningPlanner.defaultVcpus(topo)).isEqualTo(1);
      CpuPlan plan = CpuPinningPlanner.plan(topo, 1);
      assertThat(plan.vcpuToCpu()).containsExactly(0);
      assertThat(plan.costs()).singleElement().asString().startsWith("the host's only CPU goes to the guest");
    }

    @Test
    void fifteenOnEightCoresWithSmtKeepsHalfACoreAndSaysSo() {
      CpuTopology topo = HostSpec.simple(1, 1, 1, 8, 2, 0, true).build();
      CpuPlan plan = CpuPinningPlanner.plan(topo, 15);
      assertThat(plan.vcpuToCpu()).endsWith(8).doesNotContain(0);
      assertThat(plan.emulatorCpus()).containsExactly(0);
      assertThat(plan.hostCpus()).containsExactly(0);
      assertThat(plan.costs()).contains(
          "the host keeps no whole core: it, the emulator and the I/O thread get only CPU 0, while the sibling"
              + " CPU 8 runs vCPU 14, so host load slows that vCPU; --vcpus 14 leaves CPUs 0,8 (one whole core)"
              + " to them");
    }
  }
}
