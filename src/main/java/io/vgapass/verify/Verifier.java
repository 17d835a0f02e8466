package io.vgapass.verify;

import io.vgapass.plan.ShieldPolicy;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.CpuList;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.ShieldMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Proves from the host that a running VM has what its vgapass metadata says. */
public final class Verifier {
  static final Pattern VCPU = Pattern.compile("CPU (\\d+)/(KVM|TCG|HVF|WHPX)");

  private final SysRoot root;

  public Verifier(SysRoot root) {
    this.root = root;
  }

  public List<VerifyCheck> verify(VgapassMetadata m, long pid) {
    List<QemuThread> threads = QemuThread.of(root, pid);
    List<VerifyCheck> out = new ArrayList<>();
    if (threads.isEmpty()) {
      out.add(new VerifyCheck("running", false, "no threads under /proc/" + pid + ": is the VM running?"));
      return out;
    }
    out.add(vcpuPinning(m, threads));
    out.add(emulatorPinning(m, threads, pid));
    out.add(iothread(m, threads));
    out.add(hugepages(m, pid));
    out.add(shield(m, pid));
    out.add(interrupts(m));
    out.add(governor(m));
    if (m.lookingGlass() != null) out.add(SharedMemoryCheck.check(root, m.lookingGlass(), pid));
    return out;
  }

  private VerifyCheck vcpuPinning(VgapassMetadata m, List<QemuThread> threads) {
    List<String> wrong = new ArrayList<>();
    int seen = 0;
    for (QemuThread t : threads) {
      Matcher x = VCPU.matcher(t.name());
      if (!x.matches()) continue;
      seen++;
      int v = Integer.parseInt(x.group(1));
      List<Integer> want = v < m.vcpuPins().size() ? List.of(m.vcpuPins().get(v)) : List.of();
      if (!t.allowedCpus().equals(want)) {
        wrong.add("vCPU " + v + " on " + CpuList.format(t.allowedCpus()) + " (planned " + CpuList.format(want) + ")");
      }
    }
    if (seen != m.vcpuPins().size()) {
      return new VerifyCheck("vcpu-pinning", false, seen + " vCPU threads, planned " + m.vcpuPins().size());
    }
    return new VerifyCheck("vcpu-pinning", wrong.isEmpty(),
        wrong.isEmpty() ? seen + " vCPU threads each on its planned CPU (" + m.vcpuPins() + ")" : String.join("; ", wrong));
  }

  private VerifyCheck emulatorPinning(VgapassMetadata m, List<QemuThread> threads, long pid) {
    QemuThread main = threads.stream().filter(t -> t.tid() == pid).findFirst().orElse(null);
    if (main == null) return new VerifyCheck("emulator-pinning", false, "no main thread " + pid);
    boolean ok = main.allowedCpus().equals(m.emulatorCpus());
    return new VerifyCheck("emulator-pinning", ok, "main thread on " + CpuList.format(main.allowedCpus())
        + " (planned " + CpuList.format(m.emulatorCpus()) + ")");
  }

  private VerifyCheck iothread(VgapassMetadata m, List<QemuThread> threads) {
    QemuThread io = threads.stream().filter(t -> t.name().equals("IO iothread1")).findFirst().orElse(null);
    if (io == null) return new VerifyCheck("iothread", false, "no 'IO iothread1' thread: the domain has no I/O thread");
    boolean pinned = io.allowedCpus().equals(m.iothreadCpus());
    boolean fifo = m.iothreadPriority() <= 0 || io.policy() == 1 && io.rtPriority() == m.iothreadPriority();
    return new VerifyCheck("iothread", pinned && fifo, "on " + CpuList.format(io.allowedCpus()) + " (planned "
        + CpuList.format(m.iothreadCpus()) + "), " + io.policyName() + " priority " + io.rtPriority()
        + (m.iothreadPriority() > 0 ? " (planned SCHED_FIFO " + m.iothreadPriority() + ")" : ""));
  }

