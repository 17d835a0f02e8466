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
 * @param tpm a TPM 2.0 (swtpm) for the guest; Windows 11 refuses to install without one
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
    boolean tpm,
    InstallMedia installMedia) {

  public Intent {
    if (shield == null) shield = ShieldMode.CGROUP;
    if (installMedia == null) installMedia = InstallMedia.NONE;
  }

  /** An intent with a TPM and no install media (the shape before Windows 11 support). */
  public Intent(PciAddress gpu, Integer vcpus, Long memoryKiB, String name, HugepageMode hugepages,
      List<DiskSpec> disks, List<NicSpec> nics, String audio, List<InputSpec> inputs, Integer iothreadPriority,
      boolean nvidiaHideKvm, boolean secureBoot, boolean hookHandover, LookingGlassRequest lookingGlass,
      ShieldMode shield) {
    this(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority, nvidiaHideKvm,
        secureBoot, hookHandover, lookingGlass, shield, true, InstallMedia.NONE);
  }

  /** An intent with the default shield (the shape before --shield came). */
  public Intent(PciAddress gpu, Integer vcpus, Long memoryKiB, String name, HugepageMode hugepages,
      List<DiskSpec> disks, List<NicSpec> nics, String audio, List<InputSpec> inputs, Integer iothreadPriority,
      boolean nvidiaHideKvm, boolean secureBoot, boolean hookHandover, LookingGlassRequest lookingGlass) {
    this(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority, nvidiaHideKvm,
        secureBoot, hookHandover, lookingGlass, ShieldMode.CGROUP);
  }

  /** An intent without Looking Glass (the shape before it came). */
  public Intent(PciAddress gpu, Integer vcpus, Long memoryKiB, String name, HugepageMode hugepages,
      List<DiskSpec> disks, List<NicSpec> nics, String audio, List<InputSpec> inputs, Integer iothreadPriority,
      boolean nvidiaHideKvm, boolean secureBoot, boolean hookHandover) {
    this(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority, nvidiaHideKvm,
        secureBoot, hookHandover, null);
  }

  public static Intent defaults() {
    return new Intent(null, null, null, null, HugepageMode.AUTO, List.of(), List.of(), null, List.of(), null,
        false, false, false);
  }

  public Intent withLookingGlass(LookingGlassRequest lg) {
    return new Intent(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority,
        nvidiaHideKvm, secureBoot, hookHandover, lg, shield, tpm, installMedia);
  }

  public Intent withShield(ShieldMode mode) {
    return new Intent(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority,
        nvidiaHideKvm, secureBoot, hookHandover, lookingGlass, mode, tpm, installMedia);
  }

  /** This intent with (or without) a TPM and with these install media. */
  public Intent withGuestSetup(boolean withTpm, InstallMedia media) {
    return new Intent(gpu, vcpus, memoryKiB, name, hugepages, disks, nics, audio, inputs, iothreadPriority,
        nvidiaHideKvm, secureBoot, hookHandover, lookingGlass, shield, withTpm, media);
  }
}
