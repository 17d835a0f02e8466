package io.vgapass.host;

import java.util.List;
import java.util.Optional;

/**
 * One task (process or thread) as {@code /proc/PID[/task/TID]/stat} and {@code status} show it: the one reader of
 * {@code stat} for the shield, the hook and verify ({@code status} comes through {@link ProcStatus}). Names may
 * hold spaces and parentheses ("CPU 0/KVM", "IO iothread1"), so {@code stat} is split after the last ')'.
 *
 * @param flags the kernel's PF_* flags (include/linux/sched.h)
 * @param policy 0 SCHED_OTHER, 1 SCHED_FIFO, 2 SCHED_RR
 * @param allowedList {@code Cpus_allowed_list} as the kernel writes it
 */
public record ProcTask(String name, long ppid, long flags, int policy, int rtPriority, String allowedList,
    List<Integer> allowed) {
  private static final long PF_KTHREAD = 0x00200000L;
  // the kernel sets it on per-CPU kthreads and workqueue workers: their affinity is not ours to change
  private static final long PF_NO_SETAFFINITY = 0x04000000L;

  /** The task whose /proc directory is {@code dir} (e.g. "proc/42" or "proc/42/task/43"); empty when gone or odd. */
  public static Optional<ProcTask> read(SysRoot root, String dir) {
    String stat = root.read(dir + "/stat").orElse(null);
    if (stat == null) return Optional.empty();
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) return Optional.empty();
    // after ')': state ppid pgrp session tty_nr tpgid flags ... rt_priority (index 37) policy (index 38)
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    if (f.length < 7) return Optional.empty();
    String list = ProcStatus.read(root, dir).cpusAllowedList();
    try {
      long ppid = Long.parseLong(f[1]);
      long flags = Long.parseLong(f[6]);
      int rt = f.length > 38 ? Integer.parseInt(f[37]) : 0;
      int policy = f.length > 38 ? Integer.parseInt(f[38]) : 0;
      List<Integer> allowed = list == null ? List.of() : CpuList.parse(list);
      return Optional.of(new ProcTask(stat.substring(open + 1, close), ppid, flags, policy, rt,
          list == null ? "" : list, allowed));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public boolean kthread() {
    return (flags & PF_KTHREAD) != 0;
  }

  /** Bound to its CPU: allowed on one CPU at most, or marked so by the kernel. */
  public boolean perCpu() {
    return allowed.size() <= 1 || (flags & PF_NO_SETAFFINITY) != 0;
  }
}
