package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.ShieldMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --shield deep} on a fixture /proc and /sys (4 CPUs, the VM on 2 and 3): the unbound workqueue cpumask, the
 * IRQ affinities and the unbound kthreads go to CPUs 0-1, the VM's own device's IRQ to its CPUs, per-CPU kthreads
 * stay; release puts every file back byte for byte. {@code taskset} is played by a command that rewrites the
 * fixture's {@code Cpus_allowed_list}, as the kernel would.
 */
class DeepShieldTest {
  private static final String GPU = "0000:01:00.0";
  private static final long PF_KTHREAD = 0x00200000L;
  private static final long PF_NO_SETAFFINITY = 0x04000000L;

  @TempDir Path dir;
  SysRoot root;
  final List<List<String>> commands = new ArrayList<>();

  @BeforeEach
  void tree() throws IOException {
    root = new SysRoot(dir);
    ShellReleaseTest.host(dir);
    put("sys/devices/system/cpu/online", "0-3");
    put(DeepShield.WORKQUEUE, "f\n");
    put(DeepShield.IRQ_DEFAULT, "f\n");
    put("proc/irq/24/smp_affinity_list", "0-3\n");
    put("proc/irq/25/smp_affinity_list", "0-3\n");
    put("proc/irq/26/smp_affinity_list", "1\n"); // already on a host CPU: nothing to record
    put("proc/irq/27/smp_affinity_list", "2-3\n");
    put("proc/interrupts", "           CPU0       CPU1       CPU2       CPU3\n"
        + "  24:        10          0          0          0  IR-PCI-MSI 1048576-edge      ahci[0000:00:17.0]\n"
        + "  25:         0          0          0          0  IR-PCI-MSI 524288-edge      vfio-msi[0](" + GPU + ")\n"
        + "  27:         5          5          5          5  IR-IO-APIC   9-fasteoi   acpi\n");
    kthread(2, 0, "kthreadd", "0-3", PF_KTHREAD);
    kthread(10, 2, "kcompactd0", "0-3", PF_KTHREAD);
    kthread(11, 2, "ksoftirqd/2", "2", PF_KTHREAD);
    kthread(12, 2, "kworker/u8:1-events_unbound", "0-3", PF_KTHREAD | PF_NO_SETAFFINITY);
    kthread(13, 2, "khugepaged", "0,2", PF_KTHREAD);
    kthread(14, 2, "kswapd0", "0-1", PF_KTHREAD);
    kthread(400, 1, "sshd", "0-3", 0x400100L); // a process: the cgroup's, not ours
  }

  private void put(String rel, String content) throws IOException {
    ShellReleaseTest.put(dir, rel, content);
  }

  private void kthread(int pid, int ppid, String comm, String cpus, long flags) throws IOException {
    put("proc/" + pid + "/comm", comm + "\n");
    put("proc/" + pid + "/status", "Name:\t" + comm + "\nPPid:\t" + ppid + "\nCpus_allowed_list:\t" + cpus + "\n");
    put("proc/" + pid + "/stat", pid + " (" + comm + ") S " + ppid + " 0 0 0 -1 " + flags + " 0 0 0 0 0 0\n");
  }

  private String read(String rel) throws IOException {
    return Files.readString(dir.resolve(rel)).trim();
  }

  private String allowed(int pid) throws IOException {
    return read("proc/" + pid + "/status").replaceAll("(?s).*Cpus_allowed_list:\t", "");
  }

  /** taskset -pc LIST PID as the kernel answers it: the task's allowed CPUs become LIST. */
  private Lifecycle life() {
    return new Lifecycle(root, c -> {
      commands.add(c);
      if (c.size() == 4 && c.get(0).equals("taskset") && c.get(1).equals("-pc")) {
        Path status = dir.resolve("proc/" + c.get(3) + "/status");
        try {
          Files.writeString(status, Files.readString(status).replaceAll("Cpus_allowed_list:\t.*",
              "Cpus_allowed_list:\t" + c.get(2)));
        } catch (IOException e) {
          return 1;
        }
      }
      return 0;
    }, LifecycleTest.EMULATED);
  }

