package io.vgapass.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtHostFixesTest {
  @TempDir Path dir;

  private SysRoot host(String qemuConf, boolean hugetlbfs) throws Exception {
    String sketch = "os ID=debian VERSION_ID=12\n"
        + "topology packages=1 cores=2 threads=1\nmemory 8G\nhugepages 2M total=0\n"
        + "mount cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu\n"
        + (hugetlbfs ? "mount hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M\n" : "")
        + "file sys/fs/cgroup/cpu/cpu.rt_runtime_us\n950000\nend\n"
        + "file etc/libvirt/qemu.conf\n" + qemuConf + "end\n";
    SketchWriter.write(HostSketch.parse("fixes", sketch), dir);
    return new SysRoot(dir);
  }

  private static Applier applier(SysRoot root) {
    return new Applier(root, Applier.runnerFor(root), s -> { }, StepHook.NONE);
  }

  @Test
  void removesCpuFromAnExplicitListAndUndoRestoresTheBytes() throws Exception {
    String conf = "#user = \"root\"\ncgroup_controllers = [ \"cpu\", \"devices\", \"memory\" ]\nvnc_listen = \"0.0.0.0\"\n";
    SysRoot root = host(conf, true);
    List<HostChange> changes = LibvirtHostFixes.plan(root, HostReader.read(root));
    assertThat(changes).hasSize(1);
    applier(root).apply(changes, Map.of("command", "test"));
    String after = Files.readString(dir.resolve("etc/libvirt/qemu.conf"));
    assertThat(after).contains(LibvirtHostFixes.WITHOUT_CPU).contains("vnc_listen").doesNotContain("\"cpu\",");
    assertThat(LibvirtHostFixes.plan(root, HostReader.read(root))).as("fixed: nothing more to do").isEmpty();
    applier(root).undo(false);
    assertThat(Files.readString(dir.resolve("etc/libvirt/qemu.conf"))).isEqualTo(conf);
  }

  @Test
  void appendsTheLineWhenLibvirtUsesItsDefaultAndMountsHugetlbfs() throws Exception {
    SysRoot root = host("# all commented out\n#cgroup_controllers = [ \"cpu\" ]\n", false);
    List<HostChange> changes = LibvirtHostFixes.plan(root, HostReader.read(root));
    assertThat(changes).hasSize(2);
    assertThat(((HostChange.FileEdit) changes.get(0)).nextText()).endsWith(LibvirtHostFixes.WITHOUT_CPU + "\n");
    assertThat(((HostChange.Command) changes.get(1)).argv()).contains("hugetlbfs", "/dev/hugepages");
    assertThat(((HostChange.Command) changes.get(1)).inverse()).containsExactly("umount", "/dev/hugepages");
  }

  @Test
  void aMultiLineListIsRefused() throws Exception {
    SysRoot root = host("cgroup_controllers = [ \"cpu\",\n  \"devices\" ]\n", true);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LibvirtHostFixes.plan(root, HostReader.read(root)))
        .isInstanceOf(Refusal.class).hasMessageContaining("by hand");
  }
}
