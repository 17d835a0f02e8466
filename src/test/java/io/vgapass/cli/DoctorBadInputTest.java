package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.testing.TranscribedHosts;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line naming the input and the problem, exit 2; odd host content: no exception. */
class DoctorBadInputTest {
  @TempDir Path tmp;

  private static void noStackTrace(CliRunner.Result c) {
    assertThat(c.err()).doesNotContain("Exception", "\tat ", "at io.vgapass");
    assertThat(c.out()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void missingSysrootIsOneLineNamingThePath() {
    CliRunner.Result c = CliRunner.run("doctor", "--sysroot", "/nonexistent");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.out()).isEmpty();
    assertThat(c.errLines()).singleElement().asString().contains("/nonexistent");
    noStackTrace(c);
  }

  @Test
  void unknownFlagIsUsage() {
    CliRunner.Result c = CliRunner.run("doctor", "--frobnicate");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.errLines()).singleElement().asString().contains("--frobnicate");
    assertThat(CliRunner.run("frobnicate").code()).isEqualTo(2);
    assertThat(CliRunner.run("doctor", "--example", "--sysroot", "/").code()).isEqualTo(2);
  }

  @Test
  void captureIntoAMissingDirectory() {
    CliRunner.Result c = CliRunner.run("capture", "--example", "--out", tmp.resolve("no/such/dir/x.tar.gz").toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.errLines()).singleElement().asString().contains("no/such/dir");
  }

  @Test
  void corruptCapturesAreOneLine() throws Exception {
    Path junk = tmp.resolve("junk.tar.gz");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    Path text = tmp.resolve("text.tar.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(text))) {
      o.write("this is not a tar archive\n".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    Path good = tmp.resolve("good.tar.gz");
    assertThat(CliRunner.run("capture", "--example", "--out", good.toString()).code()).isZero();
    byte[] all = Files.readAllBytes(good);
    Path cut = tmp.resolve("cut.tar.gz");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
    Path empty = tmp.resolve("empty.tar.gz");
    Files.write(empty, new byte[0]);
    for (Path p : new Path[] {junk, text, cut, empty}) {
      CliRunner.Result c = CliRunner.run("doctor", "--sysroot", p.toString());
      assertThat(c.code()).as(p.toString()).isEqualTo(2);
      assertThat(c.errLines()).as(p.toString()).singleElement().asString().contains(p.toString());
      noStackTrace(c);
    }
  }

  @Test
  void aHalfEmptyTreeSaysUnknown() throws Exception {
    Path root = tmp.resolve("half");
    Files.createDirectories(root.resolve("sys"));
    CliRunner.Result c = CliRunner.run("doctor", "--sysroot", root.toString());
    assertThat(c.code()).isIn(0, 1);
    noStackTrace(c);
    assertThat(c.out()).contains("unknown");
    CliRunner.Result j = CliRunner.run("doctor", "--sysroot", root.toString(), "--json");
    assertThat(j.code()).isIn(0, 1);
    JsonNode doc = new ObjectMapper().readTree(j.out());
    assertThat(doc.get("host").get("kernel").get("release").asText()).isEqualTo("unknown");
    assertThat(doc.get("host").get("cpu").get("model").asText()).isEqualTo("unknown");
    assertThat(doc.get("gpus")).isEmpty();
  }

  @Test
  void aTreeWithNeitherSysNorProcIsBadInput() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("etc-only/etc"));
    CliRunner.Result c = CliRunner.run("doctor", "--sysroot", root.getParent().toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.errLines()).singleElement().asString().contains("etc-only");
  }

  @Test
  void garbageInSysfsGivesSensibleOutput() throws Exception {
    Path root = TranscribedHosts.host("asrock-z170", tmp);
    // a device class that is not hex, a CPU list that is not one, meminfo that is not numbers
    Files.writeString(root.resolve("sys/bus/pci/devices/0000:00:14.0/class"), "zzz\n");
    Files.writeString(root.resolve("sys/devices/system/cpu/online"), "banana\n");
    Files.writeString(root.resolve("sys/devices/system/cpu/cpu3/topology/core_id"), "x\n");
    Files.writeString(root.resolve("sys/devices/system/cpu/cpu2/topology/thread_siblings_list"), "2-0\n");
    Files.writeString(root.resolve("sys/devices/system/cpu/cpu1/cache/index3/shared_cpu_list"), "\u0000\u0001\n");
    Files.writeString(root.resolve("proc/meminfo"), "MemTotal: lots kB\nMemAvailable:\ngarbage\n\u0000\n");
    Files.writeString(root.resolve("proc/cpuinfo"), "flags : : :\nprocessor\n");
    // group names that are not numbers, a member that is not an address, a huge number
    Files.createDirectories(root.resolve("sys/kernel/iommu_groups/abc/devices"));
    Files.createDirectories(root.resolve("sys/kernel/iommu_groups/99999999999/devices/not-an-address"));
    Files.createDirectories(root.resolve("sys/kernel/iommu_groups/1/devices/zz:zz.z"));
    // a driver link to nowhere, a PCI name that does not fit, node and pool names that do not fit
    Path dev = root.resolve("sys/bus/pci/devices/0000:00:1f.6").toRealPath();
    Files.delete(dev.resolve("driver"));
    Files.createSymbolicLink(dev.resolve("driver"), Path.of("../../../bus/pci/drivers/ghost"));
    Files.createDirectories(root.resolve("sys/bus/pci/devices/ffffffff:00:00.0"));
    Files.writeString(root.resolve("sys/bus/pci/devices/ffffffff:00:00.0/class"), "0x030000\n");
    Files.createDirectories(root.resolve("sys/devices/system/node/node99999999999"));
    Files.writeString(root.resolve("sys/devices/system/node/node99999999999/cpulist"), "0\n");
    Files.createDirectories(root.resolve("sys/kernel/mm/hugepages/hugepages-99999999999999999999kB"));
    Files.writeString(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "lots\n");
    Files.writeString(root.resolve("etc/os-release"), "=\n\"\nID\nNAME=\"unterminated\n");
    Files.createDirectories(root.resolve("usr/share/qemu/firmware"));
    Files.writeString(root.resolve("usr/share/qemu/firmware/10-bad.json"), "{{{ not json");
    Files.writeString(root.resolve("proc/mounts"), "cgroup\n\n  \nnone none\n");

    Host h = HostReader.read(new SysRoot(root));
    assertThat(h.device(io.vgapass.host.PciAddress.parse("0000:00:14.0"))).isEmpty();
    assertThat(h.device(io.vgapass.host.PciAddress.parse("0000:00:1f.6")).orElseThrow().driver()).isEqualTo("ghost");
    assertThat(h.cpu().cpus()).hasSize(8); // from the cpuN directories
    assertThat(h.memory().totalKiB()).isNull();
    assertThat(h.cpu().model()).isEqualTo("unknown");
    assertThat(h.iommuGroups()).extracting(io.vgapass.host.IommuGroup::id).doesNotContain(99999999);

    CliRunner.Result c = CliRunner.run("doctor", "--sysroot", root.toString());
    assertThat(c.code()).isIn(0, 1);
    noStackTrace(c);
    assertThat(c.err()).isEmpty();
    assertThat(c.out()).contains("vgapass doctor", "0000:01:00.0");
    CliRunner.Result j = CliRunner.run("doctor", "--sysroot", root.toString(), "--json");
    assertThat(j.code()).isIn(0, 1);
    assertThat(new ObjectMapper().readTree(j.out()).get("gpus")).isNotEmpty();
  }
}
