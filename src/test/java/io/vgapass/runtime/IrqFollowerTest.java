package io.vgapass.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** irq-follow.sh run by a real sh on a fixture root: what it moves, what it leaves, and that it ends. */
class IrqFollowerTest {
  private static final String GPU = "0000:01:00.0";
  private static final String AUDIO = "0000:01:00.1";

  @TempDir Path dir;

  private void put(String rel, String content) throws IOException {
    ShellReleaseTest.put(dir, rel, content);
  }

  private String read(String rel) throws IOException {
    return Files.readString(dir.resolve(rel)).trim();
  }

  private Process follow() throws IOException {
    List<String> c = IrqFollower.command(new SysRoot(dir), "vm", dir.resolve("run/vgapass/vm.state").toString(), "2-3",
        List.of(GPU, AUDIO));
    return new ProcessBuilder(c).redirectErrorStream(true).start();
  }

  private void tree(Instant pidFileTime) throws IOException {
    put("run/vgapass/vm.state", "irq-affinity\tproc/irq/16/smp_affinity_list\t0-3\t0\n");
    Files.setLastModifiedTime(dir.resolve("run/vgapass/vm.state"), FileTime.from(Instant.now().minusSeconds(60)));
    put("run/libvirt/qemu/vm.pid", "4242");
    Files.setLastModifiedTime(dir.resolve("run/libvirt/qemu/vm.pid"), FileTime.from(pidFileTime));
    Files.createDirectories(dir.resolve("proc/4242"));
    put("proc/interrupts", "           CPU0       CPU1       CPU2       CPU3\n"
        + "  16:         0          0          0          0  IR-IO-APIC   16-fasteoi   vfio-intx(" + AUDIO + "), vfio-intx("
        + GPU + ")\n"
        + "  17:         3          0          0          0  IR-IO-APIC   17-fasteoi   vfio-intx(" + AUDIO + "), ehci_hcd\n"
        + "  40:         0          0          0          0  IR-PCI-MSI 524288-edge      vfio-msi[0](" + AUDIO + ")\n"
        + "  41:         9          0          0          0  IR-PCI-MSI 1048576-edge      ahci[0000:00:17.0]\n");
    for (String irq : List.of("16", "17", "40", "41")) put("proc/irq/" + irq + "/smp_affinity_list", "0-1\n");
  }

  private void awaitEqual(String rel, String value) throws Exception {
    for (int i = 0; i < 100 && !read(rel).equals(value); i++) Thread.sleep(50);
  }

  @Test
  void movesTheVmsOwnLinesToItsCpusLeavesSharedAndForeignOnesAndEndsWithQemu() throws Exception {
    tree(Instant.now());
    Process p = follow();
    try {
      awaitEqual("proc/irq/40/smp_affinity_list", "2-3");
      assertThat(read("proc/irq/16/smp_affinity_list")).as("the VM's two functions' shared line").isEqualTo("2-3");
      assertThat(read("proc/irq/40/smp_affinity_list")).isEqualTo("2-3");
      assertThat(read("proc/irq/17/smp_affinity_list")).as("shared with the host's ehci").isEqualTo("0-1");
      assertThat(read("proc/irq/41/smp_affinity_list")).as("not the VM's").isEqualTo("0-1");
      Files.delete(dir.resolve("proc/4242")); // QEMU ended
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).as("the follower ends with QEMU").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aPidFileOlderThanTheStartIsNotFollowedAndReleaseEndsTheWait() throws Exception {
    tree(Instant.now().minusSeconds(3600)); // a previous run's
    Process p = follow();
    try {
      assertThat(p.waitFor(2500, TimeUnit.MILLISECONDS)).as("still waiting for this run's QEMU").isFalse();
      assertThat(read("proc/irq/16/smp_affinity_list")).isEqualTo("0-1");
      Files.delete(dir.resolve("run/vgapass/vm.state")); // release ran: the start failed
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(read("proc/irq/16/smp_affinity_list")).isEqualTo("0-1");
    } finally {
      p.destroyForcibly();
    }
  }
}
