package io.vgapass.it;

import static io.vgapass.testing.Cmd.virsh;
import static io.vgapass.plan.Intents.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.CpuList;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.HugePages2M;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.ProcThreads;
import io.vgapass.testing.ProcThreads.Policy;
import io.vgapass.testing.ProcThreads.ThreadInfo;
import io.vgapass.testing.TinyGuest;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The domain vgapass plans, defined in the real libvirtd and started under QEMU TCG: the running QEMU shows the plan
 * (each vCPU thread pinned to its CPU, the I/O thread SCHED_FIFO at the planned priority on its CPUs, the emulator on
 * its CPUs, guest memory on 2 MiB hugepages). The plan is made for a fixture host shaped like this machine (2 CPUs);
 * the GPU hostdevs and the NICs (the host-only network is not defined here) are left out. Runs only with
 * {@code -Dvgapass.it=true}, see {@link LabAssumptions}.
 */
class PlannedDomainTcgTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final String QEMU = "/usr/bin/qemu-system-x86_64";
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

  @BeforeEach
  void lab() {
    LabAssumptions.assumeLab();
  }

  @Test
  void plannedDomainRunsWithThePlannedPinningFifoIoThreadAndHugepages() throws Exception {
    List<Integer> online = CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
    assumeTrue(online.containsAll(List.of(0, 1)), "the fixture host pins to CPUs 0 and 1; this machine has " + online);
    TinyGuest guest = TinyGuest.locate();
    String name = uniqueName();
    Path disk = Path.of("/var/tmp", name + ".raw");
    Path serialLog = Path.of("/var/log/libvirt/qemu", name + "-serial.log");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(16L * 1024 * 1024);
    }
    Plan planned = intent().name(name).vcpus(2).memory("256M").hugepages("2M").audio("none").disk(disk.toString())
        .on(TestHosts.TWO_CPU);
    Plan plan = withoutNics(planned.withoutHostdevs());
    assertThat(plan.hugepages().count()).isEqualTo(128);
    XmlDoc doc = DomainWriter.create(plan, "qemu", QEMU);
    adaptForTcg(doc, guest, serialLog);

    try (HugePages2M pages = HugePages2M.add((int) plan.hugepages().count())) {
      try {
        Path xml = Files.createTempFile(name, ".xml");
        xml.toFile().deleteOnExit();
        Files.writeString(xml, doc.serialize());
        virsh("define", xml.toString());
        virsh("start", name);
        long pid = ProcThreads.qemuPid(name);
        waitFor(() -> read(serialLog).contains(TinyGuest.UP_MARKER), BOOT_TIMEOUT,
            () -> "guest " + name + " did not print " + TinyGuest.UP_MARKER + "; serial log: " + read(serialLog));

        List<ThreadInfo> threads = ProcThreads.of(pid);
        String seen = threads.stream().map(t -> t.tid() + " '" + t.name() + "' " + t.policy() + "/" + t.rtPriority()
            + " cpus " + t.cpusAllowedList()).toList().toString();
        for (int v = 0; v < plan.cpu().vcpus(); v++) {
          ThreadInfo vcpu = ProcThreads.require(threads, "CPU " + v + "/TCG", seen);
          assertThat(vcpu.cpusAllowed()).as("vCPU %d pinned as planned; threads: %s", v, seen)
              .containsExactly(plan.cpu().vcpuToCpu().get(v));
          assertThat(vcpu.policy()).as("vCPU %d policy", v).isEqualTo(Policy.OTHER);
        }
        ThreadInfo io = ProcThreads.require(threads, "IO iothread1", seen);
        assertThat(io.policy()).as("iothreadsched fifo; threads: %s", seen).isEqualTo(Policy.FIFO);
        assertThat(io.rtPriority()).as("iothreadsched priority").isEqualTo(plan.iothreadPriority());
        assertThat(io.cpusAllowed()).as("iothreadpin").containsExactlyInAnyOrderElementsOf(plan.cpu().iothreadCpus());
        ThreadInfo main = threads.stream().filter(t -> t.tid() == pid).findFirst().orElseThrow();
        assertThat(main.cpusAllowed()).as("emulatorpin; threads: %s", seen)
            .containsExactlyInAnyOrderElementsOf(plan.cpu().emulatorCpus());

        long hugeKib = TcgGuestTest.hugetlbKib(pid);
        System.out.printf("%s: QEMU pid %d, %d KiB on 2 MiB pages; plan vCPUs %s, emulator %s, I/O thread %s FIFO %d%n",
            name, pid, hugeKib, plan.cpu().vcpuToCpu(), plan.cpu().emulatorCpus(), plan.cpu().iothreadCpus(),
            plan.iothreadPriority());
        assertThat(hugeKib).as("guest memory in 2 MiB hugetlb mappings of QEMU %d (smaps)", pid)
            .isGreaterThanOrEqualTo(plan.memoryKiB());
      } finally {
        cleanUp(name);
        Files.deleteIfExists(serialLog);
        Files.deleteIfExists(disk);
      }
    }
  }

  /**
   * Every domain the golden tests expect vgapass to write (new and tuned) is accepted by the real libvirtd's own
   * parser and validation, which checks more than the schema (duplicate audio ids, UEFI without ACPI...). Each is
   * defined under a test name as type 'qemu' and undefined again.
   */
  @Test
  void libvirtDefinesEveryDomainVgapassWrites() throws IOException {
    List<String> files = new ArrayList<>();
    for (String n : List.of("cputune", "memory-1g", "numatune-two-node", "amd-topoext", "hostdev", "hostdev-user",
        "hostdev-partial", "disks", "nics", "audio-modern", "audio-legacy", "input", "hide-kvm", "iothreadids")) {
      files.add(n + ".out.xml");
    }
    files.addAll(List.of("create-reference.xml", "create-modern.xml", "create-two-node.xml",
        "create-install-media.xml"));
    List<String> refused = new ArrayList<>();
    for (String file : files) {
      XmlDoc doc = XmlDoc.parse(file, resource("/io/vgapass/domain/tune/" + file));
      String name = uniqueName();
      doc.set("./name", name);
      doc.root().element().setAttribute("type", "qemu"); // no KVM needed to define
      doc.set("./devices/emulator", QEMU); // the legacy example names Fedora 27's /usr/bin/qemu-kvm
      Path xml = Files.createTempFile(name, ".xml");
      try {
        Files.writeString(xml, doc.serialize());
        Cmd.Result r = Cmd.run(Duration.ofSeconds(120), "virsh", "-c", URI, "define", xml.toString());
        if (!r.ok()) refused.add(file + ": " + r.err().strip());
      } finally {
        Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", "--nvram", name);
        Files.deleteIfExists(xml);
      }
    }
    assertThat(refused).as("domains libvirt refused to define").isEmpty();
  }

  /**
   * The test's adaptations of a KVM domain to a TCG guest on a machine without the GPU or OVMF boot disk. Each says
   * why; nothing else of vgapass's domain is changed.
   */
  private static void adaptForTcg(XmlDoc doc, TinyGuest guest, Path serialLog) {
    // host-passthrough is KVM-only; TCG's closest is 'maximum' (-cpu max), libvirt 7.9+. Passthrough of the host's
    // cache topology is not available to it either.
    doc.set("./cpu/@mode", "maximum");
    doc.remove("./cpu/cache");
    // Hyper-V enlightenments and the Hyper-V clock are KVM features: with them QEMU (TCG) exits at once with
    // "kernel doesn't allow setting HyperV VP_INDEX"
    doc.remove("./features/hyperv");
    doc.remove("./clock/timer[@name='hypervclock']");
    // no OVMF boot from a Windows disk here: boot the tiny kernel and busybox initramfs directly
    doc.remove("./os/@firmware");
    doc.remove("./os/firmware");
    doc.remove("./os/loader");
    doc.remove("./os/nvram");
    doc.remove("./os/boot");
    doc.set("./os/kernel", guest.kernel().toString());
    doc.set("./os/initrd", guest.initrd().toString());
    doc.set("./os/cmdline", guest.cmdline(false));
    // the tiny guest prints its marker on the serial console; log it to a file the test reads
    doc.set("./devices/serial[@type='pty']/log/@file", serialLog.toString());
    doc.set("./devices/serial[@type='pty']/log/@append", "off");
    // leave nothing running if the guest powers off or crashes
    doc.set("./on_poweroff", "destroy");
    doc.set("./on_reboot", "destroy");
    doc.set("./on_crash", "destroy");
  }

  /** The plan without network interfaces: the host-only network is not defined in this lab. */
  private static Plan withoutNics(Plan p) {
    return p.toBuilder().nics(List.of()).lookingGlass(null).shield(null).build();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PlannedDomainTcgTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String uniqueName() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return "vgapass-plan-" + HexFormat.of().formatHex(b);
  }


  private static String domstate(String name) {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "virsh", "-c", URI, "domstate", name);
    return r.ok() ? r.out().strip() : "unknown (" + r.err().strip() + ")";
  }

  private static void cleanUp(String name) {
    String state = domstate(name);
    if (state.startsWith("running") || state.startsWith("paused")) {
      Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "destroy", name);
    }
    Cmd.run(Duration.ofSeconds(60), "virsh", "-c", URI, "undefine", "--nvram", name);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no " + file + ")";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void waitFor(BooleanSupplier done, Duration timeout, Supplier<String> why) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(why.get());
      Thread.sleep(100);
    }
  }
}
