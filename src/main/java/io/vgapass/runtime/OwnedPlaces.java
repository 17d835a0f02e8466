package io.vgapass.runtime;

import io.vgapass.host.PciAddress;
import io.vgapass.host.BootFramebuffers;
import io.vgapass.host.DriverStack;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The places release may touch, whatever a state file says: anyone who can write run/vgapass (or
 * a bug) must not turn release into a root write elsewhere. A huge page pool's nr_hugepages, a
 * CPU's scaling_governor, the cgroup v2 root's subtree_control, a vgapass-shield cgroup, systemd's
 * three units, a PCI address (as PciAddress reads it) for a GPU hand-over; the deep shield's unbound
 * workqueue cpumask, default IRQ affinity, an IRQ's smp_affinity_list (under proc) and a kthread's
 * number with its old CPUs and name (DeepShield checks the name again before taskset); each file under the
 * root's sys once its directory's symlinks are resolved, and not a symlink itself (on sysfs
 * cpuN/cpufreq is a symlink to ../cpufreq/policyN, so directories may be). release.sh's
 * vgapass_owned is the same rule.
 */
final class OwnedPlaces {
  private static final String N = "(?:0|[1-9][0-9]{0,17})";
  private static final Pattern POOL = Pattern.compile(
      "sys/(?:kernel/mm|devices/system/node/node" + N + ")/hugepages/hugepages-" + N + "kB/nr_hugepages");
  private static final Pattern GOVERNOR = Pattern.compile("sys/devices/system/cpu/cpu" + N + "/cpufreq/scaling_governor");
  private static final Pattern GOVERNOR_NAME = Pattern.compile("[a-z0-9_-]+");
  private static final Set<String> SHIELDS = Set.of(
      "sys/fs/cgroup/cpuset/" + CpuShield.SHIELD + " sys/fs/cgroup/cpuset/cgroup.procs",
      "sys/fs/cgroup/" + CpuShield.SHIELD + " sys/fs/cgroup/cgroup.procs");
  private static final Pattern MASK = Pattern.compile("[0-9a-f]{1,8}(?:,[0-9a-f]{8}){0,255}");
  private static final Pattern CPUS = Pattern.compile(N + "(?:-" + N + ")?(?:," + N + "(?:-" + N + ")?){0,1023}");
  private static final Pattern IRQ = Pattern.compile("proc/irq/" + N + "/smp_affinity_list");
  private static final Pattern KTHREAD = Pattern.compile("proc/[1-9][0-9]{0,9}");
  private static final Pattern KTHREAD_WAS = Pattern.compile(CPUS.pattern() + " [^\\t\\n]{1,64}");
  private static final String UNIT = "[A-Za-z0-9][A-Za-z0-9@._+-]{0,63}";
  private static final String USER = "[a-z_][a-z0-9_.-]{0,31}";
  private static final Set<String> UNITS = Set.of("system.slice", "user.slice", "init.scope");

  private OwnedPlaces() {}

  /** True for a number as vgapass writes it: 0, or digits without a leading zero, at most 18 of them. */
  static boolean canonical(String s) {
    return s.equals("0") || s.matches("[1-9][0-9]{0,17}");
  }

  static boolean owns(SysRoot root, StateStore.Entry e) {
    if (e.added() < 0) return false;
    StateKind kind = e.type();
    if (kind == null) return false; // a word vgapass never writes
    boolean shape = switch (kind) {
      case HUGEPAGES, HUGEPAGES_GRANTED -> POOL.matcher(e.path()).matches() && canonical(e.previous());
      case GOVERNOR -> GOVERNOR.matcher(e.path()).matches() && GOVERNOR_NAME.matcher(e.previous()).matches();
      case CGROUP2_SUBTREE -> e.path().equals("sys/fs/cgroup/cgroup.subtree_control")
          && e.previous().equals("-cpuset");
      case SHIELD_CGROUP -> SHIELDS.contains(e.path() + " " + e.previous());
      case SYSTEMD_ALLOWED_CPUS -> UNITS.contains(e.path());
      case GPU_HANDOVER -> pciAddress(e.path()); // the hand-over writes only paths it builds from the address
      case WORKQUEUE_CPUMASK -> e.path().equals(DeepShield.WORKQUEUE) && MASK.matcher(e.previous()).matches();
      case IRQ_DEFAULT_AFFINITY -> e.path().equals(DeepShield.IRQ_DEFAULT) && MASK.matcher(e.previous()).matches();
      case IRQ_AFFINITY -> IRQ.matcher(e.path()).matches() && CPUS.matcher(e.previous()).matches();
      // taskset on a kthread's number: release checks it is still kthreadd's child of that name
      case KTHREAD_AFFINITY -> KTHREAD.matcher(e.path()).matches() && KTHREAD_WAS.matcher(e.previous()).matches();
      case SINGLE_DM -> e.path().matches("systemd:" + UNIT + "\\.service|sysvinit:" + UNIT);
      case SINGLE_SESSION -> e.path().matches("[0-9]{1,9}");
      case SINGLE_SOUND -> e.path().matches("systemd:" + USER + ":" + UNIT + "\\.service")
          || e.path().matches("process:" + USER + ":[1-9][0-9]{0,9}");
      case SINGLE_CONNECTORS -> pciAddress(e.path());
      case SINGLE_VTCON -> e.path().matches("sys/class/vtconsole/vtcon[0-9]{1,3}/bind") && e.previous().equals("1");
      case SINGLE_BOOTFB -> BootFramebuffers.DRIVERS.stream()
          .anyMatch(d -> e.path().equals("sys/bus/platform/drivers/" + d))
          && e.previous().matches("(efi|simple|vesa)-framebuffer\\.[0-9]{1,3}");
      case SINGLE_MODULE -> DriverStack.NVIDIA_MODULES.contains(e.path());
      case SINGLE_VFIO -> pciAddress(e.path()) && e.previous().matches("[A-Za-z0-9_-]{0,32}");
    };
    if (!shape) return false;
    if (e.type() == StateKind.SYSTEMD_ALLOWED_CPUS || e.type() == StateKind.GPU_HANDOVER) return true;
    if (e.type() == StateKind.KTHREAD_AFFINITY) return true;
    // the single-GPU steps build their sysfs paths from checked names; the two that carry a path are checked here
    if (SingleGpuHandover.kind(kind)) {
      return kind != StateKind.SINGLE_VTCON && kind != StateKind.SINGLE_BOOTFB || underSys(root, e.path());
    }
    if (kind == StateKind.IRQ_AFFINITY || kind == StateKind.IRQ_DEFAULT_AFFINITY) return under(root, e.path(), "proc");
    return underSys(root, e.path());
  }

  private static boolean pciAddress(String s) {
    try {
      PciAddress.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean underSys(SysRoot root, String relative) {
    return under(root, relative, "sys");
  }

  private static boolean under(SysRoot root, String relative, String top) {
    Path p = root.resolve(relative);
    if (Files.isSymbolicLink(p)) return false;
    Path dir = p.getParent();
    if (!Files.isDirectory(dir)) return true; // nothing there to touch
    try {
      return dir.toRealPath().startsWith(root.resolve(top).toRealPath());
    } catch (IOException e) {
      return false;
    }
  }
}
