package io.vgapass.runtime;

import io.vgapass.host.CpuList;
import io.vgapass.host.ProcTask;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The deeper shield ({@code --shield deep}), beside {@link CpuShield}'s cgroup: moves what the cgroup cannot off the
 * VM's CPUs, and puts each of them back at release exactly as it was.
 *
 * <ul>
 *   <li>the unbound workqueue cpumask ({@code /sys/devices/virtual/workqueue/cpumask}): where unbound kworkers run;
 *   <li>the default IRQ affinity and every IRQ's {@code smp_affinity_list}; the IRQs of the VM's own
 *       passed-through devices (named after their PCI address in /proc/interrupts, e.g. {@code vfio-msi[0](ADDR)})
 *       go to the guest's CPUs instead. An IRQ the kernel will not move (EIO: per-CPU, or managed) is skipped;
 *   <li>kthreadd's children that are not bound to one CPU: narrowed to the host's CPUs with {@code taskset}
 *       (Java has no sched_setaffinity). Per-CPU kthreads (allowed on exactly one CPU, or PF_NO_SETAFFINITY, which
 *       the kernel sets on workqueue workers and bound kthreads) are never touched.
 * </ul>
 *
 * Every old value is recorded in the state file before the change; the kthread's entry also keeps its name, so a
 * kthread that exited (and a process that took its number since) is left alone at release.
 */
final class DeepShield {
  static final String WORKQUEUE = "sys/devices/virtual/workqueue/cpumask";
  static final String IRQ_DEFAULT = "proc/irq/default_smp_affinity";
  private static final int KTHREADD = 2;

  private final SysRoot root;
  private final SysFiles files;
  private final Commands commands;
  private final StateStore state;

  DeepShield(SysRoot root, SysFiles files, Commands commands, StateStore state) {
    this.root = root;
    this.files = files;
    this.commands = commands;
    this.state = state;
  }

  /**
   * Moves kernel work to {@code hostCpus} (and the VM's devices' IRQs to {@code guestCpus}, now and, through
   * {@link IrqFollower}, as vfio creates them while the VM runs); returns what it did.
   */
  String shield(String domain, List<Integer> hostCpus, List<Integer> guestCpus, List<String> hostdevs) {
    if (hostCpus.isEmpty()) return "deep: nothing moved (the VM's vCPUs cover every CPU)";
    String hostList = CpuList.format(hostCpus);
    String hostMask = CpuList.formatMask(hostCpus);
    List<String> done = new ArrayList<>();
    String wq = files.read(WORKQUEUE);
    if (wq != null && !wq.isEmpty()) {
      if (!sameMask(wq, hostCpus)) {
        state.record(new StateStore.Entry(StateKind.WORKQUEUE_CPUMASK, WORKQUEUE, wq, 0));
        files.write(WORKQUEUE, hostMask);
      }
      done.add("workqueue cpumask " + hostMask);
    }
    String def = files.read(IRQ_DEFAULT);
    if (def != null && !def.isEmpty() && !sameMask(def, hostCpus)) {
      state.record(new StateStore.Entry(StateKind.IRQ_DEFAULT_AFFINITY, IRQ_DEFAULT, def, 0));
      files.write(IRQ_DEFAULT, hostMask);
    }
    done.add(irqs(hostCpus, hostList, CpuList.format(guestCpus), namedIrqs(hostdevs), deviceIrqs(hostdevs)));
    done.add(kthreads(hostCpus, hostList));
    if (!guestCpus.isEmpty()) {
      done.add(IrqFollower.start(commands, root, domain, state.file().toString(), CpuList.format(guestCpus), hostdevs));
    }
    return "deep: " + String.join(", ", done);
  }

  /**
   * @param own the IRQs named after the VM's devices: they go to the guest's CPUs
   * @param recorded the IRQs its devices hold through their host drivers now: treated as any host IRQ, but recorded
   *     even when they stay, because the follower may move them to the guest's CPUs once vfio holds them
   */
  private String irqs(List<Integer> hostCpus, String hostList, String guestList, Set<String> own,
      Set<String> recorded) {
    int moved = 0;
    int followed = 0;
    List<String> skipped = new ArrayList<>();
    for (String irq : root.list("proc/irq")) {
      if (!irq.matches("[0-9]{1,9}")) continue;
      String file = "proc/irq/" + irq + "/smp_affinity_list";
      String now = files.read(file);
      if (now == null || now.isEmpty()) continue;
      boolean guest = own.contains(irq) && !guestList.isEmpty();
      String target = guest ? guestList : narrowed(now, hostCpus, hostList);
      if (now.equals(target) && !guest && !recorded.contains(irq)) continue;
      state.record(new StateStore.Entry(StateKind.IRQ_AFFINITY, file, now, 0));
      if (now.equals(target)) continue;
      if (!files.tryWrite(file, target)) {
        skipped.add(irq); // per-CPU or managed IRQs refuse (EIO): left where the kernel keeps them
        continue;
      }
      if (guest) followed++;
      else moved++;
    }
    return moved + " IRQs to CPUs " + hostList + (followed > 0 ? ", " + followed + " of the VM's to CPUs " + guestList
        : "") + (skipped.isEmpty() ? "" : " (skipped, the kernel keeps them: " + String.join(" ", skipped) + ")");
  }

