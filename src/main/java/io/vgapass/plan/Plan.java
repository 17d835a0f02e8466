package io.vgapass.plan;

import io.vgapass.host.GpuCandidate;
import io.vgapass.host.PciAddress;
import java.util.List;

/**
 * Everything the VM will be: the output of {@link Planner}, the input of the domain tuners,
 * and (recorded in the domain's metadata) what hooks and verify compare against.
 *
 * @param numaNode the host node that holds the vCPUs and memory; null on single-node hosts
 * @param amdCpu the host CPU is AMD (SMT guests then need the topoext feature)
 * @param hostdevs every PCI function that goes to the guest (the card's and its group mates')
 * @param hostPreparation what {@code vgapass host apply} must do before the VM can start
 * @param hookHandover the hook, not libvirt, hands the card over (hostdevs managed='no')
 * @param notes choices made for the user and the costs of compromises, one sentence each
 * @param lookingGlass Looking Glass's shared memory; null when not planned
 */
public record Plan(
    String name,
    GpuCandidate gpu,
    List<PciAddress> hostdevs,
    CpuPlan cpu,
    Integer numaNode,
    boolean amdCpu,
    long memoryKiB,
    HugepagePlan hugepages,
    Firmware firmware,
    List<DiskSpec> disks,
    List<NicSpec> nics,
    AudioSpec audio,
    List<InputSpec> inputs,
    int iothreadPriority,
    boolean nvidiaHideKvm,
    String libvirtVersion,
    List<String> hostPreparation,
    List<String> notes,
    boolean hookHandover,
    LookingGlassSpec lookingGlass) {

  /** A plan without Looking Glass (the shape before it came). */
  public Plan(String name, GpuCandidate gpu, List<PciAddress> hostdevs, CpuPlan cpu, Integer numaNode, boolean amdCpu,
      long memoryKiB, HugepagePlan hugepages, Firmware firmware, List<DiskSpec> disks, List<NicSpec> nics,
      AudioSpec audio, List<InputSpec> inputs, int iothreadPriority, boolean nvidiaHideKvm, String libvirtVersion,
      List<String> hostPreparation, List<String> notes, boolean hookHandover) {
    this(name, gpu, hostdevs, cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, nics, audio, inputs,
        iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, null);
  }

  /** A copy without the GPU, for test guests on machines without passthrough hardware. */
  public Plan withoutHostdevs() {
    return new Plan(name, gpu, List.of(), cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, nics, audio, inputs,
        iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, lookingGlass);
  }
}
