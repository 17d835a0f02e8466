package io.vgapass.host;

/**
 * How the host boots and builds its initramfs.
 *
 * @param grubby Fedora/RHEL's grubby is present (it edits boot entries for every kernel)
 */
public record Boot(boolean uefi, Bootloader bootloader, boolean grubby, Initramfs initramfs) {

  public enum Bootloader { GRUB, SYSTEMD_BOOT, KERNELSTUB, UNKNOWN }

  public enum Initramfs { DRACUT, MKINITCPIO, INITRAMFS_TOOLS, BOOSTER, UNKNOWN }
}