  /** What of {@code now} lies on the host's CPUs (an IRQ someone pinned there stays), or all of them. */
  private static String narrowed(String now, List<Integer> hostCpus, String hostList) {
    try {
      TreeSet<Integer> kept = new TreeSet<>(CpuList.parse(now));
      kept.retainAll(hostCpus);
      return kept.isEmpty() ? hostList : CpuList.format(kept);
    } catch (IllegalArgumentException e) {
      return hostList;
    }
  }

  /** Each function's INTx line and the MSI vectors its host driver holds now (sysfs {@code irq}, {@code msi_irqs/}). */
  private Set<String> deviceIrqs(List<String> hostdevs) {
    Set<String> irqs = new TreeSet<>();
    for (String dev : hostdevs) {
      String dir = "sys/bus/pci/devices/" + dev;
      String line = files.read(dir + "/irq");
      if (line != null && line.trim().matches("[1-9][0-9]{0,8}")) irqs.add(line.trim());
      for (String msi : root.list(dir + "/msi_irqs")) if (msi.matches("[0-9]{1,9}")) irqs.add(msi);
    }
    return irqs;
  }

  /** The IRQs /proc/interrupts names after one of the VM's PCI functions (vfio-msi[0](0000:01:00.0) and the like). */
  private Set<String> namedIrqs(List<String> hostdevs) {
    Set<String> own = new TreeSet<>();
    if (hostdevs.isEmpty()) return own;
    for (String line : root.lines("proc/interrupts")) {
      String t = line.trim();
      int colon = t.indexOf(':');
      if (colon <= 0 || !t.substring(0, colon).matches("[0-9]+")) continue;
      for (String dev : hostdevs) {
        if (t.contains("(" + dev + ")") || t.contains(" " + dev)) own.add(t.substring(0, colon));
      }
    }
    return own;
  }

  private String kthreads(List<Integer> hostCpus, String hostList) {
    int moved = 0;
    int perCpu = 0;
    for (String pid : root.list("proc")) {
      if (!pid.matches("[1-9][0-9]{0,9}")) continue;
      Kthread k = Kthread.read(root, pid);
      if (k == null) continue;
      if (k.perCpu()) {
        perCpu++;
        continue;
      }
      TreeSet<Integer> narrowed = new TreeSet<>(k.allowed());
      narrowed.retainAll(hostCpus);
      if (narrowed.isEmpty() || narrowed.equals(new TreeSet<>(k.allowed()))) continue;
      state.record(new StateStore.Entry(StateKind.KTHREAD_AFFINITY, "proc/" + pid, k.allowedList() + " " + k.comm(), 0));
      if (commands.run(List.of("taskset", "-pc", CpuList.format(narrowed), pid)) == 0) moved++;
      // a kthread that exited meanwhile, or one that refuses, stays as it was: not a failure
    }
    return moved + " kernel threads to CPUs " + hostList + " (" + perCpu + " per-CPU ones left)";
  }

  /** Undoes one deep-shield entry; safe to call twice. Returns false when it must be retried later. */
  boolean undo(StateStore.Entry e) {
    switch (e.type()) {
      case WORKQUEUE_CPUMASK, IRQ_DEFAULT_AFFINITY, IRQ_AFFINITY -> files.tryWrite(e.path(), e.previous());
      case KTHREAD_AFFINITY -> {
        String pid = e.path().substring("proc/".length());
        int space = e.previous().indexOf(' ');
        String list = e.previous().substring(0, space);
        String comm = e.previous().substring(space + 1);
        Kthread k = Kthread.read(root, pid);
        // gone, or the number now names something else: nothing of ours to put back
        if (k != null && k.comm().equals(comm) && !k.allowedList().equals(list)) {
          commands.run(List.of("taskset", "-pc", list, pid));
        }
      }
      default -> {
      }
    }
    return true;
  }

  /** True when the kernel's hex mask {@code text} holds exactly {@code cpus}. */
  private static boolean sameMask(String text, List<Integer> cpus) {
    try {
      return new TreeSet<>(CpuList.parseMask(text)).equals(new TreeSet<>(cpus));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A child of kthreadd as /proc shows it: name, allowed CPUs, and whether it is bound to its CPU. */
  record Kthread(String comm, String allowedList, List<Integer> allowed, boolean perCpu) {
    /** The kthread with that pid, or null when there is none (gone, a user process, or kthreadd itself). */
    static Kthread read(SysRoot root, String pid) {
      ProcTask t = ProcTask.read(root, "proc/" + pid).orElse(null);
      if (t == null || t.ppid() != KTHREADD || t.allowedList().isEmpty()) return null;
      return new Kthread(t.name(), t.allowedList(), t.allowed(), t.perCpu());
    }
  }
}
