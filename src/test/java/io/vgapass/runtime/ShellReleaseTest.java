package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's own release (release.sh, no JVM on the stop path) must leave the host exactly
 * as {@link Lifecycle#release} does: both run on twin fixture trees after the same prepare, and
 * the trees are compared file by file.
 */
class ShellReleaseTest {
  @TempDir Path dir;
  Path javaTree;
  Path shellTree;
  Path bin;
  Path hook;
  final List<List<String>> javaCommands = new ArrayList<>();

  @BeforeEach
  void trees() throws IOException {
    javaTree = dir.resolve("java");
    shellTree = dir.resolve("shell");
    for (Path t : List.of(javaTree, shellTree)) host(t);
    bin = Files.createDirectories(dir.resolve("bin"));
    // cgroupfs takes a cgroup's control files away on rmdir; on a plain tree that is rm -r
    script(bin.resolve("rmdir"), "rm -r \"$@\"");
    script(bin.resolve("systemctl"), "echo \"systemctl $*\" >> '" + dir.resolve("systemctl.log") + "'");
    Path java = script(dir.resolve("fake-java"), "echo \"$*\" > '" + dir.resolve("java.args") + "'");
    hook = dir.resolve("hook");
    Files.writeString(hook, HookScript.render(java.toString(), "-jar /x.jar", null));
  }

  static void host(Path t) throws IOException {
    put(t, "sys/devices/system/cpu/online", "0-3");
    put(t, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
    put(t, "sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "4");
    put(t, "proc/sys/vm/drop_caches", "0");
    put(t, "proc/sys/vm/compact_memory", "0");
    put(t, "sys/fs/cgroup/cpuset/cpuset.cpus", "0-3");
    put(t, "sys/fs/cgroup/cpuset/cpuset.mems", "0");
    put(t, "sys/fs/cgroup/cpuset/cgroup.procs", "1\n2\n300\n");
    put(t, "proc/1/comm", "init");
    put(t, "proc/1/cmdline", "/sbin/init");
    put(t, "proc/2/comm", "kthreadd");
    put(t, "proc/2/cmdline", "");
    put(t, "proc/300/comm", "libvirtd");
    put(t, "proc/300/cmdline", "/usr/sbin/libvirtd");
    for (int c = 0; c < 4; c++) put(t, "sys/devices/system/cpu/cpu" + c + "/cpufreq/scaling_governor", "powersave");
  }

  static void put(Path t, String rel, String content) throws IOException {
    Files.createDirectories(t.resolve(rel).getParent());
    Files.writeString(t.resolve(rel), content);
  }

  static Path script(Path p, String body) throws IOException {
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    p.toFile().setExecutable(true);
    return p;
  }

  private static VgapassMetadata meta(long pages, boolean gpuByHook) {
    return VgapassMetadata.builder().gpu("0000:01:00.0").hostdevs(List.of("0000:01:00.0")).vcpuPins(List.of(1, 2, 3))
        .emulatorCpus(List.of(0)).iothreadCpus(List.of(0)).iothreadPriority(10).memoryKiB(pages * 2048)
        .hugepageKiB(2048).hugepages(pages).hookHandover(gpuByHook).build();
  }

  private Lifecycle life(Path tree) {
    return new Lifecycle(new SysRoot(tree), c -> {
      if (tree.equals(javaTree)) javaCommands.add(c);
      return 0;
    }, LifecycleTest.EMULATED);
  }

  private int shellRelease() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", hook.toString(), "vm", "release", "end", "-")
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("VGAPASS_ROOT", shellTree.toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertThat(out).as("the dispatcher's output").isEmpty();
    return rc;
  }

  /** Every file of the tree by relative path, trimmed (echo ends with a newline, Java's writes do not). */
  static Map<String, String> files(Path t) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(t)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = t.relativize(p).toString();
        if (!rel.startsWith("var/log/")) out.put(rel, Files.readString(p).trim());
      }
    }
    return out;
  }

  private void prepareBoth(long pages) {
    life(javaTree).prepare("vm", meta(pages, false));
    life(shellTree).prepare("vm", meta(pages, false));
  }

  @Test
  void undoesPagesShieldAndGovernorAsJavaDoes() throws Exception {
    prepareBoth(8);
    assertThat(files(shellTree)).containsKey("run/vgapass/vm.state")
        .containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "14")
        .containsKey("sys/fs/cgroup/cpuset/vgapass-shield/cpuset.cpus");
    life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    Map<String, String> shell = files(shellTree);
    assertThat(shell).isEqualTo(files(javaTree));
    assertThat(shell).doesNotContainKey("run/vgapass/vm.state")
        .containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10")
        .containsEntry("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "powersave");
    assertThat(Files.exists(shellTree.resolve("sys/fs/cgroup/cpuset/vgapass-shield"))).isFalse();
    assertThat(Files.exists(dir.resolve("java.args"))).as("no JVM for these kinds").isFalse();
    assertThat(Files.readString(shellTree.resolve("var/log/vgapass/hooks.log")))
        .contains(" vm release/end: undone governor").contains("undone hugepages-granted")
        .contains("(by the dispatcher, no JVM)");
  }

  @Test
  void aGrantCutShortByACrashShrinksThePoolButNotBelowWhereItWas() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) {
      put(t, "run/vgapass/vm.state", StateStore.encode(new StateStore.Entry("hugepages",
          "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10", 6)) + "\n");
      put(t, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "13"); // the kernel gave 3 of 6
    }
    life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    assertThat(files(shellTree)).isEqualTo(files(javaTree))
        .containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
  }

  @Test
  void aTornLastLineIsSkippedLikeJavaSkipsIt() throws Exception {
    prepareBoth(8);
    for (Path t : List.of(javaTree, shellTree)) {
      Files.writeString(t.resolve("run/vgapass/vm.state"), "v1\tgovernor\tsys/devices/sys",
          java.nio.file.StandardOpenOption.APPEND);
    }
    life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    assertThat(files(shellTree)).isEqualTo(files(javaTree)).doesNotContainKey("run/vgapass/vm.state");
  }

  @Test
  void underSystemdTheSameUnitsAreGivenTheirCpusBack() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) Files.createDirectories(t.resolve("run/systemd/system"));
    prepareBoth(0);
    javaCommands.clear();
    life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    List<String> java = javaCommands.stream().map(c -> String.join(" ", c)).toList();
    assertThat(java).hasSize(3);
    assertThat(Files.readAllLines(dir.resolve("systemctl.log"))).isEqualTo(java);
    assertThat(files(shellTree)).isEqualTo(files(javaTree));
  }

  @Test
  void aGpuHandOverGoesToJavaWithTheStateUntouched() throws Exception {
    put(shellTree, "run/vgapass/vm.state", StateStore.encode(new StateStore.Entry("gpu-handover", "0000:01:00.0",
        "", 0)) + "\n" + StateStore.encode(new StateStore.Entry("governor",
        "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "schedutil", 0)) + "\n");
    put(shellTree, "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance");
    String before = Files.readString(shellTree.resolve("run/vgapass/vm.state"));
    assertThat(shellRelease()).isZero();
    assertThat(Files.readString(dir.resolve("java.args"))).contains("hook qemu vm release end -");
    assertThat(Files.readString(shellTree.resolve("run/vgapass/vm.state"))).isEqualTo(before);
    assertThat(Files.readString(shellTree.resolve("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")))
        .isEqualTo("performance");
  }

  @Test
  void noStateFileMeansNothingToDo() throws Exception {
    assertThat(shellRelease()).isZero();
    assertThat(files(shellTree)).isEqualTo(files(javaTree));
    assertThat(Files.exists(dir.resolve("java.args"))).isFalse();
  }

  static void rm(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  // ---- a hostile state file: release touches only the places vgapass owns, and says so ----

  @Test
  void aHostileStateFileTouchesNothingOutsideThePlacesVgapassOwns() throws Exception {
    String governor = "sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor";
    List<StateStore.Entry> hostile = List.of(
        new StateStore.Entry("governor", String.format(governor, 2), "powersave", 0), // ours: undone
        new StateStore.Entry("governor", "sys/devices/system/cpu/cpu1/../../../../../etc/shadow", "x", 0),
        new StateStore.Entry("governor", "/etc/shadow", "x", 0),
        new StateStore.Entry("governor", String.format(governor, 3), "evil value", 0),
        new StateStore.Entry("governor", String.format(governor, 1), "powersave", 0), // cpufreq links out
        new StateStore.Entry("hugepages-granted", "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10", -1),
        new StateStore.Entry("hugepages", "sys/kernel/mm/hugepages/hugepages-2048kB/../../../../../etc/x", "0", 1),
        new StateStore.Entry("hugepages", "sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages",
            "0", 4), // the file itself is a link out
        new StateStore.Entry("shield-cgroup", "sys/fs/cgroup/cpuset/vgapass-shield", "etc/outside-procs", 0),
        new StateStore.Entry("shield-cgroup", "sys/fs/cgroup/cpuset/../../../outside", "sys/fs/cgroup/cgroup.procs", 0),
        new StateStore.Entry("cgroup2-subtree", "sys/fs/cgroup/cgroup.subtree_control", "+memory", 0),
        new StateStore.Entry("systemd-allowed-cpus", "sshd.service", "", 0));
    Map<Path, Path> outside = new java.util.HashMap<>();
    for (Path t : List.of(javaTree, shellTree)) {
      Path out = Files.createDirectories(dir.resolve("outside-" + t.getFileName()));
      outside.put(t, out);
      put(out, "scaling_governor", "untouched");
      put(out, "nr_hugepages", "7");
      put(t, "sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "performance");
      Path cpufreq = t.resolve("sys/devices/system/cpu/cpu1/cpufreq");
      rm(cpufreq);
      Files.createSymbolicLink(cpufreq, out);
      Path pool = t.resolve("sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages");
      Files.createDirectories(pool.getParent());
      Files.createSymbolicLink(pool, out.resolve("nr_hugepages"));
      Files.createDirectories(t.resolve("sys/fs/cgroup/cpuset/vgapass-shield"));
      put(t, "sys/fs/cgroup/cpuset/vgapass-shield/cgroup.procs", "4242\n");
      put(t, "sys/fs/cgroup/cgroup.subtree_control", "cpu io");
      StringBuilder b = new StringBuilder();
      for (StateStore.Entry e : hostile) b.append(StateStore.encode(e).replace("\t-1\tend", "\t+4\tend")).append('\n');
      put(t, "run/vgapass/vm.state", b.toString());
    }
    List<String> javaLog = life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    assertThat(Files.exists(dir.resolve("java.args"))).as("no JVM").isFalse();
    assertThat(Files.exists(dir.resolve("systemctl.log"))).as("no unit of anyone else's").isFalse();
    assertThat(javaCommands).isEmpty();
    Map<String, String> shell = files(shellTree);
    assertThat(shell).isEqualTo(files(javaTree)).doesNotContainKey("run/vgapass/vm.state")
        .containsEntry("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "powersave")
        .containsEntry("sys/fs/cgroup/cpuset/vgapass-shield/cgroup.procs", "4242")
        .containsEntry("sys/fs/cgroup/cgroup.subtree_control", "cpu io");
    for (Path out : outside.values()) {
      assertThat(files(out)).containsEntry("scaling_governor", "untouched").containsEntry("nr_hugepages", "7");
    }
    assertThat(javaLog).hasSize(hostile.size()).containsOnlyOnce("undone governor " + String.format(governor, 2));
    assertThat(javaLog.stream().filter(l -> l.startsWith("refused (not a place vgapass owns) "))).hasSize(
        hostile.size() - 1);
    String last = Files.readAllLines(shellTree.resolve("var/log/vgapass/hooks.log")).get(0);
    assertThat(last).endsWith(" vm release/end: " + String.join("; ", javaLog) + " (by the dispatcher, no JVM)");
  }

  @Test
  void aKindReleaseDoesNotKnowIsRefusedByJavaToo() throws Exception {
    put(javaTree, "run/vgapass/vm.state", StateStore.encode(new StateStore.Entry("rm", "etc", "", 0)) + "\n");
    assertThat(life(javaTree).release("vm")).containsExactly("refused (not a place vgapass owns) rm etc");
    assertThat(javaTree.resolve("run/vgapass/vm.state")).doesNotExist();
    assertThat(javaTree.resolve("etc")).doesNotExist();
  }

  @Test
  void aStateFileThatIsALinkIsRemovedWithoutReadingOrWritingWhatItPointsTo() throws Exception {
    String entry = StateStore.encode(new StateStore.Entry("governor",
        "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "schedutil", 0)) + "\n";
    for (Path t : List.of(javaTree, shellTree)) {
      Path target = dir.resolve("elsewhere-" + t.getFileName());
      Files.writeString(target, entry);
      Files.createDirectories(t.resolve("run/vgapass"));
      Files.createSymbolicLink(t.resolve("run/vgapass/vm.state"), target);
    }
    assertThat(life(javaTree).release("vm"))
        .containsExactly("refused the state file /run/vgapass/vm.state (not a plain file; removed)");
    assertThat(shellRelease()).isZero();
    assertThat(Files.exists(dir.resolve("java.args"))).as("no JVM").isFalse();
    for (Path t : List.of(javaTree, shellTree)) {
      assertThat(Files.exists(t.resolve("run/vgapass/vm.state"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(Files.readString(dir.resolve("elsewhere-" + t.getFileName()))).isEqualTo(entry);
    }
    assertThat(files(shellTree)).isEqualTo(files(javaTree))
        .containsEntry("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave");
    assertThat(Files.readString(shellTree.resolve("var/log/vgapass/hooks.log")))
        .contains(" vm release/end: refused the state file /run/vgapass/vm.state (not a plain file; removed)");
  }

  @Test
  void aDanglingLinkWhereTheStateFileGoesIsNotWrittenThrough() throws Exception {
    Files.createDirectories(javaTree.resolve("run/vgapass"));
    Files.createSymbolicLink(javaTree.resolve("run/vgapass/vm.state"), dir.resolve("created-through-the-link"));
    life(javaTree).prepare("vm", meta(8, false));
    assertThat(dir.resolve("created-through-the-link")).doesNotExist();
    assertThat(Files.isRegularFile(javaTree.resolve("run/vgapass/vm.state"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isTrue();
    life(javaTree).release("vm");
    assertThat(files(javaTree)).doesNotContainKey("run/vgapass/vm.state")
        .containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
  }

  @Test
  void aLinkAtTheTemporaryNameIsNotWrittenThrough() throws Exception {
    prepareBoth(8);
    for (Path t : List.of(javaTree, shellTree)) {
      Path target = Files.writeString(dir.resolve("precious-" + t.getFileName()), "precious");
      Files.createSymbolicLink(t.resolve("run/vgapass/vm.state.tmp"), target);
    }
    life(javaTree).release("vm");
    assertThat(shellRelease()).isZero();
    assertThat(files(shellTree)).isEqualTo(files(javaTree)).doesNotContainKey("run/vgapass/vm.state")
        .containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
    for (Path t : List.of(javaTree, shellTree)) {
      assertThat(Files.readString(dir.resolve("precious-" + t.getFileName()))).isEqualTo("precious");
    }
  }
}
