package io.vgapass.apply;

import io.vgapass.host.SysRoot;
import io.vgapass.plan.LookingGlassSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host side of Looking Glass, as journaled file changes ({@code vgapass looking-glass setup}; undone by
 * {@code vgapass host undo}).
 *
 * <p>kvmfr: the module's size ({@code static_size_mb}) and loading at boot, a udev rule giving the desktop user the
 * device, and the device in libvirt's {@code cgroup_device_acl} (QEMU's cgroup may open only the devices listed).
 * IVSHMEM: a tmpfiles rule that creates {@code /dev/shm/looking-glass} for the user and QEMU's group before QEMU does
 * (QEMU would create it as its own user, unreadable to the client). With AppArmor, libvirt's local abstraction lets
 * QEMU map the memory.
 */
public final class LookingGlassHostFiles {
  static final String MODPROBE = "etc/modprobe.d/vgapass-kvmfr.conf";
  static final String MODULES_LOAD = "etc/modules-load.d/vgapass-kvmfr.conf";
  static final String UDEV = "etc/udev/rules.d/99-vgapass-kvmfr.rules";
  static final String TMPFILES = "etc/tmpfiles.d/vgapass-looking-glass.conf";
  static final String APPARMOR = "etc/apparmor.d/local/abstractions/libvirt-qemu";
  static final String QEMU_CONF = LibvirtHostFixes.QEMU_CONF;
  private static final String HEADER = "# written by vgapass looking-glass setup; vgapass host undo removes it\n";
  private static final Pattern ACL = Pattern.compile("(?m)^[ \\t]*cgroup_device_acl[ \\t]*=[ \\t]*\\[([^\\]]*)\\]");
  private static final Pattern COMMENTED_ACL = Pattern.compile("(?m)^#[ \\t]*cgroup_device_acl[ \\t]*=[ \\t]*\\[([^\\]]*)\\]");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  /** libvirt's own default list (qemu.conf), for a qemu.conf that does not show it. */
  static final List<String> LIBVIRT_DEFAULT_ACL = List.of("/dev/null", "/dev/full", "/dev/zero", "/dev/random",
      "/dev/urandom", "/dev/ptmx", "/dev/kvm");

  private LookingGlassHostFiles() {}

  /**
   * The changes still needed; empty when every file already says it.
   *
   * @param user the desktop user, who runs the Looking Glass client
   * @param group QEMU's group with access to the memory (kvm on most distributions)
   */
  public static List<HostChange> changes(SysRoot root, LookingGlassSpec lg, String user, String group,
      boolean apparmor) throws IOException {
    List<HostChange> out = new ArrayList<>();
    String memory;
    if (lg.mode() == LookingGlassSpec.Mode.KVMFR) {
      memory = LookingGlassSpec.KVMFR_DEVICE;
      whole(root, out, MODPROBE, HEADER + "# the size Looking Glass needs for " + lg.resolution()
          + (lg.hdr() ? " HDR" : "") + "\noptions kvmfr static_size_mb=" + lg.sizeMiB() + "\n",
          "kvmfr sized " + lg.sizeMiB() + " MiB");
      whole(root, out, MODULES_LOAD, HEADER + "kvmfr\n", "load kvmfr at boot");
      whole(root, out, UDEV, HEADER + "SUBSYSTEM==\"kvmfr\", OWNER=\"" + user + "\", GROUP=\"" + group
          + "\", MODE=\"0660\"\n", "/dev/kvmfr0 for " + user + " and QEMU");
      byte[] prior = read(root, QEMU_CONF);
      String text = prior == null ? "" : new String(prior, StandardCharsets.UTF_8);
      String next = withDevice(text, memory);
      if (!next.equals(text)) {
        out.add(new HostChange.FileEdit(QEMU_CONF, prior, next.getBytes(StandardCharsets.UTF_8),
            memory + " in libvirt's cgroup_device_acl"));
      }
    } else {
      memory = LookingGlassSpec.SHM_FILE;
      whole(root, out, TMPFILES, HEADER + "f " + memory + " 0660 " + user + " " + group + " -\n",
          memory + " for " + user + " and QEMU");
    }
    if (apparmor) {
      byte[] prior = read(root, APPARMOR);
      String text = prior == null ? "" : new String(prior, StandardCharsets.UTF_8);
      String rule = memory + " rw,";
      if (text.lines().map(String::strip).noneMatch(rule::equals)) {
        String next = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n")
            + "# vgapass looking-glass setup: QEMU maps Looking Glass's shared memory\n" + rule + "\n";
        out.add(new HostChange.FileEdit(APPARMOR, prior, next.getBytes(StandardCharsets.UTF_8),
            "AppArmor lets QEMU map " + memory));
      }
    }
    return out;
  }

