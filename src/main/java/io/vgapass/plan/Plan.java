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
 * @param singleGpu single-GPU mode: the hook hands the host's only card over (recorded in the metadata); null if not
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
    SingleGpu singleGpu,
    boolean tpm,
    InstallMedia installMedia) {

  public Plan {
    if (shield == null) shield = ShieldMode.CGROUP;
    if (installMedia == null) installMedia = InstallMedia.NONE;
  }

  /** A copy with more notes at the end (what only the command that read the live host can say). */
  public Plan withNotes(List<String> more) {
    List<String> all = new java.util.ArrayList<>(notes);
    all.addAll(more);
    return toBuilder().notes(List.copyOf(all)).build();
  }

  /** A copy without the GPU, for test guests on machines without passthrough hardware. */
  public Plan withoutHostdevs() {
    return toBuilder().hostdevs(List.of()).build();
  }

  /** A copy without network interfaces, for test guests where the planned networks are not defined. */
  public Plan withoutNics() {
    return toBuilder().nics(List.of()).build();
  }

  /**
   * Only devices, for a {@code TuneScope.onlyDevices()} run ({@code input evdev}, {@code net setup}, {@code audio setup}):
   * no CPU, memory or GPU plan, which those runs neither read nor record.
   */
  public static Plan devices(String name, List<NicSpec> nics, AudioSpec audio, List<InputSpec> inputs,
      String libvirtVersion) {
    return builder().name(name).nics(List.copyOf(nics)).audio(audio).inputs(List.copyOf(inputs))
        .libvirtVersion(libvirtVersion).build();
  }

  /** A builder with nothing planned: null values, empty lists, no flags, the default shield. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this Plan's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.gpu = gpu;
    b.hostdevs = hostdevs;
    b.cpu = cpu;
    b.numaNode = numaNode;
    b.amdCpu = amdCpu;
    b.memoryKiB = memoryKiB;
    b.hugepages = hugepages;
    b.firmware = firmware;
    b.disks = disks;
    b.nics = nics;
    b.audio = audio;
    b.inputs = inputs;
    b.iothreadPriority = iothreadPriority;
    b.nvidiaHideKvm = nvidiaHideKvm;
    b.libvirtVersion = libvirtVersion;
    b.hostPreparation = hostPreparation;
    b.notes = notes;
    b.hookHandover = hookHandover;
    b.lookingGlass = lookingGlass;
    b.shield = shield;
    b.singleGpu = singleGpu;
    b.tpm = tpm;
    b.installMedia = installMedia;
    return b;
  }

  /** Builds a {@link Plan} by naming each value; what is not named keeps its default. */
  public static final class Builder {
    private String name;
    private GpuCandidate gpu;
    private List<PciAddress> hostdevs = List.of();
    private CpuPlan cpu;
    private Integer numaNode;
    private boolean amdCpu;
    private long memoryKiB;
    private HugepagePlan hugepages;
    private Firmware firmware;
    private List<DiskSpec> disks = List.of();
    private List<NicSpec> nics = List.of();
    private AudioSpec audio;
    private List<InputSpec> inputs = List.of();
    private int iothreadPriority;
    private boolean nvidiaHideKvm;
    private String libvirtVersion;
    private List<String> hostPreparation = List.of();
    private List<String> notes = List.of();
    private boolean hookHandover;
    private LookingGlassSpec lookingGlass;
    private ShieldMode shield = ShieldMode.CGROUP;
    private SingleGpu singleGpu;
    private boolean tpm;
    private InstallMedia installMedia = InstallMedia.NONE;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder gpu(GpuCandidate gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder hostdevs(List<PciAddress> hostdevs) {
      this.hostdevs = hostdevs;
      return this;
    }

    public Builder cpu(CpuPlan cpu) {
      this.cpu = cpu;
      return this;
    }

    public Builder numaNode(Integer numaNode) {
      this.numaNode = numaNode;
      return this;
    }

    public Builder amdCpu(boolean amdCpu) {
      this.amdCpu = amdCpu;
      return this;
    }

    public Builder memoryKiB(long memoryKiB) {
      this.memoryKiB = memoryKiB;
      return this;
    }

    public Builder hugepages(HugepagePlan hugepages) {
      this.hugepages = hugepages;
      return this;
    }

    public Builder firmware(Firmware firmware) {
      this.firmware = firmware;
      return this;
    }

    public Builder disks(List<DiskSpec> disks) {
      this.disks = disks;
      return this;
    }

    public Builder nics(List<NicSpec> nics) {
      this.nics = nics;
      return this;
    }

    public Builder audio(AudioSpec audio) {
      this.audio = audio;
      return this;
    }

    public Builder inputs(List<InputSpec> inputs) {
      this.inputs = inputs;
      return this;
    }

    public Builder iothreadPriority(int iothreadPriority) {
      this.iothreadPriority = iothreadPriority;
      return this;
    }

    public Builder nvidiaHideKvm(boolean nvidiaHideKvm) {
      this.nvidiaHideKvm = nvidiaHideKvm;
      return this;
    }

    public Builder libvirtVersion(String libvirtVersion) {
      this.libvirtVersion = libvirtVersion;
      return this;
    }

    public Builder hostPreparation(List<String> hostPreparation) {
      this.hostPreparation = hostPreparation;
      return this;
    }

    public Builder notes(List<String> notes) {
      this.notes = notes;
      return this;
    }

    public Builder hookHandover(boolean hookHandover) {
      this.hookHandover = hookHandover;
      return this;
    }

    public Builder lookingGlass(LookingGlassSpec lookingGlass) {
      this.lookingGlass = lookingGlass;
      return this;
    }

    public Builder shield(ShieldMode shield) {
      this.shield = shield;
      return this;
    }

    public Builder singleGpu(SingleGpu singleGpu) {
      this.singleGpu = singleGpu;
      return this;
    }

    public Builder tpm(boolean tpm) {
      this.tpm = tpm;
      return this;
    }

    public Builder installMedia(InstallMedia installMedia) {
      this.installMedia = installMedia;
      return this;
    }

    public Plan build() {
      return new Plan(name, gpu, hostdevs, cpu, numaNode, amdCpu, memoryKiB, hugepages, firmware, disks, nics,
          audio, inputs, iothreadPriority, nvidiaHideKvm, libvirtVersion, hostPreparation, notes, hookHandover,
          lookingGlass, shield, singleGpu, tpm, installMedia);
    }
  }
}
