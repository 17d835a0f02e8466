package io.vgapass.cli;

import io.vgapass.host.CpuList;
import io.vgapass.verify.Interference;
import java.io.PrintWriter;

/** The terminal form of {@code verify --interference}: per guest CPU, the offenders and interrupts with their fixes. */
final class InterferenceText {
  /** Interrupt lines shown per CPU; the JSON has them all. */
  private static final int IRQS_SHOWN = 6;

  private InterferenceText() {}

  static void print(Interference r, PrintWriter out) {
    out.printf("%s: %d s on the guest's CPUs (%s): what ran there besides the VM's vCPUs%n", r.domain(), r.seconds(),
        CpuList.format(r.guestCpus()));
    for (Interference.PerCpu c : r.cpus()) {
      out.printf("CPU %d: %d foreign switches (the vCPU was switched in %d times)%n", c.cpu(), c.foreignSwitches(),
          c.vcpuSwitches());
      for (Interference.Offender o : c.offenders()) {
        out.printf("  %6d  %-20s %s%n", o.switches(), o.name(), describe(o));
        if (o.fix() != null) out.printf("          fix: %s%n", o.fix());
      }
      int shown = 0;
      for (Interference.Irq i : c.irqs()) {
        if (shown++ == IRQS_SHOWN) {
          out.printf("          ... %d more interrupt sources (--json lists them all)%n", c.irqs().size() - IRQS_SHOWN);
          break;
        }
        out.printf("  %6d  IRQ %-16s %s%n", i.count(), i.irq(), i.source());
        if (i.fix() != null) out.printf("          fix: %s%n", i.fix());
      }
    }
    if (r.lostEvents() > 0) {
      out.printf("note: the trace buffer dropped %d events; the counts are lower bounds%n", r.lostEvents());
    }
    out.printf("%d foreign switches in all%n", r.foreignSwitches());
  }

  private static String describe(Interference.Offender o) {
    return switch (o.kind()) {
      case KERNEL_PER_CPU -> "kernel thread bound to this CPU: only isolcpus/nohz_full at boot reduce it";
      case KERNEL_UNBOUND -> "kernel thread that may run elsewhere: movable";
      case USER -> "process: movable";
      case VM_THREAD -> "this VM's own thread (not a vCPU): movable";
      case GONE -> "exited before it could be looked at";
    };
  }
}
