package io.vgapass.plan;

import io.vgapass.host.PciAddress;
import java.util.List;

/**
 * What the user asked for. Null fields mean "choose for me".
 *
 * @param iothreadPriority SCHED_FIFO priority of the I/O thread; null for the default
 * @param hookHandover vgapass's hook hands the card to vfio-pci and back (managed='no'), for
 *     cards whose host driver needs care; otherwise libvirt does it (managed='yes')
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
    boolean hookHandover) {

  public static Intent defaults() {
    return new Intent(null, null, null, null, HugepageMode.AUTO, List.of(), List.of(), null, List.of(), null,
        false, false, false);
  }
}
