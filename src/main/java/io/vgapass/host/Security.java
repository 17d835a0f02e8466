package io.vgapass.host;

/** Mandatory access control state: SELinux (Fedora) and AppArmor (Debian/Ubuntu). */
public record Security(SelinuxMode selinux, boolean apparmor) {
  /**
   * The local policy that lets QEMU (svirt_t) reach the desktop's sound socket, built from the denials one VM start
   * logged (QEMU's comm is qemu-system-x86, the binary's name cut to 15 characters). Doctor and audio setup both
   * print it, as root.
   */
  public static final String SOUND_POLICY_FIX = "ausearch -m avc -c qemu-system-x86 --raw | audit2allow -M "
      + "vgapass-qemu-sound && semodule -i vgapass-qemu-sound.pp";


  public enum SelinuxMode { ENFORCING, PERMISSIVE, DISABLED, ABSENT }
}
