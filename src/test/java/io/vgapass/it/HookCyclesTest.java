package io.vgapass.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import io.vgapass.runtime.HookInstaller;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.HugePages2M;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.Libvirtd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The qemu hook for real: libvirtd runs it around TCG guests carrying vgapass metadata. Start
 * and stop cycles, QEMU killed with SIGKILL mid-life, and a start that asks for more huge pages
 * than the machine has: afterwards no huge page is left reserved, no CPU shielded, no state file.
 * {@code -Dvgapass.cycles=200} runs the long soak; CI runs the default.
 */
class HookCyclesTest {
  private static final String URI = LabAssumptions.LIBVIRT_URI;
  private static final int CYCLES = Integer.getInteger("vgapass.cycles", 15);
  private static final int KILLS = 3;
  private static final Path SHIELD = Path.of("/sys/fs/cgroup/cpuset/vgapass-shield");
  private static final Path STATE_DIR = Path.of("/run/vgapass");
  private static int pagesBefore;

  @BeforeAll
  static void installHook() throws Exception {
    LabAssumptions.assumeLab();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    new HookInstaller(SysRoot.live()).install(null, System.getProperty("java.class.path"), java, "9.0.0", false);
    Libvirtd.restart(); // libvirt notices a new hook only when it starts
  }

  private AutoCloseable poolLock;

  @org.junit.jupiter.api.BeforeEach
  void pagesNow() {
    poolLock = HugePages2M.hold(); // the hooks here change the pool; no other run may meanwhile
    pagesBefore = HugePages2M.total();
  }

  @org.junit.jupiter.api.AfterEach
  void unlockPool() throws Exception {
    if (poolLock != null) poolLock.close();
  }

  @AfterAll
  static void removeHook() throws Exception {
    if (LabAssumptions.enabled()) new HookInstaller(SysRoot.live()).uninstall(false);
  }

  private static String domain(String name, long pages) {
    return "<domain type='qemu'>\n"
        + "  <name>" + name + "</name>\n"
        + "  <metadata>\n"
        + "    <vgapass:vm xmlns:vgapass='https://vgapass.io/xmlns/libvirt/domain/1.0' format='1'>\n"
        + "      <vgapass:cpu vcpus='1' emulator='0' iothread='0' iothread-priority='0'/>\n"
        + "      <vgapass:memory kib='" + pages * 2048 + "' hugepage-kib='2048' hugepages='" + pages + "' node=''/>\n"
        + "    </vgapass:vm>\n"
        + "  </metadata>\n"
        + "  <memory unit='KiB'>131072</memory>\n"
        + "  <memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>\n"
        + "  <vcpu placement='static'>1</vcpu>\n"
        + "  <cputune><vcpupin vcpu='0' cpuset='1'/><emulatorpin cpuset='0'/></cputune>\n"
        + "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n"
        + "  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator><memballoon model='none'/></devices>\n"
        + "</domain>\n";
  }

  private static Cmd.Result virsh(String... args) {
    String[] argv = new String[args.length + 3];
    argv[0] = "virsh";
    argv[1] = "-c";
    argv[2] = URI;
    System.arraycopy(args, 0, argv, 3, args.length);
    return Cmd.run(Duration.ofSeconds(120), argv);
  }

  private static String define(long pages) throws Exception {
    String name = "vgapass-test-hook-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    Path xml = Files.createTempFile(name, ".xml");
    Files.writeString(xml, domain(name, pages));
    assertThat(virsh("define", xml.toString()).ok()).isTrue();
    Files.delete(xml);
    return name;
  }

  private static void assertNothingLeft(String name) throws InterruptedException {
    // libvirt runs release/end while it tears the domain down; give it a moment
    for (int i = 0; i < 100 && (Files.exists(STATE_DIR.resolve(name + ".state")) || Files.exists(SHIELD)); i++) {
      Thread.sleep(100);
    }
    assertThat(STATE_DIR.resolve(name + ".state")).as("state file of " + name).doesNotExist();
    assertThat(SHIELD).as("CPU shield").doesNotExist();
    assertThat(HugePages2M.total()).as("2 MiB pages reserved").isEqualTo(pagesBefore);
  }

  @Test
  void startStopCyclesLeaveNothingBehind() throws Exception {
    String name = define(64);
    try {
      for (int i = 0; i < CYCLES; i++) {
        Cmd.Result start = virsh("start", name);
        assertThat(start.ok()).as("start %d: %s", i, start.err()).isTrue();
        assertThat(SHIELD).as("shield while running").exists();
        assertThat(HugePages2M.total()).isGreaterThanOrEqualTo(pagesBefore);
        assertThat(virsh("destroy", name).ok()).isTrue();
        assertNothingLeft(name);
      }
    } finally {
      virsh("destroy", name);
      virsh("undefine", name);
    }
  }

  @Test
  void qemuKilledMidLifeIsStillCleanedUp() throws Exception {
    String name = define(64);
    try {
      for (int i = 0; i < KILLS; i++) {
        assertThat(virsh("start", name).ok()).isTrue();
        String pid = Files.readString(Path.of("/run/libvirt/qemu", name + ".pid")).trim();
        Cmd.run(Duration.ofSeconds(10), "kill", "-9", pid);
        for (int t = 0; t < 100 && !virsh("domstate", name).out().contains("shut off"); t++) Thread.sleep(100);
        assertNothingLeft(name);
      }
    } finally {
      virsh("destroy", name);
      virsh("undefine", name);
    }
  }

  @Test
  void selftestPassesAndLeavesNothing() throws Exception {
    io.vgapass.cli.CliRunner.Result r = io.vgapass.cli.CliRunner.run("selftest", "--json");
    String out = r.out();
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
    assertThat(r.code()).as("%s", r).isZero();
    io.vgapass.testing.JsonContract.assertShape("selftest", out);
    assertThat(json.get("passed").asBoolean()).isTrue();
    java.util.List<String> names = new java.util.ArrayList<>();
    json.get("checks").forEach(c -> names.add(c.get("name").asText()));
    assertThat(names).contains("vcpu-pinning", "iothread", "hugepages", "cpu-shield", "cleanup");
    assertThat(HugePages2M.total()).isEqualTo(pagesBefore);
  }

  @Test
  void tooManyHugePagesFailTheStartCleanly() throws Exception {
    long total = Files.lines(Path.of("/proc/meminfo")).filter(l -> l.startsWith("MemTotal:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElseThrow();
    String name = define(total / 2048 + 512); // more 2 MiB pages than the machine has memory
    try {
      Cmd.Result start = virsh("start", name);
      assertThat(start.ok()).isFalse();
      // refused before the pool is touched: a write that large would take every free page the kernel finds
      assertThat(start.err()).contains("huge pages").contains("more than this host's").contains("MiB of memory");
      assertNothingLeft(name);
    } finally {
      virsh("undefine", name);
    }
  }
}
