package io.vgapass.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes that hold a file open, read from {@code /proc/PID/fd} under the root: a file a running QEMU
 * has open as flash (a VM's UEFI variables) must not be rewritten under it, whoever started that QEMU.
 */
public final class FileHolders {
  private static final int MAX_PROCESSES = 1 << 16;

  private FileHolders() {}

  /** "pid 1234 (qemu-system-x86) holds /var/lib/libvirt/qemu/nvram/win11_VARS.fd", one per holder. */
  public static List<String> of(SysRoot root, String relative) {
    String wanted = "/" + relative;
    List<String> out = new ArrayList<>();
    int seen = 0;
    for (String pid : root.list("proc")) {
      if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) continue;
      if (++seen > MAX_PROCESSES) break;
      for (String fd : root.list("proc/" + pid + "/fd")) {
        Path target = readLink(root.resolve("proc/" + pid + "/fd/" + fd));
        if (target != null && target.toString().equals(wanted)) {
          out.add("pid " + pid + " (" + root.read("proc/" + pid + "/comm").orElse("?").strip() + ") holds " + wanted);
          break;
        }
      }
    }
    return out;
  }

  private static Path readLink(Path p) {
    try {
      return Files.readSymbolicLink(p);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
