package io.vgapass.host.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSketchTest {
  @TempDir Path tmp;

  private Path write(String text) throws Exception {
    return SketchWriter.write(HostSketch.parse("t.host", text), tmp.resolve("root"));
  }

  @Test
  void mountKeepsOptionsWithEqualsSigns() throws Exception {
    Path root = write("""
        mount hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M
        mount cgroup /sys/fs/cgroup/systemd cgroup rw,nosuid,nodev,noexec,relatime,xattr,name=systemd
        """);
    assertThat(Files.readAllLines(root.resolve("proc/mounts"))).containsExactly(
        "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0",
        "cgroup /sys/fs/cgroup/systemd cgroup rw,nosuid,nodev,noexec,relatime,xattr,name=systemd 0 0");
  }

  @Test
  void freeTextAndOptions() {
    HostSketch s = HostSketch.parse("t.host", """
        # a comment
        cmdline BOOT_IMAGE=/vmlinuz root=UUID=1 ro quiet
        pci 0000:01:00.0 10de:1401 class=030000 driver=nvidia
        file etc/x
        a=b
        end
        """);
    assertThat(s.directives()).hasSize(3);
    assertThat(s.directives().get(0).word(0)).isEqualTo("BOOT_IMAGE=/vmlinuz root=UUID=1 ro quiet");
    assertThat(s.directives().get(1).options()).containsEntry("class", "030000").containsEntry("driver", "nvidia");
    assertThat(s.directives().get(2).body()).isEqualTo("a=b\n");
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(() -> HostSketch.parse("t.host", "file etc/x\nno end"))
        .hasMessageContaining("t.host").hasMessageContaining("end");
    assertThatThrownBy(() -> write("kernel 6.1\nfrobnicate now\n"))
        .hasMessageContaining("line 2").hasMessageContaining("frobnicate");
  }

  @Test
  void topologySpreadAndAdjacentNumbering() throws Exception {
    Host spread = HostReader.read(new SysRoot(write("topology packages=1 cores=4 threads=2\n")));
    assertThat(spread.cpu().siblingsOf(0)).containsExactly(0, 4);
    Host adjacent = HostReader.read(new SysRoot(
        SketchWriter.write(HostSketch.parse("a", "topology cores=4 threads=2 numbering=adjacent l3=2\n"),
            tmp.resolve("adjacent"))));
    assertThat(adjacent.cpu().siblingsOf(0)).containsExactly(0, 1);
    assertThat(adjacent.cpu().l3Domains()).containsExactly(0, 4);
  }

  @Test
  void cpusWithoutL3() throws Exception {
    Path root = write("""
        topology cores=2 threads=2 numbering=adjacent l3=none
        cpu 4 core=2 l3=none
        """);
    assertThat(root.resolve("sys/devices/system/cpu/cpu0/cache/index3")).doesNotExist();
    Host h = HostReader.read(new SysRoot(root));
    assertThat(h.cpu().l3Domains()).containsExactly(-1);
    assertThat(h.cpu().siblingsOf(0)).containsExactly(0, 1);
  }

  @Test
  void theExampleInTheDocsIsAValidSketch() throws Exception {
    String doc = Files.readString(Path.of("docs/host-sketch.md"));
    String example = doc.substring(doc.indexOf("## Example"));
    example = example.substring(example.indexOf("```\n") + 4);
    example = example.substring(0, example.indexOf("```"));
    Host h = HostReader.read(new SysRoot(SketchWriter.write(HostSketch.parse("doc.host", example), tmp.resolve("doc"))));
    assertThat(h.cpu().siblingsOf(0)).containsExactly(0, 4);
    assertThat(h.group(1).orElseThrow().members()).hasSize(3);
    assertThat(h.device(io.vgapass.host.PciAddress.parse("01:00.0")).orElseThrow().rom().hasUefiImage()).isFalse();
  }
}
