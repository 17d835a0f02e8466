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
 * @param shield how the hook keeps host work off the VM's CPUs (recorded in the metadata)
 * @param tpm the guest gets a TPM 2.0 (tpm-crb, swtpm emulator)
 * @param installMedia the install and drivers ISOs as SATA CD-ROMs, booted first
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
    LookingGlassSpec lookingGlass,
    ShieldMode shield,
    boolean tpm,
    InstallMedia installMedia) {

  public Plan {
    if (shield == null) shield = ShieldMode.CGROUP;
    if (installMedia == null) installMedia = InstallMedia.NONE;
  }

  /** A plan without TPM and install media (the shape before Windows 11 support). */
  public Plan(String name, GpuCandidate gpu, List<PciAddress> hostdevs, CpuPlan cpu, Integer numaNode, boolean amdCpu,
      long memoryKiB, HugepagePlan hugepages, Firmware firmware, List<DiskSpec> disks, List<NicSpec> nics,
      AudioSpec audio, List<InputSpec> inputs, int iothreadPriority, boolean nvidiaHideKvm, String libvirtVersion,
      List<String> hostPreparation, List<String> notes, boolean hookHandover, LookingGlassSpec lookingGlass,
      ShieldMode shield) {
    this(name, gpu, hostdevs, cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, nics, audio, inputs,
        iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, lookingGlass, shield,
        false, InstallMedia.NONE);
  }

  /** A plan with the default shield (the shape before --shield came). */
  public Plan(String name, GpuCandidate gpu, List<PciAddress> hostdevs, CpuPlan cpu, Integer numaNode, boolean amdCpu,
      long memoryKiB, HugepagePlan hugepages, Firmware firmware, List<DiskSpec> disks, List<NicSpec> nics,
      AudioSpec audio, List<InputSpec> inputs, int iothreadPriority, boolean nvidiaHideKvm, String libvirtVersion,
      List<String> hostPreparation, List<String> notes, boolean hookHandover, LookingGlassSpec lookingGlass) {
    this(name, gpu, hostdevs, cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, nics, audio, inputs,
        iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, lookingGlass,
        ShieldMode.CGROUP);
  }

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
        iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, lookingGlass, shield,
        tpm, installMedia);
  }

  /** A copy without network interfaces, for test guests where the planned networks are not defined. */
  public Plan withoutNics() {
    return new Plan(name, gpu, hostdevs, cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, List.of(), audio,
        inputs, iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover, lookingGlass,
        shield, tpm, installMedia);
  }

  /**
   * Only devices, for a {@code TuneScope.devices} run ({@code input evdev}, {@code net setup}, {@code audio setup}):
   * no CPU, memory or GPU plan, which those runs neither read nor record.
   */
  public static Plan devices(String name, List<NicSpec> nics, AudioSpec audio, List<InputSpec> inputs,
      String libvirtVersion) {
    return new Plan(name, null, List.of(), null, null, false, 0, null, null, List.of(), List.copyOf(nics), audio,
        List.copyOf(inputs), 0, false, libvirtVersion, List.of(), List.of(), false);
  }
}
