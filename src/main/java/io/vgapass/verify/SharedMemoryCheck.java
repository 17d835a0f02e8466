package io.vgapass.verify;

import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looking Glass's shared memory as QEMU really got it: the memory backend on the planned file (libvirt's for
 * {@code <shmem>}, ours for kvmfr) in the process's command line, with its size, and an ivshmem-plain device.
 * The command line is what QEMU runs with, whatever the XML said.
 */
final class SharedMemoryCheck {
  static final String NAME = "looking-glass";
  private static final Pattern JSON_SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");
  private static final Pattern KV_SIZE = Pattern.compile("(?:^|,)size=(\\d+)([KMGkmg]?)(?:,|$)");

  private SharedMemoryCheck() {}

  static VerifyCheck check(SysRoot root, LookingGlassSpec lg, long pid) {
    String path = lg.mode() == LookingGlassSpec.Mode.KVMFR ? LookingGlassSpec.KVMFR_DEVICE : LookingGlassSpec.SHM_FILE;
    List<String> args = arguments(root, pid);
    String planned = lg.sizeMiB() + " MiB for " + lg.resolution() + (lg.hdr() ? " HDR" : "");
    boolean device = args.stream().anyMatch(a -> a.contains("ivshmem-plain"));
    List<Long> sizes = new ArrayList<>();
    for (String a : args) {
      if (a.contains("memory-backend-file") && mentions(a, path)) sizes.add(size(a));
    }
    if (sizes.isEmpty() || !device) {
      return new VerifyCheck(NAME, false, (sizes.isEmpty() ? "no memory backend on " + path : "no ivshmem-plain device")
          + " in QEMU's command line (planned " + planned + "); was the domain tuned after it started? restart it");
    }
    long got = sizes.get(0);
    boolean ok = got == lg.sizeBytes();
    return new VerifyCheck(NAME, ok, (got < 0 ? "unknown size" : got / (1 << 20) + " MiB") + " on " + path
        + " (planned " + planned + ")" + (ok ? "" : got >= 0 && got < lg.sizeBytes()
            ? ": too small, the client shows a black window; tune the domain again and restart it" : ""));
  }

  /** QEMU's arguments, from /proc/PID/cmdline (NUL-separated). */
  private static List<String> arguments(SysRoot root, long pid) {
    String text = root.read("proc/" + pid + "/cmdline").orElse("");
    List<String> out = new ArrayList<>();
    for (String a : text.split("\0")) if (!a.isEmpty()) out.add(a);
    return out;
  }

  private static boolean mentions(String arg, String path) {
    return arg.contains("\"mem-path\":\"" + path + "\"") || arg.contains("mem-path=" + path + ",")
        || arg.endsWith("mem-path=" + path);
  }

  /** The backend's size in bytes (JSON bytes, or QEMU's key=value with an optional K/M/G suffix); -1 if absent. */
  static long size(String arg) {
    Matcher j = JSON_SIZE.matcher(arg);
    if (j.find()) return Long.parseLong(j.group(1));
    Matcher k = KV_SIZE.matcher(arg);
    if (!k.find()) return -1;
    long n = Long.parseLong(k.group(1));
    return switch (k.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      case "G" -> n << 30;
      default -> n;
    };
  }
}
