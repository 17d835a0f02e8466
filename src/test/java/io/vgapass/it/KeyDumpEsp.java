package io.vgapass.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A FAT EFI system partition image with Debian's Microsoft-signed boot chain (shim-signed, signed by the Microsoft
 * UEFI CA 2011 → grub-efi-amd64-signed → a Debian-signed kernel) and a busybox initramfs whose /init mounts
 * efivarfs and prints {@code SecureBoot}, {@code KEK} and {@code db}, as the firmware hands them to the kernel, in
 * hex on the serial console, then powers off. Made with mkfs.vfat and mtools (packages dosfstools, mtools,
 * shim-signed, grub-efi-amd64-signed, busybox-static; scripts/test-all.sh installs them).
 */
final class KeyDumpEsp {
  static final Path SHIM = Path.of("/usr/lib/shim/shimx64.efi.signed");
  static final Path MOK_MANAGER = Path.of("/usr/lib/shim/mmx64.efi.signed");
  static final Path GRUB = Path.of("/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed");
  static final Path BUSYBOX = Path.of("/bin/busybox");
  static final String BEGIN = "VGAPASS-EFIVARS-BEGIN";
  static final String END = "VGAPASS-EFIVARS-END";
  static final String VAR = "VGAPASS-EFIVAR ";
  /** The variables printed, with their vendor GUIDs (EFI global variable; image security database). */
  static final Map<String, String> VARIABLES = Map.of(
      "SecureBoot", "8be4df61-93ca-11d2-aa0d-00e098032b8c",
      "KEK", "8be4df61-93ca-11d2-aa0d-00e098032b8c",
      "db", "d719b2cb-3d3a-4596-a3bc-dad00e67656f");

  private KeyDumpEsp() {}

  /** Writes the image to {@code dir}/esp.img and returns it; {@code efivarfs} is the kernel's efivarfs.ko. */
  static Path build(Path dir, Path kernel, Path efivarfs) throws IOException, InterruptedException {
    for (Path p : List.of(SHIM, MOK_MANAGER, GRUB, BUSYBOX, kernel, efivarfs)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing: apt-get install shim-signed grub-efi-amd64-signed "
            + "busybox-static mtools dosfstools (scripts/test-all.sh installs them and the kernel's efivarfs.ko)");
      }
    }
    Path initrd = initramfs(dir, efivarfs);
    Path grubCfg = dir.resolve("grub.cfg");
    // no "quiet": the kernel's "secureboot: Secure boot enabled" is part of the evidence
    Files.writeString(grubCfg, "set timeout=0\nlinux /vmlinuz console=ttyS0 panic=-1\ninitrd /initrd.gz\nboot\n");
    Path img = dir.resolve("esp.img");
    Files.deleteIfExists(img);
    run(dir, "mkfs.vfat", "-C", "-n", "ESP", img.toString(), "65536");
    run(dir, "mmd", "-i", img.toString(), "::/EFI", "::/EFI/BOOT", "::/EFI/debian");
    copy(dir, img, SHIM, "::/EFI/BOOT/BOOTX64.EFI");
    copy(dir, img, MOK_MANAGER, "::/EFI/BOOT/mmx64.efi");
    copy(dir, img, GRUB, "::/EFI/BOOT/grubx64.efi");
    // Debian's signed grub looks for its configuration in /EFI/debian; BOOT is where it starts from
    copy(dir, img, grubCfg, "::/EFI/BOOT/grub.cfg");
    copy(dir, img, grubCfg, "::/EFI/debian/grub.cfg");
    copy(dir, img, kernel, "::/vmlinuz");
    copy(dir, img, initrd, "::/initrd.gz");
    return img;
  }

  private static Path initramfs(Path dir, Path efivarfs) throws IOException, InterruptedException {
    Path stage = dir.resolve("initrd");
    Files.createDirectories(stage.resolve("bin"));
    Files.createDirectories(stage.resolve("lib/modules"));
    Files.copy(BUSYBOX, stage.resolve("bin/busybox"));
    Files.copy(efivarfs, stage.resolve("lib/modules/efivarfs.ko"));
    StringBuilder init = new StringBuilder("""
        #!/bin/busybox sh
        /bin/busybox mkdir -p /proc /sys
        /bin/busybox mount -t proc proc /proc
        # the kernel's own lines (late clocksource or crng notes on a loaded machine) would otherwise land in the
        # middle of a hexdump line on the shared serial console, and that variable would read as missing
        echo 1 > /proc/sys/kernel/printk
        /bin/busybox mount -t sysfs sysfs /sys
        /bin/busybox insmod /lib/modules/efivarfs.ko
        /bin/busybox mount -t efivarfs efivarfs /sys/firmware/efi/efivars
        echo %s
        """.formatted(BEGIN));
    for (Map.Entry<String, String> v : new java.util.TreeMap<>(VARIABLES).entrySet()) {
      init.append("echo '").append(VAR).append(v.getKey()).append("'\n");
      init.append("/bin/busybox hexdump -v -e '64/1 \"%02x\" \"\\n\"' /sys/firmware/efi/efivars/")
          .append(v.getKey()).append('-').append(v.getValue()).append('\n');
    }
    init.append("echo ").append(END).append("\n/bin/busybox poweroff -f\n");
    Path initFile = stage.resolve("init");
    Files.writeString(initFile, init);
    Files.setPosixFilePermissions(initFile, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path out = dir.resolve("initrd.gz");
    run(stage, "sh", "-c", "find . | cpio -o -H newc 2>/dev/null | gzip -1 > " + out);
    return out;
  }

  /**
   * The variables the guest printed between the markers: name → the efivarfs file's bytes (4 bytes of
   * attributes, then the data). Hexdump pads its last line with blanks, which are dropped.
   */
  static Map<String, byte[]> parse(String serial) {
    Map<String, StringBuilder> hex = new HashMap<>();
    StringBuilder cur = null;
    boolean in = false;
    for (String raw : serial.split("\r?\n")) {
      String l = raw.strip();
      if (l.endsWith(BEGIN)) {
        in = true;
      } else if (in && l.startsWith(VAR)) {
        cur = hex.computeIfAbsent(l.substring(VAR.length()).strip(), k -> new StringBuilder());
      } else if (in && l.startsWith(END)) {
        in = false;
        cur = null;
      } else if (in && cur != null && l.matches("[0-9a-f]+")) {
        cur.append(l);
      }
    }
    Map<String, byte[]> out = new HashMap<>();
    hex.forEach((k, v) -> out.put(k, java.util.HexFormat.of().parseHex(v.length() % 2 == 0 ? v : v.substring(0, v.length() - 1))));
    return out;
  }

  private static void copy(Path dir, Path img, Path from, String to) throws IOException, InterruptedException {
    run(dir, "mcopy", "-o", "-i", img.toString(), from.toString(), to);
  }

  static void run(Path dir, String... argv) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(argv));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("MTOOLS_SKIP_CHECK", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
