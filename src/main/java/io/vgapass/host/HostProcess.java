package io.vgapass.host;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One process as /proc shows it, read through the root: enough to say who holds a device node and to start a sound
 * server again as it was (its command line, working directory and runtime directory). Every read is bounded; a
 * process that vanished mid-read comes back with what could be read.
 *
 * @param uid the real uid ({@code Uid:} in status), -1 when unreadable
 * @param ppid the parent's pid, 0 when unknown
 * @param cgroup the unified (v2) or first cgroup path, "" when unknown
 * @param sessionId the audit session ({@code sessionid}), null when unset (4294967295) or unreadable
 * @param cmdline the arguments (NUL-separated in /proc), at most {@link #MAX_ARGS} of them
 * @param cwd where the process runs, null when unreadable
 * @param runtimeDir its XDG_RUNTIME_DIR, null when unset or unreadable (a sound server needs it to start again)
 */
public record HostProcess(int pid, String comm, int uid, int ppid, String cgroup, String sessionId,
    List<String> cmdline, String cwd, String runtimeDir) {
  static final int MAX_ARGS = 64;
  private static final int MAX_BYTES = 64 * 1024;

  /** Every process under the root's proc, by number. */
  public static List<Integer> pids(SysRoot root) {
    List<Integer> out = new ArrayList<>();
    for (String p : root.list("proc")) {
      if (p.matches("[1-9][0-9]{0,9}")) {
        long n = Long.parseLong(p);
        if (n <= Integer.MAX_VALUE) out.add((int) n);
      }
    }
    out.sort(null);
    return out;
  }

  public static HostProcess read(SysRoot root, int pid) {
    String dir = "proc/" + pid;
    String comm = root.read(dir + "/comm").orElse("?");
    ProcStatus status = ProcStatus.read(root, dir);
    String cgroup = "";
    for (String line : root.lines(dir + "/cgroup")) {
      int c = line.indexOf(':', line.indexOf(':') + 1);
      if (c < 0) continue;
      if (line.startsWith("0::") || cgroup.isEmpty()) cgroup = line.substring(c + 1);
    }
    String session = root.read(dir + "/sessionid").filter(s -> s.matches("[0-9]{1,9}")).orElse(null);
    List<String> args = nulSeparated(root.bytesAt(root.resolve(dir + "/cmdline"), MAX_BYTES));
    String cwd = root.linkTargetAt(root.resolve(dir + "/cwd")).map(Object::toString).orElse(null);
    String runtime = nulSeparated(root.bytesAt(root.resolve(dir + "/environ"), MAX_BYTES)).stream()
        .filter(e -> e.startsWith("XDG_RUNTIME_DIR=")).map(e -> e.substring("XDG_RUNTIME_DIR=".length())).findFirst()
        .orElse(null);
    return new HostProcess(pid, comm, status.uid(), status.ppid(), cgroup, session, args, cwd, runtime);
  }

  /** Where each of the process's open files points (the fd links, as written), bounded like a directory listing. */
  public static List<String> openFiles(SysRoot root, int pid) {
    List<String> out = new ArrayList<>();
    for (String fd : root.list("proc/" + pid + "/fd")) {
      Optional<java.nio.file.Path> t = root.linkTargetAt(root.resolve("proc/" + pid + "/fd/" + fd));
      t.ifPresent(p -> out.add(p.toString()));
    }
    return out;
  }

  /** The name a process is known by: its comm, or the command's base name when comm was cut at 15 characters. */
  public String name() {
    if (!cmdline.isEmpty()) {
      String a0 = cmdline.get(0);
      String base = a0.substring(a0.lastIndexOf('/') + 1);
      if (base.length() > comm.length() && base.startsWith(comm)) return base;
    }
    return comm;
  }

  private static List<String> nulSeparated(byte[] bytes) {
    if (bytes.length == 0) return List.of();
    List<String> out = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\0", -1)));
    if (out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
    return List.copyOf(out.subList(0, Math.min(out.size(), MAX_ARGS)));
  }
}
