package io.vgapass.testing;

import io.vgapass.host.CpuList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a process's threads from {@code /proc/PID/task/TID/{stat,status}}: name, scheduling
 * policy, real-time priority, nice and allowed CPUs.
 *
 * <p>Thread names may contain spaces and parentheses ({@code CPU 0/TCG}, {@code IO iothread1}), so
 * {@code stat} is split only after its last {@code ')'}.
 */
public final class ProcThreads {
  private ProcThreads() {}

  /** Linux scheduling policies (the numbers of {@code sched_setscheduler(2)}). */
  public enum Policy {
    OTHER, FIFO, RR, BATCH, ISO, IDLE, DEADLINE, UNKNOWN;

    /** The policy with the kernel's number; UNKNOWN for numbers not listed. */
    public static Policy of(int number) {
      return number >= 0 && number < UNKNOWN.ordinal() ? values()[number] : UNKNOWN;
    }

    public boolean realtime() {
      return this == FIFO || this == RR;
    }
  }

  /** One thread. {@code cpusAllowed} is {@code Cpus_allowed_list} of status, parsed. */
  public record ThreadInfo(
      long pid,
      long tid,
      String name,
      char state,
      Policy policy,
      int rtPriority,
      int nice,
      String cpusAllowedList,
      List<Integer> cpusAllowed) {}

  /** The fields of {@code /proc/.../stat} that matter here. */
  public record Stat(long tid, String name, char state, int nice, int rtPriority, int policy) {}

  /** Threads of a process under the real {@code /proc}, sorted by thread id. */
  public static List<ThreadInfo> of(long pid) {
    return of(Path.of("/proc"), pid);
  }

  /** Threads of a process under a proc root; threads that exit while being read are left out. */
  public static List<ThreadInfo> of(Path procRoot, long pid) {
    Path taskDir = procRoot.resolve(Long.toString(pid)).resolve("task");
    List<ThreadInfo> out = new ArrayList<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
      for (Path t : tasks) {
        String tid = t.getFileName().toString();
        if (!tid.chars().allMatch(Character::isDigit)) continue;
        try {
          out.add(read(procRoot, pid, Long.parseLong(tid)));
        } catch (NoSuchFileException gone) {
          // thread exited between listing and reading
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("no process " + pid + " (" + taskDir + " missing)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(Comparator.comparingLong(ThreadInfo::tid));
    return out;
  }

  /** One thread of a process. */
  public static ThreadInfo read(Path procRoot, long pid, long tid) throws IOException {
    Path dir = procRoot.resolve(Long.toString(pid)).resolve("task").resolve(Long.toString(tid));
    Stat s = parseStat(Files.readString(dir.resolve("stat")));
    String cpus = statusField(Files.readString(dir.resolve("status")), "Cpus_allowed_list");
    if (cpus == null) {
      throw new IllegalStateException(dir.resolve("status") + " has no Cpus_allowed_list");
    }
    return new ThreadInfo(
        pid, tid, s.name(), s.state(), Policy.of(s.policy()), s.rtPriority(), s.nice(),
        cpus, CpuList.parse(cpus));
  }

  /**
   * Parses one {@code stat} line: "TID (NAME) STATE PPID ...". The name is whatever lies between
   * the first '(' and the last ')'; the numbered fields (proc(5): 19 nice, 40 rt_priority, 41
   * policy) are counted from after the last ')'.
   */
  public static Stat parseStat(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line: " + abbreviate(stat));
    }
    String[] f = stat.substring(close + 1).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3]
    if (f.length < 41 - 2) {
      throw new IllegalArgumentException(
          "stat line has " + (f.length + 2) + " fields, need 41: " + abbreviate(stat));
    }
    return new Stat(
        Long.parseLong(stat.substring(0, open).trim()),
        stat.substring(open + 1, close),
        f[0].charAt(0),
        Integer.parseInt(f[19 - 3]),
        Integer.parseInt(f[40 - 3]),
        Integer.parseInt(f[41 - 3]));
  }

  /** The value of "KEY:\tvalue" in a {@code status} file, trimmed; null when absent. */
  public static String statusField(String status, String key) {
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equals(key)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** The first thread with exactly this name. */
  /** The QEMU process libvirt started for a domain, from its pid file (the process must exist). */
  public static long qemuPid(String domain) throws IOException {
    Path pidFile = Path.of("/run/libvirt/qemu", domain + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    if (!Files.isDirectory(Path.of("/proc", Long.toString(pid)))) {
      throw new AssertionError("QEMU process " + pid + " from " + pidFile + " is gone");
    }
    return pid;
  }

  /** The thread of that name; fails naming the threads that were {@code seen}. */
  public static ThreadInfo require(List<ThreadInfo> threads, String name, String seen) {
    return named(threads, name).orElseThrow(() -> new AssertionError("no QEMU thread '" + name + "'; threads: " + seen));
  }

  public static Optional<ThreadInfo> named(List<ThreadInfo> threads, String name) {
    return threads.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 80 ? t.substring(0, 80) + "..." : t;
  }
}
