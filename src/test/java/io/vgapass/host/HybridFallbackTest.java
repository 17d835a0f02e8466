package io.vgapass.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.sketch.HostSketch;
import io.vgapass.host.sketch.SketchWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P/E cores on kernels without sys/devices/cpu_core and cpu_atom. */
class HybridFallbackTest {
  @TempDir Path tmp;

  private Path sketch(String text) throws Exception {
    return SketchWriter.write(HostSketch.parse("t.host", text), tmp.resolve("root"));
  }

  private static void put(Path root, String rel, long value) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, value + "\n");
  }

  /** An i9-12900K as a 5.10 kernel shows it: P threads 0-15 in pairs, E cores 16-23. */
  private Path alderLake() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 16; i++) b.append("cpu ").append(i).append(" core=").append(i / 2 * 4).append('\n');
    for (int i = 16; i < 24; i++) b.append("cpu ").append(i).append(" core=").append(32 + i - 16).append('\n');
    return sketch(b.toString());
  }

  @Test
  void baseFrequencyTellsPFromEEvenWithFavouredCoreBoost() throws Exception {
    Path root = alderLake();
    for (int i = 0; i < 24; i++) {
      String cf = "sys/devices/system/cpu/cpu" + i + "/cpufreq/";
      put(root, cf + "base_frequency", i < 16 ? 3200000 : 2400000);
      // Turbo Boost Max 3.0: two favoured P-cores reach 5.2 GHz, the rest 5.1, the E-cores 3.9
      put(root, cf + "cpuinfo_max_freq", i < 4 ? 5200000 : i < 16 ? 5100000 : 3900000);
    }
    CpuTopology t = HostReader.read(new SysRoot(root)).cpu();
    assertThat(t.hybrid()).isTrue();
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.PERFORMANCE).hasSize(16);
    assertThat(t.cpus()).filteredOn(c -> c.type() == CoreType.EFFICIENT).extracting(Cpu::id)
        .containsExactly(16, 17, 18, 19, 20, 21, 22, 23);
  }

  @Test
  void uniformCpuWithFavouredCoresStaysUniform() throws Exception {
    Path root = sketch("topology cores=8 threads=2\n");
    for (int i = 0; i < 16; i++) {
      String cf = "sys/devices/system/cpu/cpu" + i + "/cpufreq/";
      put(root, cf + "base_frequency", 3800000);
      put(root, cf + "cpuinfo_max_freq", i % 8 < 2 ? 5300000 : 5000000);
    }
    assertThat(HostReader.read(new SysRoot(root)).cpu().hybrid()).isFalse();
  }

  @Test
  void twoBaseClassesWithSmtInTheLowerOneAreNotHybrid() throws Exception {
    // e.g. Speed Select base-frequency on a Xeon with HT: the "slow" cores have siblings
    Path root = sketch("topology cores=4 threads=2\n");
    for (int i = 0; i < 8; i++) put(root, "sys/devices/system/cpu/cpu" + i + "/cpufreq/base_frequency",
        i % 4 < 2 ? 2700000 : 2100000);
    assertThat(HostReader.read(new SysRoot(root)).cpu().hybrid()).isFalse();
  }

  @Test
  void frequenciesFromPolicyDirectoriesWhenCpuNHasNone() throws Exception {
    Path root = sketch("topology cores=5 threads=1\n");
    for (int i = 0; i < 5; i++) {
      String pol = "sys/devices/system/cpu/cpufreq/policy" + i + "/";
      Files.createDirectories(root.resolve(pol));
      Files.writeString(root.resolve(pol + "related_cpus"), i + "\n");
      put(root, pol + "base_frequency", i == 4 ? 2000000 : 1400000);
      put(root, pol + "cpuinfo_max_freq", i == 4 ? 3000000 : 2800000);
    }
    CpuTopology t = HostReader.read(new SysRoot(root)).cpu();
    assertThat(t.cpu(4).type()).isEqualTo(CoreType.PERFORMANCE);
    assertThat(t.cpu(0).type()).isEqualTo(CoreType.EFFICIENT);
  }

  @Test
  void maxFrequencyAloneNeedsALargeGap() throws Exception {
    Path big = alderLake();
    for (int i = 0; i < 24; i++) put(big, "sys/devices/system/cpu/cpu" + i + "/cpufreq/cpuinfo_max_freq",
        i < 16 ? 4900000 : 3800000);
    assertThat(HostReader.read(new SysRoot(big)).cpu().hybrid()).isTrue();
  }
}
