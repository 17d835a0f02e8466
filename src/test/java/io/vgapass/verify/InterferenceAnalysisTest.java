package io.vgapass.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** verify --interference's reading of a trace and of /proc/interrupts, on text in the kernel's own formats. */
class InterferenceAnalysisTest {
  // lines as tracefs prints them (kernel 6.x), on CPU 1 (the guest's) and CPU 0 (the host's)
  private static final String TRACE = """
      # tracer: nop
      #
      #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
      #              | |         |   |||||     |         |
                <idle>-0       [001] d..2.  100.000001: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=CPU 0/TCG next_pid=501 next_prio=120
             CPU 0/TCG-501     [001] d..2.  100.000100: sched_switch: prev_comm=CPU 0/TCG prev_pid=501 prev_prio=120 prev_state=R ==> next_comm=kworker/u4:2 next_pid=77 next_prio=120
          kworker/u4:2-77      [001] d..2.  100.000200: sched_switch: prev_comm=kworker/u4:2 prev_pid=77 prev_prio=120 prev_state=I ==> next_comm=CPU 0/TCG next_pid=501 next_prio=120
             CPU 0/TCG-501     [001] d..2.  100.000300: sched_switch: prev_comm=CPU 0/TCG prev_pid=501 prev_prio=120 prev_state=R ==> next_comm=kworker/1:0 next_pid=30 next_prio=120
           kworker/1:0-30      [001] d..2.  100.000400: sched_switch: prev_comm=kworker/1:0 prev_pid=30 prev_prio=120 prev_state=I ==> next_comm=busy loop next_pid=900 next_prio=120
             busy loop-900     [001] d..2.  100.000500: sched_switch: prev_comm=busy loop prev_pid=900 prev_prio=120 prev_state=R ==> next_comm=kworker/u4:2 next_pid=77 next_prio=120
          kworker/u4:2-77      [001] d..2.  100.000600: sched_switch: prev_comm=kworker/u4:2 prev_pid=77 prev_prio=120 prev_state=I ==> next_comm=qemu-system-x86 next_pid=500 next_prio=120
       qemu-system-x86-500     [001] d..2.  100.000700: sched_switch: prev_comm=qemu-system-x86 prev_pid=500 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
                <idle>-0       [000] d..2.  100.000800: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=busy loop next_pid=901 next_prio=120
                <idle>-0       [001] d..2.  100.000900: sched_wakeup: comm=rcu_preempt pid=16 prio=120 target_cpu=001
      """;
  private static final String IRQ_BEFORE = """
                 CPU0       CPU1
        24:          1          0  IO-APIC   5-edge      ACPI:Ged
        31:          0        286  PCI-MSIX-0000:00:01.0   3-edge      virtio0-stats
        40:          0         10  IR-PCI-MSI-0000:01:00.0   0-edge      vfio-msi[0](0000:01:00.0)
       LOC:       5000       6000   Local timer interrupts
       ERR:          0
      """;
  private static final String IRQ_AFTER = """
                 CPU0       CPU1
        24:          1          0  IO-APIC   5-edge      ACPI:Ged
        31:          0        300  PCI-MSIX-0000:00:01.0   3-edge      virtio0-stats
        40:          0         25  IR-PCI-MSI-0000:01:00.0   0-edge      vfio-msi[0](0000:01:00.0)
       LOC:       5100       6250   Local timer interrupts
       ERR:          0
      """;

  @Test
  void parsesSwitchesWithSpacesInTheirNamesAndSkipsOtherEvents() {
    List<SchedSwitch> s = SchedSwitch.parse(TRACE);
    assertThat(s).hasSize(9);
    assertThat(s.get(0)).isEqualTo(new SchedSwitch(1, "CPU 0/TCG", 501));
    assertThat(s.get(4)).isEqualTo(new SchedSwitch(1, "busy loop", 900));
    assertThat(s.get(7).toIdle()).isTrue();
  }

