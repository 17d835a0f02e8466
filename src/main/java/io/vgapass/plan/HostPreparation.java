package io.vgapass.plan;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What the host needs before this VM can start, one instruction each; empty when ready. */
final class HostPreparation {
  private HostPreparation() {}

  static List<String> needed(Host host, GpuCandidate gpu, List<PciAddress> hostdevs, int priority) {
    return needed(host, gpu, hostdevs, priority, false);
  }

  /** With {@code single} (single-GPU mode) the card is never bound to vfio-pci at boot: the host needs it until the VM starts. */
  static List<String> needed(Host host, GpuCandidate gpu, List<PciAddress> hostdevs, int priority, boolean single) {
    List<String> out = new ArrayList<>();
    if (gpu != null && !host.iommu().active()) {
      List<String> missing = host.missingIommuArguments();
      out.add("switch the IOMMU on: " + (missing.isEmpty()
          ? "enable it in the firmware setup (the kernel command line already has "
              + String.join(" ", host.iommuArguments()) + "), then reboot"
          : String.join(" ", missing) + " on the kernel command line, then reboot (vgapass host apply --gpu "
              + gpu.address() + (single ? " --single-gpu" : "") + ")"));
    }
    // a late-binding card (card family table) stays on its host driver at boot, as in single-GPU mode: host apply
    // binds nothing for it and the VM's start hands it to vfio-pci
    boolean late = gpu != null && gpu.cardPolicy() != null && gpu.cardPolicy().binding() == CardPolicy.Binding.LATE;
    List<PciDevice> hostDriven = single || late ? List.of() : hostdevs.stream().map(a -> host.device(a).orElse(null))
        .filter(d -> d != null && d.driver() != null && !d.driver().equals("vfio-pci")).toList();
    List<String> ids = hostDriven.stream().map(PciDevice::ids).distinct().toList();
    List<PciDevice> sharing = host.pciDevices().stream()
        .filter(d -> !hostdevs.contains(d.address()) && !d.isBridge() && ids.contains(d.ids())).toList();
    // (without a card in the plan, hostdevs is empty and neither applies)
    if (!sharing.isEmpty()) {
      // vfio-pci.ids would take the host's own device too (two identical cards, a common audio chip)
      out.add("let vfio-pci take the card at boot by address (driver_override), since its ids "
          + sharing.stream().map(PciDevice::ids).distinct().collect(Collectors.joining(",")) + " are shared with "
          + sharing.stream().map(d -> d.address().toString()).collect(Collectors.joining(", "))
          + ", which the host keeps (vgapass host apply --gpu " + gpu.address() + ")");
    } else if (!hostDriven.isEmpty()) {
      out.add("let vfio-pci take the card at boot (options vfio-pci ids="
          + hostDriven.stream().map(PciDevice::ids).distinct().collect(Collectors.joining(","))
          + "), so " + hostDriven.stream().map(PciDevice::driver).distinct().collect(Collectors.joining(", "))
          + " never hold" + (hostDriven.size() == 1 ? "s" : "") + " it (vgapass host apply --gpu " + gpu.address()
          + ")");
    }
    List<String> controllers = host.virt().qemuConfCgroupControllers();
    if (Boolean.TRUE.equals(host.kernel().rtGroupScheduling()) && (controllers == null || controllers.contains("cpu"))) {
      out.add("leave cpu out of cgroup_controllers in /etc/libvirt/qemu.conf, or the FIFO I/O thread (priority "
          + priority + ") fails the start (see doctor: cgroup.rt-trap)");
    }
    return out;
  }
}
