package io.vgapass.runtime;

import static io.vgapass.runtime.ShellReleaseTest.files;
import static io.vgapass.runtime.ShellReleaseTest.put;
import static io.vgapass.runtime.ShellReleaseTest.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's own prepare (prepare.sh: no JVM on the start path) must do exactly what
 * {@link Lifecycle#prepare} does: both run on twin fixture trees from the same domain XML, and
 * the trees (state file included) and the log lines are compared.
 */
class ShellPrepareTest {
  @TempDir Path dir;
  Path javaTree;
  Path shellTree;
  Path bin;
  Path hook;

  @BeforeEach
  void trees() throws IOException {
    javaTree = dir.resolve("java");
    shellTree = dir.resolve("shell");
    for (Path t : List.of(javaTree, shellTree)) ShellReleaseTest.host(t);
    bin = Files.createDirectories(dir.resolve("bin"));
    // cgroupfs fills a new cgroup with its control files and takes them away on rmdir
    script(bin.resolve("mkdir"), "case \"$1\" in */vgapass-shield) /bin/mkdir \"$1\" && for f in cpuset.cpus "
        + "cpuset.mems tasks cgroup.procs; do : > \"$1/$f\"; done ;; *) exec /bin/mkdir \"$@\" ;; esac");
    script(bin.resolve("rmdir"), "rm -r \"$@\"");
    script(bin.resolve("systemctl"), "echo \"systemctl $*\" >> '" + dir.resolve("systemctl.log") + "'");
    Path java = script(dir.resolve("fake-java"), "echo \"$*\" > '" + dir.resolve("java.args") + "'; cat > /dev/null");
    hook = dir.resolve("hook");
    Files.writeString(hook, HookScript.render(java.toString(), "-jar /x.jar", null));
  }

  private static String domain(String vm) {
    return "<domain type='kvm'>\n  <name>vm</name>\n  <metadata>\n" + vm + "  </metadata>\n"
        + "  <memory unit='KiB'>16777216</memory>\n  <vcpu placement='static'>3</vcpu>\n</domain>\n";
  }

  /** Our metadata as VgapassMetadata.write puts it (single quotes, one element per line). */
  private static String vm(String vcpus, int priority, long hugepageKiB, long pages, String node, String gpuAttrs) {
    return "    <vgapass:vm xmlns:vgapass='https://vgapass.io/xmlns/libvirt/domain/1.0' format='1'>\n"
        + (gpuAttrs == null ? "" : "      <vgapass:gpu " + gpuAttrs + "/>\n")
        + "      <vgapass:cpu vcpus='" + vcpus + "' emulator='0' iothread='0' iothread-priority='" + priority + "'/>\n"
        + "      <vgapass:memory kib='" + pages * hugepageKiB + "' hugepage-kib='" + hugepageKiB + "' hugepages='"
        + pages + "' node='" + node + "'/>\n"
        + "    </vgapass:vm>\n";
  }

  private record Run(int exit, String out) {}

  private Run shell(String xml, String op, String sub) throws Exception {
    Path in = dir.resolve("in.xml");
    Files.writeString(in, xml);
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", hook.toString(), "vm", op, sub, "-").redirectErrorStream(true)
        .redirectInput(in.toFile());
    pb.environment().put("VGAPASS_ROOT", shellTree.toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  private List<String> java(String xml) {
    return new Lifecycle(new SysRoot(javaTree), c -> 0, LifecycleTest.EMULATED)
        .prepare("vm", VgapassMetadata.read(xml, "test"));
  }

  /** The shell's last hooks.log line without its timestamp and its "(by the dispatcher...)" note. */
  private String shellLog() throws IOException {
    List<String> lines = Files.readAllLines(shellTree.resolve("var/log/vgapass/hooks.log"));
    String last = lines.get(lines.size() - 1);
    return last.substring(last.indexOf(' ') + 1).replace(" (by the dispatcher, no JVM)", "");
  }

  private void bothAlike(String xml) throws Exception {
    List<String> log = java(xml);
    Run r = shell(xml, "prepare", "begin");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(dir.resolve("java.args")).as("no JVM").doesNotExist();
    assertThat(files(shellTree)).isEqualTo(files(javaTree));
    assertThat(shellLog()).isEqualTo("vm prepare/begin: " + String.join("; ", log));
  }

  @Test
  void pagesShieldAndGovernorOnCgroupV1() throws Exception {
    bothAlike(domain(vm("1,2,3", 10, 2048, 8, "", null)));
    Map<String, String> t = files(shellTree);
    assertThat(t).containsEntry("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "14")
        .containsEntry("sys/fs/cgroup/cpuset/vgapass-shield/cpuset.cpus", "0")
        .containsEntry("sys/devices/system/cpu/cpu3/cpufreq/scaling_governor", "performance");
    assertThat(t.get("run/vgapass/vm.state")).contains("\tshield-cgroup\t").contains("\thugepages-granted\t");
  }

  @Test
  void enoughFreePagesAddNone() throws Exception {
    bothAlike(domain(vm("2,3", 0, 2048, 4, "", null)));
    assertThat(files(shellTree).get("run/vgapass/vm.state")).doesNotContain("hugepages");
  }

  @Test
  void cgroupV2TurnsOnTheCpusetControllerFirst() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) {
      ShellReleaseTest.rm(t.resolve("sys/fs/cgroup/cpuset"));
      put(t, "sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids");
      put(t, "sys/fs/cgroup/cgroup.subtree_control", "cpu io memory");
      put(t, "sys/fs/cgroup/cgroup.procs", "1\n2\n300\n");
      put(t, "sys/fs/cgroup/cpuset.effective_mems", "0");
    }
    bothAlike(domain(vm("1", 10, 2048, 2, "", null)));
    assertThat(files(shellTree).get("run/vgapass/vm.state")).contains("\tcgroup2-subtree\t");
  }

  @Test
  void underSystemdTheThreeUnitsAreNarrowed() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) Files.createDirectories(t.resolve("run/systemd/system"));
    bothAlike(domain(vm("2,3", 10, 2048, 0, "", null)));
    assertThat(Files.readAllLines(dir.resolve("systemctl.log"))).containsExactly(
        "systemctl set-property --runtime system.slice AllowedCPUs=0-1",
        "systemctl set-property --runtime user.slice AllowedCPUs=0-1",
        "systemctl set-property --runtime init.scope AllowedCPUs=0-1");
  }

  @Test
  void gigabytePagesOnTheGpusNode() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) {
      put(t, "sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "0");
      put(t, "sys/devices/system/node/node1/hugepages/hugepages-1048576kB/free_hugepages", "0");
    }
    bothAlike(domain(vm("1", 10, 1048576, 2, "1", null)));
    assertThat(files(shellTree))
        .containsEntry("sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "2");
  }

  @Test
  void libvirtsReserialisedMetadataTakesTheShellPathToo() throws Exception {
    String xml = domain(vm("1,2,3", 10, 2048, 8, "", null).replace('\'', '"').replace("/>", " />"));
    bothAlike(xml);
  }

  @Test
  void theRtTrapRefusesTheStartBeforeAnyChangeWithJavasMessage() throws Exception {
    for (Path t : List.of(javaTree, shellTree)) {
      put(t, "sys/fs/cgroup/cpu/cpu.rt_runtime_us", "950000");
      put(t, "etc/libvirt/qemu.conf", "# cgroup_controllers = [ \"cpu\" ]\nuser = \"root\"\n");
    }
    Map<String, String> before = files(shellTree);
    String xml = domain(vm("1,2,3", 10, 2048, 8, "", null));
    assertThatThrownBy(() -> java(xml)).isInstanceOf(HookFailure.class);
    String message = "";
    try {
      java(xml);
    } catch (HookFailure e) {
      message = e.getMessage();
    }
    Run r = shell(xml, "prepare", "begin");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out().strip()).isEqualTo("vgapass: " + message);
    Map<String, String> after = files(shellTree);
    assertThat(after).isEqualTo(before);
    put(shellTree, "etc/libvirt/qemu.conf", "cgroup_controllers = [ \"devices\", \"memory\", \"cpuset\" ]\n");
    assertThat(shell(xml, "prepare", "begin").exit()).as("without the cpu controller it starts").isZero();
  }

  @Test
  void aGpuHandOverOrALeftOverStateGoesToJavaUntouched() throws Exception {
    Map<String, String> before = files(shellTree);
    String xml = domain(vm("1", 10, 2048, 8, "", "address='0000:01:00.0' ids='10de:1c03' handover='hook'"));
    assertThat(shell(xml, "prepare", "begin").exit()).isZero();
    assertThat(Files.readString(dir.resolve("java.args"))).contains("hook qemu vm prepare begin -");
    assertThat(files(shellTree)).isEqualTo(before);
    Files.delete(dir.resolve("java.args"));
    put(shellTree, "run/vgapass/vm.state", StateStore.encode(new StateStore.Entry("governor",
        "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave", 0)) + "\n");
    assertThat(shell(domain(vm("1", 10, 2048, 8, "", null)), "prepare", "begin").exit()).isZero();
    assertThat(dir.resolve("java.args")).exists();
  }

  @Test
  void theShellsPrepareAndReleaseLeaveTheHostAsItWas() throws Exception {
    Map<String, String> before = files(shellTree);
    String xml = domain(vm("1,2,3", 10, 2048, 8, "", null));
    assertThat(shell(xml, "prepare", "begin").exit()).isZero();
    assertThat(files(shellTree)).isNotEqualTo(before);
    assertThat(shell(xml, "release", "end").exit()).isZero();
    Map<String, String> after = files(shellTree);
    // the fixture's cgroup.procs is a plain file: the shield's last write stands in it
    after.put("sys/fs/cgroup/cpuset/cgroup.procs", before.get("sys/fs/cgroup/cpuset/cgroup.procs"));
    assertThat(after).isEqualTo(before);
    assertThat(dir.resolve("java.args")).doesNotExist();
  }
}