  @Test
  void countsWhatRanBesidesTheVcpusAndSaysWhatCanMove() {
    Map<Long, InterferenceAnalysis.TaskInfo> tasks = Map.of(
        77L, new InterferenceAnalysis.TaskInfo(true, List.of(0, 1)),
        30L, new InterferenceAnalysis.TaskInfo(true, List.of(1)),
        900L, new InterferenceAnalysis.TaskInfo(false, List.of(0, 1)));
    InterferenceAnalysis.Vm vm = new InterferenceAnalysis.Vm("win", List.of(1), Set.of(501L), Set.of(500L, 501L),
        List.of("0000:01:00.0"));
    Interference r = InterferenceAnalysis.analyse(vm, 20, List.of(0), SchedSwitch.parse(TRACE),
        pid -> Optional.ofNullable(tasks.get(pid)), Interrupts.parse(IRQ_BEFORE), Interrupts.parse(IRQ_AFTER), 0, null);

    assertThat(r.cpus()).hasSize(1);
    Interference.PerCpu cpu1 = r.cpus().get(0);
    // CPU 0's busy loop and the switch to idle are not CPU 1's interference; the vCPU is no offender
    assertThat(cpu1.foreignSwitches()).isEqualTo(5);
    assertThat(cpu1.vcpuSwitches()).isEqualTo(2);
    assertThat(cpu1.offenders()).extracting(Interference.Offender::name)
        .containsExactly("kworker/u4:2", "busy loop", "kworker/1:0", "qemu-system-x86");
    assertThat(cpu1.offenders()).extracting(Interference.Offender::kind)
        .containsExactly(TaskKind.KERNEL_UNBOUND, TaskKind.USER, TaskKind.KERNEL_PER_CPU, TaskKind.VM_THREAD);
    Interference.Offender kworker = cpu1.offenders().get(0);
    assertThat(kworker.switches()).isEqualTo(2);
    assertThat(kworker.fix()).startsWith("echo 1 > /sys/devices/virtual/workqueue/cpumask");
    assertThat(cpu1.offenders().get(2).fix()).isNull();
    assertThat(cpu1.offenders().get(2).movable()).isFalse();

    assertThat(cpu1.irqs()).extracting(Interference.Irq::irq).containsExactly("LOC", "40", "31");
    assertThat(cpu1.irqs()).extracting(Interference.Irq::count).containsExactly(250L, 15L, 14L);
    Interference.Irq own = cpu1.irqs().get(1);
    assertThat(own.source()).contains("vfio-msi", "the VM's own device");
    assertThat(own.fix()).isNull();
    assertThat(cpu1.irqs().get(2).fix()).isEqualTo("echo 1 > /proc/irq/31/smp_affinity");
    assertThat(cpu1.irqs().get(0).movable()).isFalse(); // the local timer is per-CPU
  }

  @Test
  void tasksGoneBeforeTheLookStillGetTheirKindFromTheKernelsNaming() {
    InterferenceAnalysis.Vm vm = new InterferenceAnalysis.Vm("win", List.of(1), Set.of(501L), Set.of(501L), List.of());
    Interference r = InterferenceAnalysis.analyse(vm, 1, List.of(0), SchedSwitch.parse(TRACE), pid -> Optional.empty(),
        Interrupts.parse(IRQ_BEFORE), Interrupts.parse(IRQ_BEFORE), 0, null);
    assertThat(r.cpus().get(0).offenders()).extracting(Interference.Offender::kind)
        .containsExactly(TaskKind.KERNEL_UNBOUND, TaskKind.GONE, TaskKind.KERNEL_PER_CPU, TaskKind.GONE);
    assertThat(r.cpus().get(0).irqs()).isEmpty();
  }

  @Test
  void masksAreTheKernelsHexInGroupsOf32() {
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(0))).isEqualTo("1");
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(0, 2, 3))).isEqualTo("d");
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(1, 33))).isEqualTo("2,00000002");
  }
}
