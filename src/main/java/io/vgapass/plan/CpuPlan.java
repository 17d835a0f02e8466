package io.vgapass.plan;

import java.util.List;

/**
 * Where each vCPU and the VM's helper threads run, and what the host keeps.
 *
 * @param vcpuToCpu the host CPU each vCPU is pinned to, 1:1 (index = vCPU number); consecutive
 *     vCPUs 2k, 2k+1 are SMT siblings when {@code guestTopology.threads() == 2}
 * @param emulatorCpus the host CPUs for QEMU's emulator thread ({@code <emulatorpin>})
 * @param iothreadCpus the host CPUs for the I/O thread ({@code <iothreadpin>})
 * @param hostCpus the online CPUs no vCPU is pinned to: what remains for the host
 * @param guestTopology the topology to declare for the guest (host-passthrough style)
 * @param numaNode the NUMA node all vCPUs are on, or null when they span nodes
 * @param costs plain-English sentences, one per compromise this plan makes; empty when none
 */
public record CpuPlan(
    List<Integer> vcpuToCpu,
    List<Integer> emulatorCpus,
    List<Integer> iothreadCpus,
    List<Integer> hostCpus,
    GuestTopology guestTopology,
    Integer numaNode,
    List<String> costs) {

  public CpuPlan {
    vcpuToCpu = List.copyOf(vcpuToCpu);
    emulatorCpus = List.copyOf(emulatorCpus);
    iothreadCpus = List.copyOf(iothreadCpus);
    hostCpus = List.copyOf(hostCpus);
    costs = List.copyOf(costs);
  }

  public int vcpus() {
    return vcpuToCpu.size();
  }
}
