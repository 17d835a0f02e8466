package io.vgapass.host;

/** Mandatory access control state: SELinux (Fedora) and AppArmor (Debian/Ubuntu). */
public record Security(SelinuxMode selinux, boolean apparmor) {

  public enum SelinuxMode { ENFORCING, PERMISSIVE, DISABLED, ABSENT }
}
