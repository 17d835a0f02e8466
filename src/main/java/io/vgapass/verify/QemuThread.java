package io.vgapass.verify;

import io.vgapass.host.ProcTask;
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
    return ProcTask.read(root, dir)
        .map(t -> new QemuThread(tid, t.name(), t.policy(), t.rtPriority(), t.allowed())).orElse(null);
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
