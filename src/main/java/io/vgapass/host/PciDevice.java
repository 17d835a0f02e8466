package io.vgapass.host;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * One PCI function as sysfs shows it. Nullable fields are facts the host did not tell
 * (missing or unreadable file): "unknown", never a guess.
 *
 * @param classCode 24-bit class code (0x030000 VGA, 0x040300 HDA audio, 0x060400 PCI bridge)
 * @param iommuGroup the group sysfs reports, or null when the IOMMU is off
 * @param parent the upstream bridge (root port or switch port), null on the root bus
 * @param resetMethods from {@code reset_method}; null when the kernel does not expose it
 * @param rom what the option ROM holds, when it could be read
 */
public record PciDevice(
    PciAddress address,
    @JsonIgnore int classCode,
    String vendorId,
    String deviceId,
    String subsystemVendorId,
    String subsystemDeviceId,
    String revision,
    String driver,
    String driverOverride,
    Boolean bootVga,
    List<String> resetMethods,
    Integer numaNode,
    PciAddress parent,
    Integer iommuGroup,
    OptionRom rom) {

  public String ids() {
    return vendorId + ":" + deviceId;
  }

  @JsonIgnore
  public int baseClass() {
    return classCode >> 16;
  }

  @JsonIgnore
  public int subClass() {
    return (classCode >> 8) & 0xff;
  }

  /** Display controller: VGA, XGA, 3D or other (class 0x03). */
  @JsonIgnore
  public boolean isDisplay() {
    return baseClass() == 0x03;
  }

  /** Bridges (host, PCI-to-PCI, ISA...) do not count as endpoints that share a group. */
  @JsonIgnore
  public boolean isBridge() {
    return baseClass() == 0x06;
  }

  @JsonProperty("class")
  public String classHex() {
    return String.format(Locale.ROOT, "0x%06x", classCode);
  }

  /** A short human name for the class, for tables. */
  @JsonProperty("kind")
  public String kind() {
    return PciClasses.describe(classCode);
  }
}
