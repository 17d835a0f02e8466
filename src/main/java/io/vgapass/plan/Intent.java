package io.vgapass.plan;

import io.vgapass.host.PciAddress;
import java.util.List;

/**
 * What the user asked for. Null fields mean "choose for me".
 *
 * @param iothreadPriority SCHED_FIFO priority of the I/O thread; null for the default
 * @param hookHandover vgapass's hook hands the card to vfio-pci and back (managed='no'), for
 *     cards whose host driver needs care; otherwise libvirt does it (managed='yes')
 * @param lookingGlass shared memory for Looking Glass; null when not asked
 * @param shield how the hook keeps host work off the VM's CPUs
 * @param singleGpu single-GPU mode (the host's only card, handed over by the hook); null when not asked
 * @param tpm a TPM 2.0 (swtpm) for the guest; Windows 11 refuses to install without one (default on)
 * @param installMedia the install and drivers ISOs as CD-ROMs; {@link InstallMedia#NONE} for none
 */
public record Intent(
    PciAddress gpu,
    Integer vcpus,
    Long memoryKiB,
    String name,
    HugepageMode hugepages,
    List<DiskSpec> disks,
    List<NicSpec> nics,
    String audio,
    List<InputSpec> inputs,
    Integer iothreadPriority,
    boolean nvidiaHideKvm,
    boolean secureBoot,
    boolean hookHandover,
    LookingGlassRequest lookingGlass,
    ShieldMode shield,
    SingleGpu singleGpu,
    boolean tpm,
    InstallMedia installMedia) {

  public Intent {
    if (shield == null) shield = ShieldMode.CGROUP;
    if (installMedia == null) installMedia = InstallMedia.NONE;
  }

  /** Nothing asked: vgapass chooses everything. */
  public static Intent defaults() {
    return builder().build();
  }

  public Intent withLookingGlass(LookingGlassRequest lg) {
    return toBuilder().lookingGlass(lg).build();
  }

  public Intent withShield(ShieldMode mode) {
    return toBuilder().shield(mode).build();
  }

  public Intent withSingleGpu(SingleGpu single) {
    return toBuilder().singleGpu(single).build();
  }

  /** A builder with nothing asked (as {@link #defaults()}): name only what the user gave. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this Intent's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.gpu = gpu;
    b.vcpus = vcpus;
    b.memoryKiB = memoryKiB;
    b.name = name;
    b.hugepages = hugepages;
    b.disks = disks;
    b.nics = nics;
    b.audio = audio;
    b.inputs = inputs;
    b.iothreadPriority = iothreadPriority;
    b.nvidiaHideKvm = nvidiaHideKvm;
    b.secureBoot = secureBoot;
    b.hookHandover = hookHandover;
    b.lookingGlass = lookingGlass;
    b.shield = shield;
    b.singleGpu = singleGpu;
    b.tpm = tpm;
    b.installMedia = installMedia;
    return b;
  }

  /** Builds a {@link Intent} by naming each value; what is not named keeps its default. */
  public static final class Builder {
    private PciAddress gpu;
    private Integer vcpus;
    private Long memoryKiB;
    private String name;
    private HugepageMode hugepages = HugepageMode.AUTO;
    private List<DiskSpec> disks = List.of();
    private List<NicSpec> nics = List.of();
    private String audio;
    private List<InputSpec> inputs = List.of();
    private Integer iothreadPriority;
    private boolean nvidiaHideKvm;
    private boolean secureBoot;
    private boolean hookHandover;
    private LookingGlassRequest lookingGlass;
    private ShieldMode shield = ShieldMode.CGROUP;
    private SingleGpu singleGpu;
    private boolean tpm = true; // the default guest is Windows 11's
    private InstallMedia installMedia = InstallMedia.NONE;

    private Builder() {}

    public Builder gpu(PciAddress gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder vcpus(Integer vcpus) {
      this.vcpus = vcpus;
      return this;
    }

    public Builder memoryKiB(Long memoryKiB) {
      this.memoryKiB = memoryKiB;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder hugepages(HugepageMode hugepages) {
      this.hugepages = hugepages;
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

    public Builder audio(String audio) {
      this.audio = audio;
      return this;
    }

    public Builder inputs(List<InputSpec> inputs) {
      this.inputs = inputs;
      return this;
    }

    public Builder iothreadPriority(Integer iothreadPriority) {
      this.iothreadPriority = iothreadPriority;
      return this;
    }

    public Builder nvidiaHideKvm(boolean nvidiaHideKvm) {
      this.nvidiaHideKvm = nvidiaHideKvm;
      return this;
    }

    public Builder secureBoot(boolean secureBoot) {
      this.secureBoot = secureBoot;
      return this;
    }

    public Builder hookHandover(boolean hookHandover) {
      this.hookHandover = hookHandover;
      return this;
    }

    public Builder lookingGlass(LookingGlassRequest lookingGlass) {
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

    public Intent build() {
      return new Intent(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority,
          nvidiaHideKvm, secureBoot, hookHandover, lookingGlass, shield, singleGpu, tpm, installMedia);
    }
  }
}