  /** Sums the hugetlb mappings in smaps by page size: the guest RAM must sit on the planned size. */
  private VerifyCheck hugepages(VgapassMetadata m, long pid) {
    if (m.hugepageKiB() <= 0) return new VerifyCheck("hugepages", true, "not planned");
    long onPlannedSize = 0;
    long size = 0;
    for (String line : root.lines("proc/" + pid + "/smaps")) {
      if (line.startsWith("Size:")) {
        size = kib(line);
      } else if (line.startsWith("KernelPageSize:") && kib(line) == m.hugepageKiB()) {
        onPlannedSize += size; // a hugetlb mapping reports its huge page size here
      }
    }
    boolean ok = onPlannedSize >= m.memoryKiB();
    return new VerifyCheck("hugepages", ok, onPlannedSize / 1024 + " MiB mapped on " + m.hugepageKiB() / 1024
        + " MiB pages (planned " + m.memoryKiB() / 1024 + " MiB)");
  }

  /** No other user process may run on the VM's CPUs (kernel threads, libvirt's daemons and QEMU excepted). */
  private VerifyCheck shield(VgapassMetadata m, long pid) {
    Set<Integer> vcpus = new HashSet<>(m.vcpuPins());
    Set<Integer> online = new HashSet<>(CpuList.parse(root.read("sys/devices/system/cpu/online").orElse("")));
    if (online.equals(vcpus)) return new VerifyCheck("cpu-shield", true, "vCPUs cover every CPU: nothing to shield");
    if (m.shield() == ShieldMode.OFF) {
      return new VerifyCheck("cpu-shield", true, "the plan asks for no shield (--shield off): not checked");
    }
    List<String> intruders = new ArrayList<>();
    int checked = 0;
    for (String p : root.list("proc")) {
      if (!p.chars().allMatch(Character::isDigit) || p.equals(String.valueOf(pid))) continue;
      if (root.read("proc/" + p + "/cmdline").orElse("").isEmpty()) continue; // kernel thread
      QemuThread t = QemuThread.read(root, "proc/" + p, Long.parseLong(p));
      if (t == null || ShieldPolicy.UNSHIELDED_DAEMONS.contains(t.name())) continue;
      checked++;
      if (t.allowedCpus().stream().anyMatch(vcpus::contains)) intruders.add(p + " (" + t.name() + ")");
    }
    boolean ok = intruders.isEmpty();
    return new VerifyCheck("cpu-shield", ok, ok ? checked + " host processes kept off CPUs " + CpuList.format(vcpus)
        : intruders.size() + " host processes may run on the VM's CPUs, e.g. "
            + String.join(", ", intruders.subList(0, Math.min(5, intruders.size())))
            + " (are the hooks installed? vgapass hooks install)");
  }

  /** The passed functions' interrupts: vfio-msi/msix is what the guest's MSI tweak gives; vfio-intx is not. */
  private VerifyCheck interrupts(VgapassMetadata m) {
    if (m.hostdevs().isEmpty()) return new VerifyCheck("msi-interrupts", true, "no PCI devices passed through");
    List<String> intx = new ArrayList<>();
    List<String> msi = new ArrayList<>();
    for (String line : root.lines("proc/interrupts")) {
      for (String dev : m.hostdevs()) {
        if (!line.contains(dev)) continue;
        if (line.contains("vfio-intx")) intx.add(dev);
        else if (line.contains("vfio-msi")) msi.add(dev);
      }
    }
    if (!intx.isEmpty()) {
      return new VerifyCheck("msi-interrupts", false, "legacy INTx for " + String.join(", ", intx)
          + " (vfio-intx): enable MSI in the guest (vgapass guest msi-script)");
    }
    return new VerifyCheck("msi-interrupts", !msi.isEmpty(), msi.isEmpty()
        ? "no vfio interrupt lines for " + String.join(", ", m.hostdevs()) + " in /proc/interrupts yet"
        : "MSI for " + String.join(", ", msi.stream().distinct().toList()));
  }

  private VerifyCheck governor(VgapassMetadata m) {
    List<String> not = new ArrayList<>();
    int with = 0;
    for (int cpu : m.vcpuPins()) {
      String g = root.read("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor").orElse(null);
      if (g == null) continue;
      with++;
      if (!g.equals("performance")) not.add("CPU " + cpu + ": " + g);
    }
    if (with == 0) return new VerifyCheck("governor", true, "no cpufreq on this host: nothing to set");
    return new VerifyCheck("governor", not.isEmpty(), not.isEmpty() ? "performance on the VM's CPUs" : String.join(", ", not));
  }

  private static long kib(String line) {
    String digits = line.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }
}
