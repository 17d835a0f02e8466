package io.vgapass.apply;

import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixes doctor knows for the libvirt host itself, as journaled changes (selftest --fix):
 * leave the cpu controller out of libvirt's cgroups when RT group scheduling would starve the
 * FIFO I/O thread, and mount hugetlbfs where libvirt looks for it.
 */
public final class LibvirtHostFixes {
  static final String QEMU_CONF = "etc/libvirt/qemu.conf";
  private static final Pattern CONTROLLERS = Pattern.compile("(?m)^\\s*cgroup_controllers\\s*=.*$");
  static final String WITHOUT_CPU = "cgroup_controllers = [ \"devices\", \"memory\", \"blkio\", \"cpuset\", \"cpuacct\" ]";

  private LibvirtHostFixes() {}

  public static List<HostChange> plan(SysRoot root, Host host) {
    List<HostChange> out = new ArrayList<>();
    List<String> controllers = host.virt().qemuConfCgroupControllers();
    boolean rtTrap = Boolean.TRUE.equals(host.kernel().rtGroupScheduling())
        && (controllers == null || controllers.contains("cpu"));
    if (rtTrap && root.exists(QEMU_CONF)) {
      byte[] prior = readBytes(root);
      String text = new String(prior, StandardCharsets.UTF_8);
      String next;
      if (CONTROLLERS.matcher(text).find()) {
        String line = text.lines().filter(l -> CONTROLLERS.matcher(l).matches()).findFirst().orElse("");
        if (!line.contains("]")) {
          throw new Refusal("/" + QEMU_CONF + ": cgroup_controllers spans several lines; remove \"cpu\" from it by "
              + "hand");
        }
        next = CONTROLLERS.matcher(text).replaceFirst(Matcher.quoteReplacement(WITHOUT_CPU));
      } else {
        next = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n")
            + "# vgapass: RT group scheduling is on; without the cpu controller libvirt can run FIFO I/O threads\n"
            + WITHOUT_CPU + "\n";
      }
      out.add(new HostChange.FileEdit(QEMU_CONF, prior, next.getBytes(StandardCharsets.UTF_8),
          "libvirt leaves the cpu cgroup controller alone (the cgroup v1 RT trap)"));
      if (root.exists("run/systemd/system")) {
        out.add(HostChange.Command.regenerator("restart libvirtd to read qemu.conf", false, "systemctl", "restart",
            "libvirtd"));
      }
    }
    if (!host.memory().hugetlbfsMounted() && !host.memory().hugePages().isEmpty()) {
      out.add(HostChange.Command.reversible("mount hugetlbfs where libvirt looks for it",
          List.of("mount", "-t", "hugetlbfs", "hugetlbfs", "/dev/hugepages"), List.of("umount", "/dev/hugepages")));
    }
    return out;
  }

  private static byte[] readBytes(SysRoot root) {
    try {
      byte[] b = root.fileOrNull(QEMU_CONF);
      if (b == null) throw new NoSuchFileException("not a regular file");
      return b;
    } catch (IOException e) {
      throw new Refusal("/" + QEMU_CONF + ": cannot read (" + e.getMessage() + "); run as root");
    }
  }
}
