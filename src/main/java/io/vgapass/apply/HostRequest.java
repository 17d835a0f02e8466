package io.vgapass.apply;

import io.vgapass.host.PciAddress;
import java.util.List;
import java.util.Locale;

/**
 * What the user asked {@code vgapass host plan|apply} for.
 *
 * @param gpu the card for the guest, or null to take the only one that qualifies
 * @param isolate CPUs to isolate from the host at boot (isolcpus, nohz_full, rcu_nocbs); empty for none
 * @param hugepages 1 GiB (or 2 MiB) pages reserved at boot, or null
 * @param allowHostDisplay the user said the boot VGA, which drives the host's display, may be bound to vfio-pci at
 *     boot ({@code --allow-host-display}); without it that card is refused
 * @param singleGpu single-GPU mode ({@code --single-gpu}): the card, the host's display, stays on its host driver at
 *     boot and the hook hands it over when the VM starts, so the preparation is the IOMMU (and the card family's
 *     reset module) only
 */
public record HostRequest(PciAddress gpu, List<Integer> isolate, BootHugepages hugepages, boolean allowHostDisplay,
    boolean singleGpu) {
  public HostRequest {
    isolate = List.copyOf(isolate);
    if (allowHostDisplay && singleGpu) {
      throw new Refusal("--allow-host-display and --single-gpu: choose one (--allow-host-display binds the card to "
          + "vfio-pci at boot and the host loses that display for good; --single-gpu keeps it until the VM starts)");
    }
  }

  /** A request that leaves the host's display alone. */
  public HostRequest(PciAddress gpu, List<Integer> isolate, BootHugepages hugepages) {
    this(gpu, isolate, hugepages, false, false);
  }

  /** {@code --boot-hugepages 1G:8}: eight 1 GiB pages reserved by the kernel at boot. */
  public record BootHugepages(String size, long sizeKiB, int count) {
    public static BootHugepages parse(String text) {
      String t = text == null ? "" : text.trim();
      int colon = t.indexOf(':');
      String size = colon < 0 ? "" : t.substring(0, colon).toUpperCase(Locale.ROOT);
      long kib = switch (size) {
        case "1G" -> 1024L * 1024;
        case "2M" -> 2048L;
        default -> -1;
      };
      int count;
      try {
        count = Integer.parseInt(t.substring(colon + 1));
      } catch (RuntimeException e) {
        count = -1;
      }
      if (kib < 0 || count < 1) {
        throw new Refusal("--boot-hugepages " + text + ": write SIZE:COUNT with SIZE 1G or 2M, e.g. 1G:8");
      }
      return new BootHugepages(size, kib, count);
    }
  }
}
