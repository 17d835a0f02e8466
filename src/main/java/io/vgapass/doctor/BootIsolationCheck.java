package io.vgapass.doctor;

import io.vgapass.host.Cpu;
import io.vgapass.host.CpuList;
import io.vgapass.host.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What only the kernel's command line can do for a guest's CPUs, beyond the hook's shield (even {@code --shield
 * deep}, which moves processes, unbound kthreads, the unbound workqueues and the IRQs that let themselves be moved):
 * {@code nohz_full} stops the scheduler tick on a CPU that runs one task, {@code rcu_nocbs} takes RCU's callbacks off
 * it, {@code isolcpus} takes it out of load balancing and keeps managed IRQs (the kernel refuses to move those at run
 * time) off it, and {@code irqaffinity} starts every IRQ on the host's CPUs from boot. Says which of them the running
 * kernel has, and how {@code host apply --static-isolation} adds the others (journaled; {@code host undo} takes them
 * back).
 */
final class BootIsolationCheck implements Check {
  private static final List<String> OPTIONS = List.of("isolcpus", "nohz_full", "rcu_nocbs", "irqaffinity");
  private static final List<String> WHAT = List.of(
      "isolcpus (no load balancing, managed IRQs kept off)",
      "nohz_full (no scheduler tick while one task runs)",
      "rcu_nocbs (RCU callbacks run elsewhere)",
      "irqaffinity (IRQs start on the host's CPUs from boot)");

  @Override
  public List<Finding> check(HostView v) {
    Host h = v.host();
    List<Cpu> cpus = h.cpu().cpus();
    if (cpus.size() < 2) return List.of(); // nothing to keep apart on one CPU
    List<String> args = h.kernel().arguments();
    List<String> have = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < OPTIONS.size(); i++) {
      String o = OPTIONS.get(i);
      String value = args.stream().filter(a -> a.startsWith(o + "=")).reduce((a, b) -> b).orElse(null);
      if (value == null) missing.add(WHAT.get(i));
      else have.add(value);
    }
    String evidence = "proc/cmdline: " + (have.isEmpty() ? "none of " + String.join(", ", OPTIONS)
        : String.join(" ", have));
    if (missing.isEmpty()) {
      return List.of(Finding.ok("cpu.boot-isolation", "the kernel isolates CPUs at boot as well", evidence));
    }
    return List.of(new Finding("cpu.boot-isolation", Severity.INFO,
        "the hook's shield (--shield deep too) cannot do what " + String.join(", ", missing)
            + " would add for the guest's CPUs; optional, for the lowest jitter", evidence,
        "sudo vgapass host apply --static-isolation " + guestCpus(cpus)
            + " (the guest's CPUs: adds isolcpus, nohz_full, rcu_nocbs and irqaffinity for the others; "
            + "host undo takes them back)"));
  }

  /** Every CPU but the first core's: what a guest would typically get, the host keeping core 0. */
  private static String guestCpus(List<Cpu> cpus) {
    String first = cpus.stream().filter(c -> c.id() == 0).map(Cpu::coreKey).findFirst().orElse(null);
    TreeSet<Integer> guest = new TreeSet<>();
    for (Cpu c : cpus) if (!c.coreKey().equals(first) && c.id() != 0) guest.add(c.id());
    return guest.isEmpty() ? "CPUS" : CpuList.format(guest);
  }
}
