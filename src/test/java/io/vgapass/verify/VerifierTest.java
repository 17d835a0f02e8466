package io.vgapass.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.domain.VgapassMetadata;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify against a /proc tree written as the kernel shows a running QEMU. */
class VerifierTest {
  @TempDir Path dir;
  static final long PID = 4242;

  private void put(String rel, String content) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** A stat line: name in parentheses (with spaces), rt_priority and policy as fields 40 and 41. */
  private void thread(long tid, String name, String cpus, int rt, int policy) throws IOException {
    StringBuilder f = new StringBuilder("S");
    for (int i = 4; i <= 39; i++) f.append(" 0");
    f.append(' ').append(rt).append(' ').append(policy).append(" 0 0");
    String d = "proc/" + PID + "/task/" + tid;
    put(d + "/stat", tid + " (" + name + ") " + f + "\n");
    put(d + "/status", "Name:\t" + name + "\nCpus_allowed_list:\t" + cpus + "\n");
  }

  private void process(long pid, String comm, String cpus, boolean kernel) throws IOException {
    StringBuilder f = new StringBuilder("S");
    for (int i = 4; i <= 41; i++) f.append(" 0");
    put("proc/" + pid + "/stat", pid + " (" + comm + ") " + f + "\n");
    put("proc/" + pid + "/status", "Name:\t" + comm + "\nCpus_allowed_list:\t" + cpus + "\n");
    put("proc/" + pid + "/cmdline", kernel ? "" : "/usr/bin/" + comm);
  }

  @BeforeEach
  void runningQemu() throws IOException {
    put("sys/devices/system/cpu/online", "0-3");
    thread(PID, "qemu-system-x86", "0", 0, 0);
    thread(PID + 1, "CPU 0/KVM", "1", 0, 0);
    thread(PID + 2, "CPU 1/KVM", "2", 0, 0);
    thread(PID + 3, "IO iothread1", "0", 10, 1);
    put("proc/" + PID + "/cmdline", "qemu");
    put("proc/" + PID + "/smaps", "7f0000000000-7f0010000000 rw-s 00000000 00:2f 1 /dev/hugepages/libvirt/qemu/x\n"
        + "Size:             262144 kB\nKernelPageSize:     2048 kB\nPrivate_Hugetlb:  262144 kB\n"
        + "7f1000000000-7f1000001000 rw-p 00000000 00:00 0\nSize:                  4 kB\nKernelPageSize:        4 kB\n");
    process(1, "init", "0,3", false);
    process(2, "kthreadd", "0-3", true);
    process(77, "libvirtd", "0-3", false);
    put("proc/interrupts", " 40: 0 0 IR-PCI-MSI 524288-edge vfio-msi[0](0000:01:00.0)\n");
    for (int c = 0; c < 4; c++) put("sys/devices/system/cpu/cpu" + c + "/cpufreq/scaling_governor",
        c == 1 || c == 2 ? "performance" : "powersave");
  }

  private static VgapassMetadata meta(int priority) {
    return VgapassMetadata.builder().gpu("0000:01:00.0").hostdevs(List.of("0000:01:00.0")).vcpuPins(List.of(1, 2))
        .emulatorCpus(List.of(0)).iothreadCpus(List.of(0)).iothreadPriority(priority).memoryKiB(262144)
        .hugepageKiB(2048).hugepages(128).build();
  }

  private Map<String, VerifyCheck> run(VgapassMetadata m) {
    return new Verifier(new SysRoot(dir)).verify(m, PID).stream()
        .collect(Collectors.toMap(VerifyCheck::name, Function.identity()));
  }

  @Test
  void everythingAsPlannedPasses() {
    Map<String, VerifyCheck> r = run(meta(10));
    assertThat(r.values()).allMatch(VerifyCheck::passed, "all pass: " + r);
    assertThat(r.get("hugepages").detail()).contains("256 MiB mapped on 2 MiB pages");
  }

  @Test
  void aMisplacedVcpuFailsNamingIt() throws IOException {
    thread(PID + 2, "CPU 1/KVM", "0-3", 0, 0);
    VerifyCheck c = run(meta(10)).get("vcpu-pinning");
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("vCPU 1 on 0-3 (planned 2)");
  }

  @Test
  void anIothreadWithoutFifoFails() throws IOException {
    thread(PID + 3, "IO iothread1", "0", 0, 0);
    VerifyCheck c = run(meta(10)).get("iothread");
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("SCHED_OTHER");
  }

  @Test
  void memoryOnSmallPagesFails() throws IOException {
    put("proc/" + PID + "/smaps", "7f0000000000-7f0010000000 rw-p 00000000 00:00 0\nSize:  262144 kB\n"
        + "KernelPageSize:        4 kB\n");
    assertThat(run(meta(10)).get("hugepages").passed()).isFalse();
  }

  @Test
  void aHostProcessOnTheVmsCpusFailsTheShield() throws IOException {
    process(500, "firefox", "0-3", false);
    VerifyCheck c = run(meta(10)).get("cpu-shield");
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("500 (firefox)");
  }

  @Test
  void legacyInterruptsFailTheMsiCheck() throws IOException {
    put("proc/interrupts", " 16: 0 0 IR-IO-APIC 16-fasteoi vfio-intx(0000:01:00.0)\n");
    VerifyCheck c = run(meta(10)).get("msi-interrupts");
    assertThat(c.passed()).isFalse();
    assertThat(c.detail()).contains("vfio-intx");
  }

  @Test
  void aGovernorLeftOnPowersaveFails() throws IOException {
    put("sys/devices/system/cpu/cpu2/cpufreq/scaling_governor", "powersave");
    assertThat(run(meta(10)).get("governor").passed()).isFalse();
  }
}
