package io.vgapass.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Host;
import io.vgapass.plan.TestHosts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** doctor's cpu.boot-isolation: what the boot options add beyond the hook's shield, and how host apply adds them. */
class BootIsolationCheckTest {
  private Finding finding(String cmdline) {
    Host h = TestHosts.fromText("boot-isolation", TestHosts.text(TestHosts.REFERENCE)
        .replaceFirst("(?m)^cmdline .*$", "cmdline " + cmdline));
    List<Finding> f = new BootIsolationCheck().check(new Check.HostView(h, io.vgapass.host.GpuAnalyzer.analyze(h)));
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  @Test
  void namesWhatEachMissingOptionWouldAddAndTheHostApplyThatAddsThem() {
    Finding f = finding("BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet nohz_full=2-3");
    assertThat(f.severity()).isEqualTo(Severity.INFO);
    assertThat(f.message()).contains("isolcpus (", "rcu_nocbs (", "irqaffinity (").doesNotContain("nohz_full (");
    assertThat(f.evidence()).isEqualTo("proc/cmdline: nohz_full=2-3");
    assertThat(f.fix()).startsWith("sudo vgapass host apply --static-isolation ").contains("host undo");
  }

  @Test
  void allFourOnTheCommandLineIsOk() {
    Finding f = finding("ro isolcpus=1-3 nohz_full=1-3 rcu_nocbs=1-3 irqaffinity=0");
    assertThat(f.severity()).isEqualTo(Severity.OK);
    assertThat(f.evidence()).contains("isolcpus=1-3").contains("irqaffinity=0");
  }
}
