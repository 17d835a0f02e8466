package io.vgapass.host;

/**
 * The fields vgapass uses from {@code /proc/PID[/task/TID]/status}: the one reader of that file, for the holder
 * scan ({@link HostProcess}) and the shield ({@link ProcTask}). Unreadable or odd values come back as their
 * "unknown" value, never as an exception: a task may end between two reads.
 *
 * @param uid the real uid ({@code Uid:}), -1 when unknown
 * @param ppid the parent's pid ({@code PPid:}), 0 when unknown
 * @param cpusAllowedList {@code Cpus_allowed_list} as the kernel writes it, null when absent
 */
public record ProcStatus(int uid, int ppid, String cpusAllowedList) {
  private static final String NUMBER = "[0-9]{1,10}";

  /** The status of the task whose /proc directory is {@code dir} (e.g. "proc/42" or "proc/42/task/43"). */
  public static ProcStatus read(SysRoot root, String dir) {
    int uid = -1;
    int ppid = 0;
    String allowed = null;
    for (String line : root.lines(dir + "/status")) {
      String[] f = line.split("\\s+");
      if (f.length < 2) continue;
      switch (f[0]) {
        case "Uid:" -> uid = f[1].matches(NUMBER) ? clamp(f[1]) : uid;
        case "PPid:" -> ppid = f[1].matches(NUMBER) ? clamp(f[1]) : ppid;
        case "Cpus_allowed_list:" -> allowed = line.substring(line.indexOf(':') + 1).trim();
        default -> { }
      }
    }
    return new ProcStatus(uid, ppid, allowed);
  }

  private static int clamp(String digits) {
    return (int) Math.min(Long.parseLong(digits), Integer.MAX_VALUE);
  }
}
