package io.vgapass.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.cli.CliRunner;
import io.vgapass.testing.Cmd;
import io.vgapass.testing.JsonContract;
import io.vgapass.testing.LabAssumptions;
import io.vgapass.testing.TinyGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --interference} on a real TCG guest pinned to CPU 1 while two unpinned busy loops run on the host:
 * vgapass's count of foreign switches agrees with the test's own count, taken at the same time from a tracefs
 * instance of the test's own; the busy loops are named as movable processes; and tracing is left as it was.
 */
class InterferenceTcgTest {
  private static final Path TRACING = Path.of("/sys/kernel/tracing");
  private static final int SECONDS = 10;

  @TempDir Path tmp;

  @Test
  void countsWhatRunsOnTheGuestsCpuAndLeavesTracingAsItWas() throws Exception {
    LabAssumptions.assumeLab();
    String name = "vgapass-irq-" + HexFormat.of().formatHex(randomBytes());
    TinyGuest guest = TinyGuest.locate();
    String xml = guest.domainXml(name, 256, guest.cmdline(false), tmp.resolve("serial.log"))
        .replace("<vcpu>1</vcpu>", "<vcpu placement='static'>1</vcpu>\n"
            + "  <cputune><vcpupin vcpu='0' cpuset='1'/><emulatorpin cpuset='0'/></cputune>")
        .replace("<os>", "<metadata>\n"
            + "    <vgapass:vm xmlns:vgapass='https://vgapass.io/xmlns/libvirt/domain/1.0' format='1'>\n"
            + "      <vgapass:cpu vcpus='1' emulator='0' iothread='0' iothread-priority='0'/>\n"
            + "    </vgapass:vm>\n  </metadata>\n  <os>");
    Path file = tmp.resolve(name + ".xml");
    Files.writeString(file, xml);
    boolean mountedBefore = Files.isDirectory(TRACING.resolve("instances"));
    Snapshot before = mountedBefore ? Snapshot.of() : null;
    List<Process> loops = new ArrayList<>();
    Cmd.virsh("define", file.toString());
    try {
      Cmd.virsh("start", name);
      for (int i = 0; i < 2; i++) loops.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
      Thread.sleep(1000); // the guest's first second of boot is not what is measured
      Set<Long> vcpus = vcpuTids(name);

      try (OwnCount own = OwnCount.start(vcpus)) {
        CompletableFuture<CliRunner.Result> verify = CompletableFuture.supplyAsync(
            () -> CliRunner.run("verify", name, "--interference", Integer.toString(SECONDS), "--json",
                "--connect", LabAssumptions.LIBVIRT_URI));
        CliRunner.Result r = verify.get();
        assertThat(r.code()).as("%s", r).isZero();
        JsonContract.assertShape("verify-interference", r.out());
        JsonNode json = new ObjectMapper().readTree(r.out());
        JsonNode window = json.get("window");
        assertThat(window.get("clock").asText()).isEqualTo("mono");
        assertThat(window.get("end").asDouble() - window.get("start").asDouble()).isBetween(SECONDS - 0.1, SECONDS + 2.0);
        long ours = own.stop(window.get("start").asDouble(), window.get("end").asDouble());
        JsonNode cpu1 = json.get("cpus").get(0);
        assertThat(cpu1.get("cpu").asInt()).isEqualTo(1);
        long theirs = cpu1.get("foreignSwitches").asLong();
        System.out.printf("%s: vgapass counted %d foreign switches on CPU 1 in %d s, the test %d%n", name, theirs,
            SECONDS, ours);
        // the busy loops keep CPU 1 busy with something other than the vCPU
        assertThat(theirs).isPositive();
        // the same events over the same window, counted by other code: within 20 %
        assertThat((double) theirs).isBetween(ours * 0.8, ours * 1.2);
        // processes (the busy loops, and on a busy machine others) are named as movable, with the shield as fix
        List<JsonNode> users = new ArrayList<>();
        cpu1.get("offenders").forEach(o -> {
          if (o.get("kind").asText().equals("USER")) users.add(o);
        });
        assertThat(users).isNotEmpty().allSatisfy(o -> {
          assertThat(o.get("movable").asBoolean()).isTrue();
          assertThat(o.get("fix").asText()).contains("vgapass hooks install");
        });
      }
    } finally {
      loops.forEach(Process::destroyForcibly);
      Cmd.run(Duration.ofSeconds(60), "virsh", "-c", LabAssumptions.LIBVIRT_URI, "destroy", name);
      Cmd.run(Duration.ofSeconds(60), "virsh", "-c", LabAssumptions.LIBVIRT_URI, "undefine", name);
    }
    assertThat(Files.isDirectory(TRACING.resolve("instances"))).as("tracefs mounted as before").isEqualTo(mountedBefore);
    if (before != null) assertThat(Snapshot.of()).isEqualTo(before);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  static Set<Long> vcpuTids(String name) throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readString(Path.of("/run/libvirt/qemu/" + name + ".pid")).trim());
    Set<Long> tids = new TreeSet<>();
    // QEMU names its vCPU thread once it has made it; on a loaded machine that can take a while
    for (int wait = 0; wait < 300 && tids.isEmpty(); wait++) {
      if (wait > 0) Thread.sleep(100);
      try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
        for (Path t : tasks.toList()) {
          if (Files.readString(t.resolve("comm")).startsWith("CPU ")) tids.add(Long.parseLong(t.getFileName().toString()));
        }
      }
    }
    assertThat(tids).as("vCPU threads of %s", name).hasSize(1);
    return tids;
  }

  /** The global tracing state and the list of instances: what "leaving tracing as it found it" means. */
  private record Snapshot(String tracingOn, String currentTracer, String setEvent, String cpumask, List<String> instances) {
    static Snapshot of() throws IOException {
      List<String> instances;
      try (Stream<Path> s = Files.list(TRACING.resolve("instances"))) {
        instances = s.map(p -> p.getFileName().toString()).sorted().toList();
      }
      return new Snapshot(read("tracing_on"), read("current_tracer"), read("set_event"), read("tracing_cpumask"),
          instances);
    }

    private static String read(String f) throws IOException {
      return Files.readString(TRACING.resolve(f));
    }
  }

  /**
   * The test's own count, independent of vgapass's code: a tracefs instance on CPU 1 with sched_switch, counting
   * switches to anything but idle and the vCPU threads. Mounts tracefs if needed, and undoes all of it on close.
   */
  static final class OwnCount implements AutoCloseable {
    private final Path instance;
    private final boolean mounted;
    private final Set<Long> vcpus;

    private OwnCount(Path instance, boolean mounted, Set<Long> vcpus) {
      this.instance = instance;
      this.mounted = mounted;
      this.vcpus = vcpus;
    }

    static OwnCount start(Set<Long> vcpus) throws IOException {
      boolean mounted = false;
      if (!Files.isDirectory(TRACING.resolve("instances"))) {
        Cmd.run(Duration.ofSeconds(30), "mount", "-t", "tracefs", "nodev", TRACING.toString()).orThrow();
        mounted = true;
      }
      Path instance = Files.createDirectory(TRACING.resolve("instances/vgapass-test-own"));
      OwnCount c = new OwnCount(instance, mounted, vcpus);
      c.write("tracing_on", "0");
      c.write("trace_clock", "mono");
      c.write("buffer_size_kb", "4096");
      c.write("tracing_cpumask", "2");
      c.write("events/sched/sched_switch/enable", "1");
      c.write("tracing_on", "1");
      return c;
    }

    /** Stops, and counts the foreign switches on CPU 1 stamped between {@code from} and {@code to} (mono seconds). */
    long stop(double from, double to) throws IOException {
      write("tracing_on", "0");
      long n = 0;
      for (String line : Files.readAllLines(instance.resolve("trace"), java.nio.charset.StandardCharsets.ISO_8859_1)) {
        int at = line.lastIndexOf(" next_pid=");
        int event = line.indexOf(": sched_switch:");
        if (line.startsWith("#") || at < 0 || event < 0 || !line.contains("[001]")) continue;
        double stamp = Double.parseDouble(line.substring(line.lastIndexOf(' ', event - 1) + 1, event));
        if (stamp < from || stamp > to) continue;
        long pid = Long.parseLong(line.substring(at + 10, line.indexOf(' ', at + 10)));
        if (pid != 0 && !vcpus.contains(pid)) n++;
      }
      return n;
    }

    private void write(String file, String value) throws IOException {
      Files.writeString(instance.resolve(file), value + "\n", StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void close() throws IOException {
      write("events/sched/sched_switch/enable", "0");
      Files.delete(instance);
      if (mounted) Cmd.run(Duration.ofSeconds(30), "umount", TRACING.toString()).orThrow();
    }
  }
}
