package io.vgapass.runtime;

import io.vgapass.plan.ShieldPolicy;
import io.vgapass.host.CpuList;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.util.List;

/**
 * Keeps host work off the VM's CPUs while it runs. With systemd: AllowedCPUs on system.slice,
 * user.slice and init.scope (cgroup v2 or v1). Without systemd: a cpuset cgroup holding the
 * host's processes on the host's CPUs (cgroup v1 cpuset, or cgroup v2 with the cpuset
 * controller). libvirt's own daemons stay where they are, so the VM's cgroups are unaffected.
 */
final class CpuShield {
  static final String SHIELD = "vgapass-shield";
  private static final List<String> SYSTEMD_UNITS = List.of("system.slice", "user.slice", "init.scope");

  private final SysRoot root;
  private final SysFiles files;
  private final Commands commands;
  private final StateStore state;
  private final CgroupDirs cgroups;

  CpuShield(SysRoot root, SysFiles files, Commands commands, StateStore state, CgroupDirs cgroups) {
    this.root = root;
    this.files = files;
    this.commands = commands;
    this.state = state;
    this.cgroups = cgroups;
  }

  /** Confines host work to {@code hostCpus}; returns how it did it, or why it did not. */
  String shield(List<Integer> hostCpus) {
    if (hostCpus.isEmpty()) return "not shielded: the VM's vCPUs cover every CPU";
    String cpus = CpuList.format(hostCpus);
    if (root.exists("run/systemd/system")) {
      for (String unit : SYSTEMD_UNITS) {
        state.record(new StateStore.Entry(StateKind.SYSTEMD_ALLOWED_CPUS, unit, "", 0));
        int rc = commands.run(List.of("systemctl", "set-property", "--runtime", unit, "AllowedCPUs=" + cpus));
        if (rc != 0) throw new HookFailure("systemctl set-property " + unit + " AllowedCPUs=" + cpus + " failed (exit "
            + rc + ")");
      }
      return "host work on CPUs " + cpus + " (systemd AllowedCPUs)";
    }
    String v1 = "sys/fs/cgroup/cpuset";
    if (root.exists(v1 + "/cpuset.cpus") && root.exists(v1 + "/cgroup.procs")) {
      // cgroup.procs moves whole processes (all their threads) in one write, v1 and v2 alike
      return cgroup(v1, "cpuset.cpus", "cpuset.mems", "cgroup.procs", cpus, "cgroup v1 cpuset");
    }
    String v2 = "sys/fs/cgroup";
    if (root.read(v2 + "/cgroup.controllers").orElse("").contains("cpuset")) {
      String subtree = files.read(v2 + "/cgroup.subtree_control");
      if (subtree == null || !subtree.contains("cpuset")) {
        state.record(new StateStore.Entry(StateKind.CGROUP2_SUBTREE, v2 + "/cgroup.subtree_control", "-cpuset", 0));
        files.write(v2 + "/cgroup.subtree_control", "+cpuset");
      }
      return cgroup(v2, "cpuset.cpus", "cpuset.mems", "cgroup.procs", cpus, "cgroup v2 cpuset");
    }
    return "not shielded: no systemd and no cpuset cgroup controller on this host";
  }

  private String cgroup(String base, String cpusFile, String memsFile, String procsFile, String cpus, String how) {
    String dir = base + "/" + SHIELD;
    state.record(new StateStore.Entry(StateKind.SHIELD_CGROUP, dir, base + "/" + procsFile, 0));
    try {
      cgroups.create(root.resolve(dir));
    } catch (IOException e) {
      throw new HookFailure("cannot create the cgroup /" + dir + ": " + e.getMessage());
    }
    String mems = files.read(base + "/cpuset.effective_mems");
    if (mems == null || mems.isBlank()) mems = files.read(base + "/" + memsFile);
    if (mems == null || mems.isBlank()) mems = "0";
    files.write(dir + "/" + memsFile, mems);
    files.write(dir + "/" + cpusFile, cpus);
    int moved = 0;
    for (String pid : root.lines(base + "/" + procsFile)) {
      String comm = root.read("proc/" + pid.trim() + "/comm").orElse("");
      boolean kernelThread = root.read("proc/" + pid.trim() + "/cmdline").orElse("").isEmpty();
      if (kernelThread || ShieldPolicy.UNSHIELDED_DAEMONS.contains(comm)) continue; // per-CPU kthreads cannot move; libvirt stays put
      if (files.tryWrite(dir + "/" + procsFile, pid.trim())) moved++;
    }
    return "host work on CPUs " + cpus + " (" + how + ", " + moved + " processes)";
  }

  /** Undoes one shield entry; safe to call twice. Returns false when it must be retried later. */
  boolean undo(StateStore.Entry e) {
    switch (e.type()) {
      case SYSTEMD_ALLOWED_CPUS -> {
        return commands.run(List.of("systemctl", "set-property", "--runtime", e.path(), "AllowedCPUs=")) == 0;
      }
      case CGROUP2_SUBTREE -> {
        files.tryWrite(e.path(), e.previous());
        return true;
      }
      case SHIELD_CGROUP -> {
        // processes may fork inside the shield while we empty it: move, try rmdir, repeat
        String procs = e.previous().substring(e.previous().lastIndexOf('/') + 1);
        for (int attempt = 0; attempt < 50; attempt++) {
          for (String pid : root.lines(e.path() + "/" + procs)) files.tryWrite(e.previous(), pid.trim());
          try {
            cgroups.remove(root.resolve(e.path()));
            return true;
          } catch (IOException busy) {
            try {
              Thread.sleep(20);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
        }
        return false;
      }
      default -> {
        return true;
      }
    }
  }
}
