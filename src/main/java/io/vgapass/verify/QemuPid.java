package io.vgapass.verify;

import io.vgapass.host.SysRoot;
import java.util.Optional;

/** The process id libvirt wrote for a running domain (run/libvirt/qemu/NAME.pid): where verify reads /proc. */
public final class QemuPid {
  private QemuPid() {}

  /** The pid, or empty when the domain has no pid file under the root (not running, or another host's). */
  public static Optional<Long> of(SysRoot root, String domain) {
    return root.read("run/libvirt/qemu/" + domain + ".pid").map(s -> Long.parseLong(s.trim()));
  }
}
