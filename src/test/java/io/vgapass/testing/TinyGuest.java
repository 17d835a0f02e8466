package io.vgapass.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny test guest that {@code scripts/test-all.sh} builds: Debian's cloud kernel and a
 * busybox-static initramfs whose {@code /init} prints {@link #UP_MARKER} on the serial console
 * and then sleeps forever, or with {@link #POWEROFF_ARG} on the kernel command line prints
 * {@link #POWEROFF_MARKER} and powers off. With {@link #PCI_ARG} it first prints each PCI function as
 * {@code VGAPASS-PCI 0000:00:03.0 1af4:1110}.
 *
 * <p>Paths come from the system properties {@value #KERNEL_PROPERTY} and {@value
 * #INITRD_PROPERTY}; when unset, from the script's cache ({@code /var/cache/vgapass-test/vmlinuz}
 * and {@code initrd.img}).
 */
public record TinyGuest(Path kernel, Path initrd) {
  public static final String KERNEL_PROPERTY = "vgapass.test.kernel";
  public static final String INITRD_PROPERTY = "vgapass.test.initrd";
  public static final Path DEFAULT_CACHE = Path.of("/var/cache/vgapass-test");
  public static final String UP_MARKER = "VGAPASS-TINYGUEST-UP";
  public static final String POWEROFF_MARKER = "VGAPASS-TINYGUEST-POWEROFF";
  public static final String POWEROFF_ARG = "vgapass.poweroff";
  public static final String PCI_ARG = "vgapass.pci";
  public static final String PCI_MARKER = "VGAPASS-PCI";

  /** Finds kernel and initramfs; throws IllegalStateException naming what is missing and the fix. */
  public static TinyGuest locate() {
    return new TinyGuest(
        find(KERNEL_PROPERTY, DEFAULT_CACHE.resolve("vmlinuz"), "kernel"),
        find(INITRD_PROPERTY, DEFAULT_CACHE.resolve("initrd.img"), "initramfs"));
  }

  /** Kernel command line: serial console; the guest stays up, or powers off when asked. */
  public String cmdline(boolean powerOff) {
    return "console=ttyS0 panic=-1 quiet" + (powerOff ? " " + POWEROFF_ARG : "");
  }

  /** The command line of a guest that stays up and lists its PCI functions first. */
  public String cmdlineListingPci() {
    return cmdline(false) + " " + PCI_ARG;
  }

  /**
   * A TCG domain that boots this guest with its serial console logged to {@code serialLog}: no
   * USB, no balloon, destroyed on poweroff, so a test sees the guest end.
   */
  public String domainXml(String name, int memoryMib, String cmdline, Path serialLog) {
    return """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>%d</memory>
          <vcpu>1</vcpu>
          <os>
            <type arch='x86_64' machine='pc'>hvm</type>
            <kernel>%s</kernel>
            <initrd>%s</initrd>
            <cmdline>%s</cmdline>
          </os>
          <features><acpi/></features>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <serial type='pty'><log file='%s' append='off'/></serial>
            <controller type='usb' model='none'/>
            <memballoon model='none'/>
          </devices>
        </domain>
        """.formatted(name, memoryMib, kernel, initrd, cmdline, serialLog);
  }

  private static Path find(String property, Path fallback, String what) {
    String v = System.getProperty(property, "").trim();
    Path p = v.isEmpty() ? fallback : Path.of(v);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("tiny test guest " + what + " not found: " + p
          + (v.isEmpty() ? " (-D" + property + " not set)" : " (from -D" + property + ")")
          + "; build it with scripts/test-all.sh");
    }
    try {
      return p.toRealPath();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
