package io.vgapass.runtime;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.util.List;

/**
 * The cgroup v1 RT trap, checked before anything changes: with RT group scheduling and libvirt
 * using the cpu controller, the VM's cgroups get no RT budget and the FIFO I/O thread fails the
 * start with "Cannot set scheduler parameters: Operation not permitted". Fail first, with the fix.
 */
final class RtTrap {
  private RtTrap() {}

  static void check(SysRoot root, String domain, VgapassMetadata m) {
    if (m.iothreadPriority() <= 0) return;
    boolean rt = List.of("sys/fs/cgroup/cpu,cpuacct/cpu.rt_runtime_us", "sys/fs/cgroup/cpu/cpu.rt_runtime_us")
        .stream().anyMatch(root::exists);
    if (!rt) return;
    boolean cpuControlled = true;
    for (String line : root.lines("etc/libvirt/qemu.conf")) {
      String l = line.trim();
      if (l.startsWith("cgroup_controllers") && l.contains("[")) cpuControlled = l.contains("\"cpu\"");
    }
    if (cpuControlled) {
      throw new HookFailure(domain + ": its FIFO I/O thread cannot start here: cgroup v1 RT group scheduling gives "
          + "libvirt's cpu cgroups no RT budget; remove \"cpu\" from cgroup_controllers in /etc/libvirt/qemu.conf "
          + "and restart libvirtd (sudo vgapass selftest --fix does it)");
    }
  }
}
