package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook's prepare/release on a fixture tree shaped like sysfs (files stand in for the kernel's). */
class LifecycleTest {
  @TempDir Path dir;
  SysRoot root;
  final List<List<String>> commands = new ArrayList<>();

  @BeforeEach
  void tree() throws IOException {
    root = new SysRoot(dir);
    put("sys/devices/system/cpu/online", "0-3");
    put("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
    put("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "4");
    put("sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages", "0");
    put("sys/devices/system/node/node1/hugepages/hugepages-1048576kB/free_hugepages", "0");
    put("proc/sys/vm/drop_caches", "0");
    put("proc/sys/vm/compact_memory", "0");
    put("sys/fs/cgroup/cpuset/cpuset.cpus", "0-3");
    put("sys/fs/cgroup/cpuset/cpuset.mems", "0");
    put("sys/fs/cgroup/cpuset/cgroup.procs", "1\n2\n300\n");
    put("proc/1/comm", "init");
    put("proc/1/cmdline", "/sbin/init");
    put("proc/2/comm", "kthreadd");
    put("proc/2/cmdline", "");
    put("proc/300/comm", "libvirtd");
    put("proc/300/cmdline", "/usr/sbin/libvirtd");
    for (int c = 0; c < 4; c++) put("sys/devices/system/cpu/cpu" + c + "/cpufreq/scaling_governor", "powersave");
  }

  private void put(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private String read(String rel) throws IOException {
    return Files.readString(dir.resolve(rel)).trim();
  }

  private static VgapassMetadata meta(List<Integer> vcpus, long hugepageKiB, long pages, Integer node, int priority) {
    return VgapassMetadata.builder().gpu("0000:01:00.0").hostdevs(List.of("0000:01:00.0")).vcpuPins(vcpus)
        .emulatorCpus(List.of(0)).iothreadCpus(List.of(0)).iothreadPriority(priority).memoryKiB(pages * hugepageKiB)
        .hugepageKiB(hugepageKiB).hugepages(pages).node(node).build();
  }

  /** cgroupfs as the kernel keeps it: mkdir brings the control files, rmdir takes them away. */
  static final CgroupDirs EMULATED = new CgroupDirs() {
    @Override
    public void create(Path d) throws IOException {
      Files.createDirectory(d);
      for (String f : List.of("cpuset.cpus", "cpuset.mems", "tasks", "cgroup.procs")) Files.writeString(d.resolve(f), "");
    }

    @Override
    public void remove(Path d) throws IOException {
      try (var s = Files.list(d)) {
        for (Path f : s.toList()) Files.delete(f);
      }
      Files.delete(d);
    }
  };

  private Lifecycle life() {
    return new Lifecycle(root, c -> {
      commands.add(c);
      return 0;
    }, EMULATED);
  }

  @Test
  void prepareGrowsThePoolByWhatIsMissingAndReleaseGivesExactlyThatBack() throws IOException {
    Lifecycle life = life();
    life.prepare("vm", meta(List.of(1, 2, 3), 2048, 8, null, 10));
    // 4 free, 8 needed: the pool grows by 4
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("14");
    assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("performance");
    assertThat(read("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).isEqualTo("powersave");
    assertThat(read("sys/fs/cgroup/cpuset/vgapass-shield/cpuset.cpus")).isEqualTo("0");
    // init moved; the kernel thread and libvirtd stay where they were
    assertThat(read("sys/fs/cgroup/cpuset/vgapass-shield/cgroup.procs")).isEqualTo("1");
    assertThat(new StateStore(root, "vm").exists()).isTrue();

    life.release("vm");
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
    assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("powersave");
    assertThat(dir.resolve("sys/fs/cgroup/cpuset/vgapass-shield")).doesNotExist();
    assertThat(new StateStore(root, "vm").exists()).isFalse();
  }

  @Test
  void releaseTwiceIsHarmless() throws IOException {
    Lifecycle life = life();
    life.prepare("vm", meta(List.of(1, 2), 2048, 8, null, 10));
    life.release("vm");
    life.release("vm");
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
  }

  @Test
  void aPoolThatAlreadyHasTheFreePagesIsLeftAlone() throws IOException {
    life().prepare("vm", meta(List.of(1), 2048, 3, null, 10));
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
    assertThat(new StateStore(root, "vm").entries()).noneMatch(e -> e.kind().startsWith("hugepages"));
  }

  @Test
  void perNodeGigantic() throws IOException {
    life().prepare("vm", meta(List.of(1), 1048576, 2, 1, 10));
    assertThat(read("sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages")).isEqualTo("2");
  }

  @Test
  void aHookThatDiedMidGrantIsUndoneWithoutShrinkingBelowTheStart() throws IOException {
    StateStore state = new StateStore(root, "vm");
    // the entry was written, the pool grew to 12 of the planned 14, then the process died
    state.record(new StateStore.Entry("hugepages", "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10", 4));
    put("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "12");
    life().release("vm");
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
    assertThat(state.exists()).isFalse();
  }

  @Test
  void aTornLastLineIsIgnored() throws IOException {
    StateStore state = new StateStore(root, "vm");
    state.record(new StateStore.Entry("governor", "sys/devices/system/cpu/cpu1/cpufreq/scaling_governor",
        "powersave", 0));
    Files.writeString(state.file(), "v1\thugepages\tsys/kernel", java.nio.file.StandardOpenOption.APPEND);
    put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance");
    life().release("vm");
    assertThat(read("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).isEqualTo("powersave");
  }

  @Test
  void leftoversOfACrashedVmAreUndoneBeforeTheNextStart() throws IOException {
    Lifecycle life = life();
    life.prepare("vm", meta(List.of(1, 2), 2048, 8, null, 10));
    // QEMU was killed: no release ran; the next start cleans up first and grows the pool once
    life.prepare("vm", meta(List.of(1, 2), 2048, 8, null, 10));
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("14");
    life.release("vm");
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
  }

  @Test
  void theRtTrapFailsBeforeAnythingChanges() throws IOException {
    put("sys/fs/cgroup/cpu,cpuacct/cpu.rt_runtime_us", "950000");
    put("etc/libvirt/qemu.conf", "cgroup_controllers = [ \"cpu\", \"devices\" ]\n");
    assertThatThrownBy(() -> life().prepare("vm", meta(List.of(1), 2048, 8, null, 10)))
        .isInstanceOf(HookFailure.class).hasMessageContaining("cgroup_controllers");
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
    assertThat(new StateStore(root, "vm").exists()).isFalse();
  }

  @Test
  void withSystemdTheSlicesGetAllowedCpusAndGetThemBack() throws IOException {
    Files.createDirectories(dir.resolve("run/systemd/system"));
    Lifecycle life = life();
    life.prepare("vm", meta(List.of(2, 3), 2048, 2, null, 10));
    assertThat(commands).contains(List.of("systemctl", "set-property", "--runtime", "system.slice",
        "AllowedCPUs=0-1"));
    life.release("vm");
    assertThat(commands).contains(List.of("systemctl", "set-property", "--runtime", "user.slice", "AllowedCPUs="));
  }

  @Test
  void aFailedStepUndoesTheEarlierOnes() throws IOException {
    Files.delete(dir.resolve("sys/fs/cgroup/cpuset/cpuset.mems"));
    put("sys/fs/cgroup/cpuset/cpuset.effective_mems", "");
    // make the shield fail: its directory cannot be created because a file is in the way
    put("sys/fs/cgroup/cpuset/vgapass-shield", "not a directory");
    assertThatThrownBy(() -> life().prepare("vm", meta(List.of(1, 2), 2048, 8, null, 10)))
        .isInstanceOf(HookFailure.class);
    assertThat(read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")).isEqualTo("10");
  }
}
