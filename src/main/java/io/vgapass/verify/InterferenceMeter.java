package io.vgapass.verify;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.CpuList;
import io.vgapass.host.ProcTask;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code verify --interference}: traces what runs on a running VM's guest CPUs for some seconds and names it. The
 * vCPU threads are this VM's threads named "CPU n/KVM" (or TCG); everything else switched in on a guest CPU, idle
 * aside, is interference.
 */
public final class InterferenceMeter {
  private final SysRoot root;

  public InterferenceMeter(SysRoot root) {
    this.root = root;
  }

  public Interference measure(String domain, VgapassMetadata m, long pid, int seconds)
      throws IOException, InterruptedException {
    List<Integer> guest = List.copyOf(new TreeSet<>(m.vcpuPins()));
    List<QemuThread> threads = QemuThread.of(root, pid);
    Set<Long> vcpus = new HashSet<>();
    Set<Long> all = new HashSet<>();
    for (QemuThread t : threads) {
      all.add(t.tid());
      if (Verifier.VCPU.matcher(t.name()).matches()) vcpus.add(t.tid());
    }
    List<Integer> host = new ArrayList<>(CpuList.parse(root.read("sys/devices/system/cpu/online").orElse("0")));
    host.removeAll(guest);
    Interrupts before = Interrupts.parse(root.read("proc/interrupts").orElse(""));
    String trace;
    long lost;
    Interference.Window window;
    try (TraceSession session = TraceSession.open(root.resolve("sys/kernel/tracing"), guest)) {
      trace = session.record(Duration.ofSeconds(seconds));
      lost = session.lostEvents();
      window = session.window();
    }
    Interrupts after = Interrupts.parse(root.read("proc/interrupts").orElse(""));
    InterferenceAnalysis.Vm vm = new InterferenceAnalysis.Vm(domain, guest, vcpus, all, m.hostdevs());
    return InterferenceAnalysis.analyse(vm, seconds, host, SchedSwitch.parse(trace), this::task, before, after, lost,
        window);
  }

  private Optional<InterferenceAnalysis.TaskInfo> task(long pid) {
    return ProcTask.read(root, "proc/" + pid).map(t -> new InterferenceAnalysis.TaskInfo(t.kthread(), t.allowed()));
  }
}
