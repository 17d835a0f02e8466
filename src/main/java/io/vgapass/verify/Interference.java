package io.vgapass.verify;

import java.util.List;

/**
 * What ran on a VM's guest CPUs besides the VM's own vCPU threads and the idle task, over {@code seconds}: per guest
 * CPU, the foreign switches, the worst offenders, and the interrupts delivered there.
 *
 * @param lostEvents events the trace buffer dropped (0 when the counts are complete)
 * @param window the traced time, so that other traces of the same clock can be compared
 */
public record Interference(String domain, int seconds, List<Integer> guestCpus, List<Integer> hostCpus,
    List<PerCpu> cpus, long lostEvents, Window window) {

  /** The traced time on the trace's clock ({@code mono}: CLOCK_MONOTONIC), in seconds. */
  public record Window(String clock, double start, double end) {}

  /** One guest CPU. {@code foreignSwitches} counts each time something other than a vCPU or idle was switched in. */
  public record PerCpu(int cpu, long foreignSwitches, long vcpuSwitches, List<Offender> offenders, List<Irq> irqs) {}

  /**
   * A task (by name) that ran on the CPU. {@code pids} are the ones seen with that name; {@code fix} is one line that
   * moves it, or null where none exists at run time.
   */
  public record Offender(String name, List<Long> pids, long switches, TaskKind kind, boolean movable, String fix) {}

  /** An interrupt delivered on the CPU {@code count} times, from {@code source}. */
  public record Irq(String irq, long count, String source, boolean movable, String fix) {}

  public long foreignSwitches() {
    return cpus.stream().mapToLong(PerCpu::foreignSwitches).sum();
  }
}
