package io.vgapass.apply;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.GpuCandidate;
import java.util.List;
import java.util.Locale;

/**
 * What the card family table ({@link CardPolicy}) changes in {@code host apply}: vendor-reset for families with the AMD
 * reset bug that it covers (loaded before vfio-pci, its {@code device_specific} reset selected by a udev rule), and late
 * binding (the card stays on its host driver at boot; libvirt or the hook hands it over at VM start).
 */
final class CardFamilySetup {
  static final String VENDOR_RESET = "vendor_reset";
  static final String VENDOR_RESET_UDEV = "etc/udev/rules.d/62-vgapass-vendor-reset.rules";

  private CardFamilySetup() {}

  /** The card's row, or the default when the table has none. */
  static CardPolicy policy(GpuCandidate gpu) {
    return gpu.cardPolicy() == null ? CardPolicy.unknown() : gpu.cardPolicy();
  }

  /**
   * The family should not be claimed by vfio-pci at boot. Acted on even for a row marked unconfirmed: leaving the card
   * to its host driver until the VM starts is what libvirt's managed hostdevs do anyway, so the cost of a wrong row is
   * small, while the cost of binding early a card that misbehaves is a card that does not work.
   */
  static boolean late(CardPolicy p) {
    return p.binding() == CardPolicy.Binding.LATE;
  }

  /** vendor-reset covers the card's reset bug (its device table lists the ids). */
  static boolean wantsVendorReset(CardPolicy p) {
    return p.reset() == CardPolicy.Reset.AMD_RESET_BUG && p.vendorReset();
  }

  /**
   * Decides on vendor-reset: wanted by the row and installed for every kernel. Returns true when it is to be set up
   * (the caller loads the module before vfio-pci in the initramfs and modprobe.d, and writes {@link #udevRule}); either
   * way a note says what was decided, or what is missing.
   */
  static boolean vendorReset(Changes c, GpuCandidate gpu, CardPolicy p, InstalledKernels kernels) {
    if (p.reset() == CardPolicy.Reset.AMD_RESET_BUG && !p.vendorReset()) {
      c.notes.add(gpu.address() + " (" + p.family() + ") has the AMD reset bug and vendor-reset does not cover it"
          + (p.confirmed() ? "" : " (the table's row is unconfirmed)") + ": after the VM stops the card may not come "
          + "back; vgapass gpu recover " + gpu.address() + " tries, else the host needs a reboot");
      return false;
    }
    if (!wantsVendorReset(p)) return false;
    List<String> lacking = kernels.without(VENDOR_RESET);
    if (kernels.isEmpty() || !lacking.isEmpty()) {
      c.notes.add("vendor-reset is not set up: " + gpu.address() + " (" + p.family() + ") has the AMD reset bug, which "
          + "vendor-reset fixes, but " + (kernels.isEmpty() ? "no kernel's modules could be checked"
          : "kernel " + String.join(", ", lacking) + " has no vendor-reset module") + "; install vendor-reset for "
          + "every kernel (its DKMS package, github.com/gnif/vendor-reset) and run vgapass host apply again. Until "
          + "then the card may not come back after the VM stops (vgapass gpu recover, or a host reboot)");
      return false;
    }
    c.notes.add(gpu.address() + " (" + p.family() + ") has the AMD reset bug: vendor-reset (installed for every kernel) "
        + "loads before vfio-pci, and a udev rule selects its device_specific reset for " + gpu.ids()
        + " (reset_method needs Linux 5.15 or later)");
    return true;
  }

  /** A rule that writes device_specific into the card's reset_method as the kernel adds it. */
  static String udevRule(GpuCandidate gpu) {
    String[] ids = gpu.ids().split(":");
    StringBuilder b = new StringBuilder("# Written by vgapass host apply: vendor-reset resets " + gpu.ids() + " (the AMD "
        + "reset bug) instead of the kernel's own methods.\n# Take it back with: vgapass host undo\n");
    b.append("ACTION==\"add\", SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x").append(ids[0].toLowerCase(Locale.ROOT))
        .append("\", ATTR{device}==\"0x").append(ids[1].toLowerCase(Locale.ROOT))
        .append("\", ATTR{reset_method}=\"device_specific\"\n");
    return b.toString();
  }

  /** "softdep vfio-pci pre: vendor-reset": modprobe loads vendor-reset first wherever vfio-pci loads. */
  static String softdep() {
    return "softdep vfio-pci pre: vendor-reset\n";
  }
}
