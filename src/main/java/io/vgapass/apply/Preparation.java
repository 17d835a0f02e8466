package io.vgapass.apply;

import io.vgapass.host.PciAddress;
import java.util.List;

/**
 * Everything {@code vgapass host apply} will do for one request, decided before anything is touched.
 *
 * @param functions the PCI functions vfio-pci takes at boot (the card's and any group mates)
 * @param binding how: "ids" (options vfio-pci ids= in modprobe.d), "kernel-argument" (vfio-pci.ids=, for
 *     VFIO built into the kernel), "ids+kernel-argument" (kernels differ), or "driver_override" (by address,
 *     when the ids are shared with a device the host keeps), or "late" (the card family table says the host
 *     driver must initialise the card first: nothing binds it at boot; libvirt or the hook hands it over at VM start)
 * @param kernelArgs the arguments vgapass wants on the kernel line (already there or added)
 * @param initramfsModules the vfio modules the initramfs is told to load early
 * @param bootloader grub, grubby, systemd-boot, kernelstub or rpm-ostree
 * @param initramfs dracut, mkinitcpio, initramfs-tools, booster, rpm-ostree (dracut through rpm-ostree) or none
 * @param kernels the installed kernels whose modules were checked
 * @param changes the files and commands, in the order apply makes them (empty: nothing to do)
 * @param recovery what to do at the boot menu if the machine does not come back
 */
public record Preparation(
    PciAddress gpu,
    List<PciAddress> functions,
    List<String> ids,
    String binding,
    List<String> kernelArgs,
    List<String> initramfsModules,
    String bootloader,
    String initramfs,
    List<String> kernels,
    List<HostChange> changes,
    List<String> notes,
    List<String> recovery) {

  public boolean nothingToDo() {
    return changes.isEmpty();
  }

  /**
   * Whether a binding (as {@link #binding} and the journal record it) leaves the card on its host driver at boot: late
   * binding from the card family table, and single-GPU mode. One answer for the report, the recovery text and
   * {@code host status}.
   */
  static boolean leavesCardAtBoot(String binding) {
    return "late".equals(binding) || "single-gpu".equals(binding);
  }
}
