package io.vgapass.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.Host;
import io.vgapass.testing.TranscribedHosts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doctor's fix lines name the card host apply would prepare when one qualifies, instead of "--gpu ADDR". */
class FixesTest {
  @TempDir Path tmp;

  @Test
  void theOneCardThatQualifiesIsNamed() {
    Host h = TranscribedHosts.read("asrock-z170", tmp); // the GeForce (10de:1401) at 01:00.0 for the guest, the iGPU for the host
    assertThat(Fixes.guestCard(h)).isEqualTo("0000:01:00.0");
    assertThat(Fixes.kernelArgs(h, "intel_iommu=on")).startsWith("sudo vgapass host apply --gpu 0000:01:00.0 ");
  }

  @Test
  void withoutOneCardThePlaceholderSaysWhereToLook() {
    // the only card is the host's display: host apply would not take it without --allow-host-display
    Host h = TranscribedHosts.read("b560-single-gpu", tmp);
    assertThat(Fixes.guestCard(h)).isEqualTo("ADDR (a card's address, from the gpu lines)");
  }

  @Test
  void aHostWhoseOnlyCardIsItsDisplayIsPointedAtSingleGpuMode() {
    // host apply --single-gpu binds nothing at boot: it adds the IOMMU arguments, which is what the fix is for
    Host h = TranscribedHosts.read("b560-single-gpu", tmp);
    assertThat(Fixes.kernelArgs(h, "intel_iommu=on")).startsWith("sudo vgapass host apply --single-gpu (adds them");
    Host two = TranscribedHosts.read("asrock-z170", tmp.resolve("two"));
    assertThat(Fixes.kernelArgs(two, "intel_iommu=on")).doesNotContain("--single-gpu");
  }
}
