package io.vgapass.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw disk image holding one FAT EFI system partition (no partition table: OVMF reads a bare FAT volume as a file
 * system) with a Microsoft-signed boot chain from Debian's packages: shim ({@code shim-signed}, signed by the Microsoft
 * Corporation UEFI CA 2011) as {@code EFI/BOOT/BOOTX64.EFI}, grub ({@code grub-efi-amd64-signed}, signed by Debian's
 * key that shim trusts) beside it, a grub.cfg that boots {@code /vmlinuz} with {@code /initrd.img}, and the kernel.
 * The initramfs is the tiny guest's with its {@code /init} replaced (a second cpio archive appended: the kernel
 * unpacks both, the later file wins) by one that prints {@link #SECURE_BOOT_MARKER} with the guest's SecureBoot EFI
 * variable (when efivarfs can be mounted) and {@link #TPM_MARKER} with {@code tpm_version_major}, then
 * {@link #DONE_MARKER}, then stays up. Built with mtools, without mounting anything.
 */
public final class SignedBootDisk {
  public static final Path SHIM = Path.of("/usr/lib/shim/shimx64.efi.signed");
  public static final Path MOK_MANAGER = Path.of("/usr/lib/shim/mmx64.efi.signed");
  public static final Path GRUB = Path.of("/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed");
  public static final String SECURE_BOOT_MARKER = "VGAPASS-SECUREBOOT-VAR";
  public static final String TPM_MARKER = "VGAPASS-TPM-MAJOR";
  public static final String DONE_MARKER = "VGAPASS-SIGNED-BOOT-DONE";
  /** The tools and files the disk needs, and the Debian packages that bring them. */
  public static final String PACKAGES = "shim-signed grub-efi-amd64-signed mtools dosfstools sbsigntool swtpm "
      + "swtpm-tools";

  private static final String INIT = """
      #!/bin/busybox sh
      /bin/busybox --install -s /bin
      mount -t proc proc /proc
      mount -t sysfs sysfs /sys
      mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
      v=/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c
      if [ -r $v ]; then echo "%s $(od -An -tu1 -j4 -N1 $v | tr -d ' ')"; else echo "%s unreadable"; fi
      echo "%s $(cat /sys/class/tpm/tpm0/tpm_version_major 2>/dev/null || echo none)"
      echo "%s"
      while :; do sleep 3600; done
      """.formatted(SECURE_BOOT_MARKER, SECURE_BOOT_MARKER, TPM_MARKER, DONE_MARKER);

  private SignedBootDisk() {}

  /** What is missing on this machine for the disk (empty when nothing is), each with its package. */
  public static List<String> missing() {
    List<String> out = new ArrayList<>();
    for (Path p : List.of(SHIM, MOK_MANAGER, GRUB)) if (!Files.isRegularFile(p)) out.add(p.toString());
    for (String tool : List.of("mkfs.vfat", "mcopy", "mmd", "sbattach", "cpio", "gzip", "swtpm")) {
      if (!Cmd.run(Duration.ofSeconds(10), "sh", "-c", "command -v " + tool).ok()) out.add(tool);
    }
    return out;
  }

  /**
   * Writes the disk image to {@code image}, with {@code kernel} as /vmlinuz (its signature stripped first with
   * {@code sbattach --remove} when {@code stripSignature}) and the tiny guest's initramfs {@code initrd} extended.
   */
  public static void build(Path image, Path kernel, Path initrd, boolean stripSignature, Path work)
      throws IOException {
    Path k = work.resolve("vmlinuz");
    Files.copy(kernel, k, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    if (stripSignature) run("sbattach", "--remove", k.toString());
    Path initrdOut = work.resolve("initrd.img");
    Path stage = Files.createDirectories(work.resolve("init-stage"));
    Files.writeString(stage.resolve("init"), INIT);
    stage.resolve("init").toFile().setExecutable(true, false);
    Path extra = work.resolve("init.cpio.gz");
    run("sh", "-c", "cd '" + stage + "' && echo init | cpio -o -H newc --quiet | gzip -9 > '" + extra + "'");
    try (OutputStream out = Files.newOutputStream(initrdOut)) {
      Files.copy(initrd, out);
      Files.copy(extra, out);
    }
    Path cfg = work.resolve("grub.cfg");
    Files.writeString(cfg, "linux /vmlinuz console=ttyS0 panic=-1\ninitrd /initrd.img\nboot\n");
    Files.deleteIfExists(image);
    run("mkfs.vfat", "-C", "-n", "ESP", image.toString(), "65536");
    mtools("mmd", "-i", image.toString(), "::/EFI", "::/EFI/BOOT", "::/EFI/debian");
    mtools("mcopy", "-i", image.toString(), SHIM.toString(), "::/EFI/BOOT/BOOTX64.EFI");
    mtools("mcopy", "-i", image.toString(), MOK_MANAGER.toString(), "::/EFI/BOOT/mmx64.efi");
    mtools("mcopy", "-i", image.toString(), GRUB.toString(), "::/EFI/BOOT/grubx64.efi");
    // Debian's signed grub looks for its configuration in /EFI/debian; a copy in /EFI/BOOT serves a renamed one
    mtools("mcopy", "-i", image.toString(), cfg.toString(), "::/EFI/BOOT/grub.cfg");
    mtools("mcopy", "-i", image.toString(), cfg.toString(), "::/EFI/debian/grub.cfg");
    mtools("mcopy", "-i", image.toString(), k.toString(), "::/vmlinuz");
    mtools("mcopy", "-i", image.toString(), initrdOut.toString(), "::/initrd.img");
  }

  /** The signature subjects sbverify lists for an EFI image (empty for an unsigned one). */
  public static String signatures(Path efi) {
    return Cmd.run(Duration.ofSeconds(30), "sbverify", "--list", efi.toString()).out();
  }

  private static void mtools(String... argv) {
    String[] withEnv = new String[argv.length + 2];
    withEnv[0] = "env";
    withEnv[1] = "MTOOLS_SKIP_CHECK=1";
    System.arraycopy(argv, 0, withEnv, 2, argv.length);
    run(withEnv);
  }

  private static void run(String... argv) {
    Cmd.run(Duration.ofSeconds(60), argv).orThrow();
  }
}
