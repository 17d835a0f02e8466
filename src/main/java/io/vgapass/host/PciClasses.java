package io.vgapass.host;

import java.util.Locale;

/** Short names for the PCI classes a passthrough user meets. */
public final class PciClasses {
  private PciClasses() {}

  public static String describe(int classCode) {
    int base = classCode >> 16;
    int sub = (classCode >> 8) & 0xff;
    return switch (base) {
      case 0x01 -> sub == 0x08 ? "NVMe" : sub == 0x06 ? "SATA" : "storage";
      case 0x02 -> "network";
      case 0x03 -> sub == 0x00 ? "VGA" : sub == 0x02 ? "3D" : "display";
      case 0x04 -> sub == 0x03 ? "audio" : "multimedia";
      case 0x05 -> "memory";
      case 0x06 -> switch (sub) {
        case 0x00 -> "host bridge";
        case 0x01 -> "ISA bridge";
        case 0x04 -> "PCI bridge";
        default -> "bridge";
      };
      case 0x07 -> "communication";
      case 0x08 -> "system";
      case 0x0c -> switch (sub) {
        case 0x03 -> "USB";
        case 0x05 -> "SMBus";
        case 0x80 -> "serial bus";
        default -> "serial bus";
      };
      case 0x0d -> "wireless";
      case 0x10 -> "encryption";
      case 0x11 -> "signal processing";
      case 0x12 -> "accelerator";
      case 0x13 -> "instrumentation";
      default -> "other";
    };
  }

  /**
   * Whether a function on a graphics card's slot belongs to the card, and so goes wherever the card goes: its display
   * functions, its HDMI/DP audio (multimedia), the USB-C controller and UCSI serial bus some cards carry. Chipset
   * classes that share a slot number with other functions (ISA bridge, SMBus, network, storage, memory controller)
   * never do: handing them over would take the host's disk, LAN or power management.
   */
  public static boolean cardFunction(int classCode) {
    int base = classCode >> 16;
    int sub = (classCode >> 8) & 0xff;
    return base == 0x03 || base == 0x04 || base == 0x0c && (sub == 0x03 || sub == 0x80);
  }

  /** Vendor names for the ids a passthrough user meets; the rest are shown as hex. */
  public static String vendorName(String vendorId) {
    return switch (vendorId == null ? "" : vendorId.toLowerCase(Locale.ROOT)) {
      case "10de" -> "NVIDIA";
      case "1002" -> "AMD";
      case "8086" -> "Intel";
      case "1234" -> "QEMU";
      case "1af4", "1b36" -> "Red Hat (virtio)";
      case "15ad" -> "VMware";
      case "102b" -> "Matrox";
      case "1a03" -> "ASPEED";
      case "5333" -> "S3";
      default -> vendorId;
    };
  }
}
