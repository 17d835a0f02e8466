package io.vgapass.doctor;

import io.vgapass.host.Host;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup v1 RT trap: with RT group scheduling, libvirt's per-VM cpu cgroups get
 * cpu.rt_runtime_us = 0, so any FIFO iothreadsched/vcpusched fails the start with
 * "Cannot set scheduler parameters: Operation not permitted".
 */
final class RtSchedulingCheck implements Check {
  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    List<Finding> out = new ArrayList<>();
    Boolean rt = h.kernel().rtGroupScheduling();
    List<String> controllers = h.virt().qemuConfCgroupControllers();
    boolean cpuControlled = controllers == null || controllers.contains("cpu");
    String evidence = "proc/mounts: cgroup v" + (h.kernel().cgroupVersion() == 0 ? "?" : h.kernel().cgroupVersion())
        + "; cpu.rt_runtime_us: " + (rt == null ? "unknown" : rt ? "present (RT group scheduling)" : "absent")
        + "; etc/libvirt/qemu.conf cgroup_controllers: " + (controllers == null ? "default (all)" : controllers);
    if (Boolean.TRUE.equals(rt) && cpuControlled) {
      out.add(new Finding("cgroup.rt-trap", Severity.WARNING,
          "real-time I/O thread scheduling will fail (\"Cannot set scheduler parameters: Operation not "
              + "permitted\"): RT group scheduling gives libvirt's per-VM cpu cgroups no RT budget",
          evidence, "leave cpu out of libvirt's cgroups: in /etc/libvirt/qemu.conf set cgroup_controllers = "
              + "[ \"devices\", \"memory\", \"blkio\", \"cpuset\", \"cpuacct\" ] and restart libvirtd"));
    } else if (Boolean.TRUE.equals(rt)) {
      out.add(Finding.ok("cgroup.rt-trap", "RT group scheduling is on, but libvirt leaves the cpu controller "
          + "alone: FIFO I/O threads can start", evidence));
    } else if (rt != null) {
      out.add(Finding.ok("cgroup.rt-trap", "no RT group scheduling: FIFO I/O threads can start", evidence));
    }
    return out;
  }
}
