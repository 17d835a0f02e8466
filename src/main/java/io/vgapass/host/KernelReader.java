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
    String cmdline = root.read("proc/cmdline").orElse("");
    return new Kernel(
        root.read("proc/sys/kernel/osrelease").orElse("unknown"),
        cmdline,
        modules,
        cgroup,
        rtGroupScheduling(),
        root.lines("proc/interrupts").stream().anyMatch(l -> l.contains("IR-")),
        modules.contains("kvmfr") || kvmfrInstalled(),
        unsafeInterrupts(cmdline));
  }

  /** allow_unsafe_interrupts: the loaded module's parameter, the kernel command line, or a modprobe.d option. */
  private boolean unsafeInterrupts(String cmdline) {
    String live = root.read("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts").orElse("").trim();
    if (live.equals("Y") || live.equals("1")) return true;
    if (cmdline.matches("(?s).*\\bvfio_iommu_type1\\.allow_unsafe_interrupts=(1|Y|y)\\b.*")) {
      return true;
    }
    for (String f : root.list("etc/modprobe.d")) {
      if (!f.endsWith(".conf")) continue;
      for (String line : root.lines("etc/modprobe.d/" + f)) {
        String l = line.trim();
        if (l.startsWith("options") && l.matches("options\\s+vfio_iommu_type1\\s+.*\\ballow_unsafe_interrupts=(1|Y|y)\\b.*")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Where out-of-tree modules go: DKMS (updates/dkms), akmods and kmod packages (extra), hand installs. */
  private static final List<String> EXTRA_DIRS = List.of("updates/dkms", "updates", "extra", "extra/kvmfr", "misc");

  /**
   * kvmfr is built out of tree (Looking Glass's DKMS package), so it sits under one of {@link #EXTRA_DIRS} of some
   * kernel's module tree; those directories are listed rather than modules.dep read, so a capture stays small.
   */
  private boolean kvmfrInstalled() {
    for (String base : List.of("lib/modules", "usr/lib/modules")) {
      for (String version : root.list(base)) {
        for (String dir : EXTRA_DIRS) {
          for (String f : root.list(base + "/" + version + "/" + dir)) {
            if (f.equals("kvmfr.ko") || f.startsWith("kvmfr.ko.")) return true;
          }
        }
      }
    }
    return false;
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
