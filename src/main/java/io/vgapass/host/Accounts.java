package io.vgapass.host;

/**
 * The host's users and groups as etc/passwd and etc/group name them, read through the root (so --sysroot and
 * captures answer as the live host does). A missing or unreadable file has no one in it.
 */
public final class Accounts {
  private Accounts() {}

  /** Whether etc/passwd has a user of that name. */
  public static boolean hasUser(SysRoot root, String name) {
    return named(root, "etc/passwd", name);
  }

  /** Whether etc/group has a group of that name. */
  public static boolean hasGroup(SysRoot root, String name) {
    return named(root, "etc/group", name);
  }

  private static boolean named(SysRoot root, String file, String name) {
    return root.lines(file).stream().anyMatch(l -> l.startsWith(name + ":"));
  }
}