  /**
   * qemu.conf with {@code device} in cgroup_device_acl: added to the list in force, or (none in force) a list of
   * libvirt's defaults, as the file's commented example shows them, plus the device.
   */
  static String withDevice(String conf, String device) {
    Matcher m = ACL.matcher(conf);
    if (m.find()) {
      if (quoted(m.group(1)).contains(device)) return conf;
      String body = m.group(1).replaceAll("[\\s,]+$", "");
      String list = body + (body.strip().isEmpty() ? "\n    " : ",\n    ") + "\"" + device + "\"\n";
      return conf.substring(0, m.start(1)) + list + conf.substring(m.end(1));
    }
    Matcher c = COMMENTED_ACL.matcher(conf);
    List<String> entries = new ArrayList<>(c.find() ? quoted(c.group(1)) : LIBVIRT_DEFAULT_ACL);
    if (entries.isEmpty()) entries.addAll(LIBVIRT_DEFAULT_ACL);
    entries.add(device);
    StringBuilder b = new StringBuilder(conf);
    if (!conf.isEmpty() && !conf.endsWith("\n")) b.append('\n');
    b.append("# vgapass looking-glass setup: libvirt's default devices and Looking Glass's ").append(device)
        .append("\ncgroup_device_acl = [\n");
    for (int i = 0; i < entries.size(); i++) {
      b.append("    \"").append(entries.get(i)).append('"').append(i + 1 < entries.size() ? ",\n" : "\n");
    }
    return b.append("]\n").toString();
  }

  private static List<String> quoted(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      Matcher q = QUOTED.matcher(line.replaceFirst("^#", ""));
      while (q.find()) out.add(q.group(1));
    }
    return out;
  }

  /** What the user does once the files are in place. */
  public static List<String> nextSteps(LookingGlassSpec lg, boolean moduleLoaded) {
    List<String> s = new ArrayList<>();
    if (lg.mode() == LookingGlassSpec.Mode.KVMFR) {
      s.add((moduleLoaded ? "with no VM using it: modprobe -r kvmfr && modprobe kvmfr" : "modprobe kvmfr")
          + " (or reboot): " + LookingGlassSpec.KVMFR_DEVICE + " gets " + lg.sizeMiB() + " MiB and the udev rule's owner");
      s.add("systemctl restart libvirtd (running VMs keep running): libvirt reads cgroup_device_acl at start");
      s.add("the client: looking-glass-client -f " + LookingGlassSpec.KVMFR_DEVICE);
    } else {
      s.add("systemd-tmpfiles --create /" + TMPFILES + " (or reboot): creates " + LookingGlassSpec.SHM_FILE);
      s.add("the client: looking-glass-client (reads " + LookingGlassSpec.SHM_FILE + ")");
    }
    return s;
  }

  private static void whole(SysRoot root, List<HostChange> out, String path, String text, String why)
      throws IOException {
    byte[] next = text.getBytes(StandardCharsets.UTF_8);
    byte[] prior = read(root, path);
    if (!Arrays.equals(prior, next)) out.add(new HostChange.FileEdit(path, prior, next, why));
  }

  private static byte[] read(SysRoot root, String path) throws IOException {
    return root.fileOrNull(path);
  }
}
