package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The firmware's framebuffer that the kernel took over at boot (efifb, simplefb/simpledrm, vesafb): a platform
 * device ({@code efi-framebuffer.N}, {@code simple-framebuffer.N}, {@code vesa-framebuffer.N}) bound to a platform
 * driver. It maps the card's memory, so single-GPU mode unbinds it from its driver and binds it again at stop.
 */
public final class BootFramebuffers {
  /** A boot framebuffer device and the platform driver that has it. */
  public record BootFramebuffer(String device, String driver) {
    public String driverDir() {
      return "sys/bus/platform/drivers/" + driver;
    }
  }

  /** The platform drivers vgapass unbinds a boot framebuffer from (and may write bind/unbind of). */
  public static final List<String> DRIVERS = List.of("efi-framebuffer", "simple-framebuffer", "simpledrm",
      "vesa-framebuffer");

  private BootFramebuffers() {}

  /** The bound ones, by device name. */
  public static List<BootFramebuffer> bound(SysRoot root) {
    List<BootFramebuffer> out = new ArrayList<>();
    for (String d : root.list("sys/bus/platform/devices")) {
      if (!d.matches("(efi|simple|vesa)-framebuffer\\.[0-9]{1,3}")) continue;
      String driver = root.linkNameAt(root.resolve("sys/bus/platform/devices/" + d + "/driver")).orElse(null);
      if (driver != null && DRIVERS.contains(driver)) out.add(new BootFramebuffer(d, driver));
    }
    return out;
  }
}
