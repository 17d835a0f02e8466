package io.vgapass.verify;

import io.vgapass.host.CpuList;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread of a process as /proc shows it. Thread names contain spaces ("CPU 0/KVM",
 * "IO iothread1"), so {@code stat} is split after the last ')'.
 *
 * @param policy 0 SCHED_OTHER, 1 SCHED_FIFO, 2 SCHED_RR
 */
public record QemuThread(long tid, String name, int policy, int rtPriority, List<Integer> allowedCpus) {

  public static List<QemuThread> of(SysRoot root, long pid) {
    List<QemuThread> out = new ArrayList<>();
    for (String t : root.list("proc/" + pid + "/task")) {
      QemuThread q = read(root, "proc/" + pid + "/task/" + t, Long.parseLong(t));
      if (q != null) out.add(q);
    }
    return out;
  }

  static QemuThread read(SysRoot root, String dir, long tid) {
    String stat = root.read(dir + "/stat").orElse(null);
    if (stat == null || stat.lastIndexOf(')') < 0) return null;
    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // after ')': field 3 is state (index 0); rt_priority is field 40 (index 37), policy 41 (index 38)
    int rt = f.length > 38 ? Integer.parseInt(f[37]) : 0;
    int policy = f.length > 38 ? Integer.parseInt(f[38]) : 0;
    List<Integer> cpus = List.of();
    for (String line : root.lines(dir + "/status")) {
      if (line.startsWith("Cpus_allowed_list:")) cpus = CpuList.parse(line.substring(line.indexOf(':') + 1).trim());
    }
    return new QemuThread(tid, name, policy, rt, cpus);
  }

  public String policyName() {
    return switch (policy) {
      case 1 -> "SCHED_FIFO";
      case 2 -> "SCHED_RR";
      case 0 -> "SCHED_OTHER";
      default -> "policy " + policy;
    };
  }
}
