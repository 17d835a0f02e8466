package io.vgapass.verify;

import io.vgapass.host.CpuList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Turns a sched_switch trace and two readings of /proc/interrupts into an {@link Interference} report. Pure: the
 * facts about each task come in through {@code taskOf}, so recorded traces can be analysed in tests.
 */
public final class InterferenceAnalysis {
  /** How many offenders per CPU are named; the rest still count in the total. */
  public static final int TOP = 8;

  /** A task as /proc showed it: a kernel thread or not, and the CPUs it may run on. */
  public record TaskInfo(boolean kernelThread, List<Integer> allowedCpus) {}

  /** What the analysis needs about the VM: its name, guest CPUs, thread ids and passed-through devices. */
  public record Vm(String domain, List<Integer> guestCpus, Set<Long> vcpuTids, Set<Long> allTids, List<String> hostdevs) {}

  private InterferenceAnalysis() {}

  public static Interference analyse(Vm vm, int seconds, List<Integer> hostCpus, List<SchedSwitch> switches,
      Function<Long, Optional<TaskInfo>> taskOf, Interrupts before, Interrupts after, long lostEvents,
      Interference.Window window) {
    List<Interference.PerCpu> cpus = new ArrayList<>();
    Map<Long, Optional<TaskInfo>> tasks = new LinkedHashMap<>();
    for (int cpu : vm.guestCpus()) {
      long foreign = 0;
      long vcpu = 0;
      Map<String, Tally> byName = new LinkedHashMap<>();
      for (SchedSwitch s : switches) {
        if (s.cpu() != cpu || s.toIdle()) continue;
        if (vm.vcpuTids().contains(s.nextPid())) {
          vcpu++;
          continue;
        }
        foreign++;
        Tally t = byName.computeIfAbsent(s.nextComm(), n -> new Tally());
        t.switches++;
        t.pids.add(s.nextPid());
      }
      List<Interference.Offender> offenders = new ArrayList<>();
      byName.entrySet().stream()
          .sorted(Comparator.comparingLong((Map.Entry<String, Tally> e) -> -e.getValue().switches)
              .thenComparing(Map.Entry::getKey))
          .limit(TOP)
          .forEach(e -> {
            TaskKind kind = kind(vm, cpu, e.getKey(), e.getValue().pids,
                pid -> tasks.computeIfAbsent(pid, taskOf));
            offenders.add(new Interference.Offender(e.getKey(), List.copyOf(e.getValue().pids), e.getValue().switches,
                kind, kind.movable(), fix(vm, kind, e.getKey(), e.getValue().pids, hostCpus)));
          });
      cpus.add(new Interference.PerCpu(cpu, foreign, vcpu, offenders, irqs(vm, cpu, before, after, hostCpus)));
    }
    return new Interference(vm.domain(), seconds, vm.guestCpus(), hostCpus, cpus, lostEvents, window);
  }

  private static TaskKind kind(Vm vm, int cpu, String name, TreeSet<Long> pids,
      Function<Long, Optional<TaskInfo>> taskOf) {
    if (pids.stream().anyMatch(vm.allTids()::contains)) return TaskKind.VM_THREAD;
    for (long pid : pids) {
      Optional<TaskInfo> info = taskOf.apply(pid);
      if (info.isEmpty()) continue;
      if (!info.get().kernelThread()) return TaskKind.USER;
      return info.get().allowedCpus().equals(List.of(cpu)) ? TaskKind.KERNEL_PER_CPU : TaskKind.KERNEL_UNBOUND;
    }
    // gone before it was looked at: the kernel's naming still tells the two kinds of workers apart
    if (name.startsWith("kworker/u")) return TaskKind.KERNEL_UNBOUND;
    if (name.matches("(kworker|ksoftirqd|migration|cpuhp|idle_inject)/\\d+.*")) return TaskKind.KERNEL_PER_CPU;
    return TaskKind.GONE;
  }

  private static String fix(Vm vm, TaskKind kind, String name, TreeSet<Long> pids, List<Integer> hostCpus) {
    return switch (kind) {
      case KERNEL_UNBOUND -> name.startsWith("kworker/u")
          ? "echo " + CpuList.formatMask(hostCpus) + " > /sys/devices/virtual/workqueue/cpumask   # unbound workqueues off the guest's CPUs"
              + " (vgapass vm tune --domain " + vm.domain() + " --shield deep: at every start, undone at stop)"
          : "taskset -pc " + CpuList.format(hostCpus) + " " + pids.first() + "   # this kernel thread off the guest's CPUs"
              + " (vgapass vm tune --domain " + vm.domain() + " --shield deep: at every start, undone at stop)";
      case USER -> "sudo vgapass hooks install   # the CPU shield (--shield, on by default) moves user tasks off the"
          + " guest's CPUs while the VM runs";
      case VM_THREAD -> "sudo vgapass vm tune --domain " + vm.domain() + "   # pins the emulator and I/O threads off the"
          + " vCPUs' CPUs";
      case KERNEL_PER_CPU, GONE -> null;
    };
  }

  private static List<Interference.Irq> irqs(Vm vm, int cpu, Interrupts before, Interrupts after,
      List<Integer> hostCpus) {
    List<Interference.Irq> out = new ArrayList<>();
    for (Interrupts.Row row : after.rows().values()) {
      long n = after.deliveredSince(before, row.irq(), cpu);
      if (n == 0) continue;
      boolean own = vm.hostdevs().stream().anyMatch(a -> row.source().contains(a) || row.source().contains(shortAddress(a)));
      boolean movable = row.numbered() && !own;
      String fix = !row.numbered() ? null
          : own ? null
          : "echo " + CpuList.formatMask(hostCpus) + " > /proc/irq/" + row.irq() + "/smp_affinity";
      String source = own ? row.source() + " (the VM's own device: expected on its CPUs)" : row.source();
      out.add(new Interference.Irq(row.irq(), n, source, movable, fix));
    }
    out.sort(Comparator.comparingLong(Interference.Irq::count).reversed().thenComparing(Interference.Irq::irq));
    return out;
  }

  private static String shortAddress(String address) {
    return address.startsWith("0000:") ? address.substring(5) : address;
  }

  private static final class Tally {
    long switches;
    final TreeSet<Long> pids = new TreeSet<>();
  }
}
