package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.testing.Cmd;
import io.vgapass.testing.HugePages2M;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.ProcThreads;
import io.vgapass.testing.ProcThreads.Policy;
import io.vgapass.testing.ProcThreads.ThreadInfo;
import io.vgapass.testing.TinyGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real libvirtd + QEMU (TCG): a hand-written tuned domain starts, and the running QEMU shows the
 * tuning (vCPU and emulator pinning, SCHED_FIFO I/O thread, hugepage-backed memory).
 * Runs only with {@code -Dvgapass.it=true}, see {@link LabAssumptions}.
 */
class TcgGuestTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
  /** Debian's cloud kernel resets at once with 64 MiB; 128 MiB boots. */
  private static final int MEMORY_MIB = 128;

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void tunedGuestRunsWithPinnedThreadsFifoIoThreadAndHugepages() throws Exception {
    TinyGuest guest = TinyGuest.locate();
    String name = uniqueName();
    Path serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
    boolean passed = false;
    try (HugePages2M pages = HugePages2M.add(HugePages2M.pagesFor(MEMORY_MIB))) {
      try {
        virsh("define", writeXml(name, tunedDomain(name, guest, serialLog)).toString());
        virsh("start", name);
        long pid = ProcThreads.qemuPid(name);

        waitFor(() -> contains(serialLog, TinyGuest.UP_MARKER), BOOT_TIMEOUT,
            () -> "guest " + name + " did not print " + TinyGuest.UP_MARKER + "; serial log: "
                + read(serialLog));
        List<ThreadInfo> threads = ProcThreads.of(pid);
        String seen = threads.stream()
            .map(t -> t.tid() + " '" + t.name() + "' " + t.policy() + "/" + t.rtPriority()
                + " cpus " + t.cpusAllowedList())
            .toList().toString();

        ThreadInfo vcpu0 = ProcThreads.require(threads, "CPU 0/TCG", seen);
        ThreadInfo vcpu1 = ProcThreads.require(threads, "CPU 1/TCG", seen);
        assertThat(vcpu0.cpusAllowed()).as("vcpupin 0 -> 0; threads: %s", seen).containsExactly(0);
        assertThat(vcpu1.cpusAllowed()).as("vcpupin 1 -> 1; threads: %s", seen).containsExactly(1);
        assertThat(vcpu0.policy()).isEqualTo(Policy.OTHER);

        ThreadInfo io = ProcThreads.require(threads, "IO iothread1", seen);
        assertThat(io.policy()).as("iothreadsched fifo; threads: %s", seen).isEqualTo(Policy.FIFO);
        assertThat(io.rtPriority()).as("iothreadsched priority").isEqualTo(10);
        assertThat(io.cpusAllowed()).as("iothreadpin 1 -> 0").containsExactly(0);

        ThreadInfo main = threads.stream().filter(t -> t.tid() == pid).findFirst().orElseThrow();
        assertThat(main.cpusAllowed()).as("emulatorpin -> 1; threads: %s", seen).containsExactly(1);

        long hugeKib = hugetlbKib(pid);
        System.out.printf("%s: QEMU pid %d, %d KiB in 2 MiB hugepages; %s, %s, %s, main cpus %s%n",
            name, pid, hugeKib, brief(vcpu0), brief(vcpu1), brief(io), main.cpusAllowedList());
        assertThat(hugeKib)
            .as("2 MiB hugetlb mappings of QEMU %d (smaps)", pid)
            .isGreaterThanOrEqualTo(MEMORY_MIB * 1024L);
        passed = true;
      } finally {
        cleanUp(name, serialLog, passed);
      }
    }
  }

  @Test
  void guestPowersItselfOff() throws Exception {
    TinyGuest guest = TinyGuest.locate();
    String name = uniqueName();
    Path serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
    String xml = guest.domainXml(name, MEMORY_MIB, guest.cmdline(true), serialLog);
    boolean passed = false;
    try {
      virsh("define", writeXml(name, xml).toString());
      virsh("start", name);
      waitFor(() -> domstate(name).startsWith("shut off"), BOOT_TIMEOUT,
          () -> "guest " + name + " still " + domstate(name) + "; serial log: " + read(serialLog));
      assertThat(read(serialLog)).contains(TinyGuest.UP_MARKER).contains(TinyGuest.POWEROFF_MARKER);
      passed = true;
    } finally {
      cleanUp(name, serialLog, passed);
    }
  }

  /** 2 vCPUs pinned to host CPUs 0 and 1, emulator on 1, one FIFO I/O thread on 0, hugepages. */
  static String tunedDomain(String name, TinyGuest guest, Path serialLog) {
    return """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>%d</memory>
          <memoryBacking>
            <hugepages><page size='2048' unit='KiB'/></hugepages>
          </memoryBacking>
          <vcpu placement='static'>2</vcpu>
          <iothreads>1</iothreads>
          <cputune>
            <vcpupin vcpu='0' cpuset='0'/>
            <vcpupin vcpu='1' cpuset='1'/>
            <emulatorpin cpuset='1'/>
            <iothreadpin iothread='1' cpuset='0'/>
            <iothreadsched iothreads='1' scheduler='fifo' priority='10'/>
          </cputune>
          <os>
            <type arch='x86_64' machine='pc'>hvm</type>
            <kernel>%s</kernel>
            <initrd>%s</initrd>
            <cmdline>%s</cmdline>
          </os>
          <features><acpi/></features>
          <on_poweroff>destroy</on_poweroff>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            <controller type='scsi' index='0' model='virtio-scsi'>
              <driver iothread='1'/>
            </controller>
            <controller type='usb' model='none'/>
            <serial type='pty'><log file='%s' append='off'/></serial>
            <memballoon model='none'/>
          </devices>
        </domain>
        """.formatted(name, MEMORY_MIB, guest.kernel(), guest.initrd(), guest.cmdline(false),
        serialLog);
  }

  private static String uniqueName() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return "vgapass-test-" + HexFormat.of().formatHex(b);
  }

  private static Path writeXml(String name, String xml) throws IOException {
    Path f = Files.createTempFile(name, ".xml");
    f.toFile().deleteOnExit();
    return Files.writeString(f, xml);
  }


  private static String domstate(String name) {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "virsh", "-c", URI, "domstate", name);
    return r.ok() ? r.out().strip() : "unknown (" + r.err().strip() + ")";
  }

  /** Destroys and undefines the domain; keeps its logs only when the test failed. */
  private static void cleanUp(String name, Path serialLog, boolean passed) throws IOException {
    String state = domstate(name);
    if (state.startsWith("running") || state.startsWith("paused")) {
      Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "destroy", name);
    }
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", name);
    Path qemuLog = Path.of("/var/log/libvirt/qemu", name + ".log");
    if (passed) {
      Files.deleteIfExists(serialLog);
      Files.deleteIfExists(qemuLog);
    } else {
      System.err.printf("%s failed: kept %s and %s%n", name, qemuLog, serialLog);
    }
  }

  private static String brief(ThreadInfo t) {
    return "'" + t.name() + "' " + t.policy() + "/" + t.rtPriority() + " cpus " + t.cpusAllowedList();
  }

  /** Sum of Size over mappings whose KernelPageSize is 2048 kB (hugetlbfs-backed) in smaps. */
  static long hugetlbKib(long pid) throws IOException {
    long sum = 0;
    long size = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
      if (line.startsWith("Size:")) {
        size = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("KernelPageSize:") && line.replaceAll("\\s+", " ").endsWith(" 2048 kB")) {
        sum += size;
      }
    }
    return sum;
  }

  private static boolean contains(Path file, String text) {
    return read(file).contains(text);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no " + file + ")";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void waitFor(BooleanSupplier done, Duration timeout,
      java.util.function.Supplier<String> why) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(why.get());
      Thread.sleep(100);
    }
  }
}
