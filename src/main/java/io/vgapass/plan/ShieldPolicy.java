package io.vgapass.plan;

import java.util.Set;

/**
 * The contract between the hook's CPU shield and verify: which host processes stay on every
 * CPU. libvirt's daemons must keep their cgroup (QEMU's cgroups are made relative to them)
 * and do no work while the VM runs; kernel threads cannot be moved at all.
 */
public final class ShieldPolicy {
  public static final Set<String> UNSHIELDED_DAEMONS =
      Set.of("libvirtd", "virtqemud", "virtlogd", "virtlockd", "systemd");

  private ShieldPolicy() {}
}
