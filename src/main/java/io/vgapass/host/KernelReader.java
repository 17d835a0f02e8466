package io.vgapass.host;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the running kernel's release, command line, modules and cgroup setup. */
final class KernelReader {
  private final SysRoot root;

  KernelReader(SysRoot root) {
    this.root = root;
  }

  Kernel read() {
    Set<String> modules = new TreeSet<>();
    for (String line : root.lines("proc/modules")) {
      String[] parts = line.trim().split("\\s+");
      if (!parts[0].isEmpty()) modules.add(parts[0]);
    }
    List<String> mounts = root.lines("proc/mounts");
    int cgroup = cgroupVersion(mounts);
    return new Kernel(
        root.read("proc/sys/kernel/osrelease").orElse("unknown"),
        root.read("proc/cmdline").orElse(""),
        modules,
        cgroup,
        rtGroupScheduling(),
        root.lines("proc/interrupts").stream().anyMatch(l -> l.contains("IR-")));
  }

  /** v1 when any cgroup v1 hierarchy carries the cpu controller; v2 when cgroup2 is mounted alone. */
  private static int cgroupVersion(List<String> mounts) {
    boolean v2 = false;
    for (String line : mounts) {
      String[] f = line.split("\\s+");
      if (f.length < 4) continue;
      if (f[2].equals("cgroup") && List.of(f[3].split(",")).contains("cpu")) return 1;
      if (f[2].equals("cgroup2")) v2 = true;
    }
    return v2 ? 2 : 0;
  }

  /** CONFIG_RT_GROUP_SCHED shows as cpu.rt_runtime_us in the cpu controller's root. */
  private Boolean rtGroupScheduling() {
    for (String dir : List.of("sys/fs/cgroup/cpu,cpuacct", "sys/fs/cgroup/cpu", "sys/fs/cgroup")) {
      if (root.exists(dir + "/cpu.rt_runtime_us")) return true;
    }
    if (root.exists("sys/fs/cgroup/cgroup.controllers") || root.exists("sys/fs/cgroup/cpu")) return false;
    return null;
  }
}