  private static VgapassMetadata meta(ShieldMode shield) {
    return VgapassMetadata.builder().gpu(GPU).hostdevs(List.of(GPU)).vcpuPins(List.of(2, 3)).emulatorCpus(List.of(0))
        .iothreadCpus(List.of(0)).shield(shield).build();
  }

  @Test
  void movesKernelWorkOffTheGuestsCpusAndReleasePutsEveryFileBackByteForByte() throws IOException {
    Map<String, String> before = ShellReleaseTest.files(dir);
    List<String> log = life().prepare("vm", meta(ShieldMode.DEEP));

    assertThat(read(DeepShield.WORKQUEUE)).isEqualTo("3");
    assertThat(read(DeepShield.IRQ_DEFAULT)).isEqualTo("3");
    assertThat(read("proc/irq/24/smp_affinity_list")).isEqualTo("0-1");
    assertThat(read("proc/irq/25/smp_affinity_list")).as("the VM's own IRQ follows its CPUs").isEqualTo("2-3");
    assertThat(read("proc/irq/27/smp_affinity_list")).isEqualTo("0-1");
    assertThat(read("proc/irq/26/smp_affinity_list")).as("already on the host's CPUs").isEqualTo("1");
    assertThat(allowed(10)).isEqualTo("0-1");
    assertThat(allowed(13)).as("narrowed to what it had of the host's").isEqualTo("0");
    assertThat(allowed(11)).as("per-CPU kthread").isEqualTo("2");
    assertThat(allowed(12)).as("PF_NO_SETAFFINITY").isEqualTo("0-3");
    assertThat(allowed(2)).as("kthreadd is no child of itself").isEqualTo("0-3");
    assertThat(allowed(400)).as("processes are the cgroup's").isEqualTo("0-3");
    assertThat(commands).filteredOn(c -> c.get(0).equals("taskset"))
        .containsExactly(List.of("taskset", "-pc", "0-1", "10"), List.of("taskset", "-pc", "0", "13"));
    assertThat(String.join("; ", log)).contains("deep: workqueue cpumask 3")
        .contains("2 IRQs to CPUs 0-1, 1 of the VM's to CPUs 2-3").contains("2 kernel threads to CPUs 0-1");
    // every old value is in the state file
    assertThat(new StateStore(root, "vm").entries()).extracting(StateStore.Entry::kind)
        .contains("workqueue-cpumask", "irq-default-affinity", "irq-affinity", "kthread-affinity");

    List<String> undone = life().release("vm");
    assertThat(undone).noneMatch(l -> l.startsWith("refused"));
    Map<String, String> after = ShellReleaseTest.files(dir);
    after.put("sys/fs/cgroup/cpuset/cgroup.procs", before.get("sys/fs/cgroup/cpuset/cgroup.procs"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void theDevicesOwnLinesAreRecordedEvenWhenTheyStaySoWhatTheFollowerMovesComesBack() throws IOException {
    put("sys/bus/pci/devices/" + GPU + "/irq", "26\n"); // its INTx line: vfio takes it over at the start
    Map<String, String> before = ShellReleaseTest.files(dir);
    List<String> log = life().prepare("vm", meta(ShieldMode.DEEP));
    assertThat(read("proc/irq/26/smp_affinity_list")).as("a host IRQ until vfio holds it").isEqualTo("1");
    assertThat(new StateStore(root, "vm").entries()).filteredOn(e -> e.path().equals("proc/irq/26/smp_affinity_list"))
        .extracting(StateStore.Entry::previous).containsExactly("1");
    // the follower, started detached in its own session, for this VM's pid file and devices
    List<String> follow = commands.stream().filter(c -> c.get(0).equals("setsid")).findFirst().orElseThrow();
    assertThat(follow.subList(0, 2)).containsExactly("setsid", "-f");
    assertThat(follow).contains(dir.resolve("run/libvirt/qemu/vm.pid").toString(), "2-3", GPU)
        .contains(IrqFollower.SCRIPT);
    assertThat(String.join("; ", log)).contains("the VM's device IRQs follow CPUs 2-3");

    put("proc/irq/26/smp_affinity_list", "2-3\n"); // what the follower does while the VM runs
    life().release("vm");
    Map<String, String> after = ShellReleaseTest.files(dir);
    after.put("sys/fs/cgroup/cpuset/cgroup.procs", before.get("sys/fs/cgroup/cpuset/cgroup.procs"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void aKthreadThatExitedAndWhoseNumberWasTakenIsLeftAlone() throws IOException {
    life().prepare("vm", meta(ShieldMode.DEEP));
    kthread(10, 2, "kworker/R-new", "0-1", PF_KTHREAD); // kcompactd0 gone, its number reused
    commands.clear();
    life().release("vm");
    assertThat(commands).filteredOn(c -> c.get(0).equals("taskset"))
        .containsExactly(List.of("taskset", "-pc", "0,2", "13"));
    assertThat(allowed(10)).isEqualTo("0-1");
  }

  @Test
  void aLeftOverStateOfAKilledVmIsUndoneBeforeTheNextStart() throws IOException {
    Map<String, String> before = ShellReleaseTest.files(dir);
    life().prepare("vm", meta(ShieldMode.DEEP)); // QEMU SIGKILLed and no release ran: the state file stays
    life().prepare("vm", meta(ShieldMode.DEEP));
    // the second start recorded the values before the first, not the first's own
    assertThat(new StateStore(root, "vm").entries()).filteredOn(e -> e.kind().equals("workqueue-cpumask"))
        .extracting(StateStore.Entry::previous).containsExactly("f");
    life().release("vm");
    Map<String, String> after = ShellReleaseTest.files(dir);
    after.put("sys/fs/cgroup/cpuset/cgroup.procs", before.get("sys/fs/cgroup/cpuset/cgroup.procs"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void theCgroupShieldAloneLeavesKernelWorkAndOffMovesNothing() throws IOException {
    Map<String, String> before = ShellReleaseTest.files(dir);
    life().prepare("vm", meta(ShieldMode.CGROUP));
    assertThat(read(DeepShield.WORKQUEUE)).isEqualTo("f");
    assertThat(read("proc/irq/24/smp_affinity_list")).isEqualTo("0-3");
    assertThat(commands).noneMatch(c -> c.get(0).equals("taskset"));
    life().release("vm");
    List<String> log = life().prepare("vm", meta(ShieldMode.OFF));
    assertThat(log).contains("shield: off (the plan asks for none)");
    assertThat(dir.resolve("sys/fs/cgroup/cpuset/vgapass-shield")).doesNotExist();
    life().release("vm");
    Map<String, String> after = ShellReleaseTest.files(dir);
    after.put("sys/fs/cgroup/cpuset/cgroup.procs", before.get("sys/fs/cgroup/cpuset/cgroup.procs"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void releaseRefusesEntriesNamingAnythingButTheDeepShieldsPlaces() throws IOException {
    put("etc/passwd", "root:x:0:0\n");
    StateStore state = new StateStore(root, "vm");
    state.record(new StateStore.Entry("irq-affinity", "etc/passwd", "0-1", 0));
    state.record(new StateStore.Entry("workqueue-cpumask", "sys/devices/virtual/workqueue/cpumask", "f; rm -rf /", 0));
    state.record(new StateStore.Entry("kthread-affinity", "proc/10/../400", "0-3 sshd", 0));
    state.record(new StateStore.Entry("irq-affinity", "proc/irq/24/smp_affinity_list", "0-3", 0));
    List<String> log = life().release("vm");
    assertThat(log).filteredOn(l -> l.startsWith("refused")).hasSize(3);
    assertThat(read("etc/passwd")).isEqualTo("root:x:0:0");
    assertThat(read(DeepShield.WORKQUEUE)).isEqualTo("f");
    assertThat(commands).isEmpty();
    assertThat(log).contains("undone irq-affinity proc/irq/24/smp_affinity_list");
  }

  @Test
  void masksAreWrittenAsTheKernelWritesThem() {
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(0, 1))).isEqualTo("3");
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(0, 33))).isEqualTo("2,00000001");
    assertThat(io.vgapass.host.CpuList.formatMask(List.of(4, 5, 6, 7))).isEqualTo("f0");
  }
}
