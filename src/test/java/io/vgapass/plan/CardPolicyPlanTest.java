package io.vgapass.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.host.CardPolicy;
import io.vgapass.host.Host;
import org.junit.jupiter.api.Test;

/** The plan's host preparation follows the card family table's binding advice. */
class CardPolicyPlanTest {
  /** modern-h97 with its GTX 1060 swapped for an Intel Arc A770 (the table: binding late, unconfirmed). */
  static Host arcHost() {
    return TestHosts.edited("modern-h97-arc", TestHosts.MODERN,
        t -> t.replace("10de:1c03 class=030000", "8086:56a0 class=030000")
            .replace("10de:10f1 class=040300", "8086:4f90 class=040300"));
  }

  @Test
  void aLateBindingCardIsNotBoundAtBootWhereAnEarlyCardIs() {
    Host arc = TestHosts.edited("modern-h97-arc-i915", TestHosts.MODERN,
        t -> t.replace("10de:1c03 class=030000", "8086:56a0 class=030000")
            .replace("10de:10f1 class=040300", "8086:4f90 class=040300").replace("driver=vfio-pci", "driver=i915"));
    Host gtx = TestHosts.edited("modern-h97-nvidia", TestHosts.MODERN, t -> t.replace("driver=vfio-pci", "driver=nvidia"));
    Plan late = Planner.plan(arc, Intent.defaults());
    assertThat(late.gpu().cardPolicy().binding()).isEqualTo(CardPolicy.Binding.LATE);
    // host apply leaves a late card on its host driver at boot: no binding step is asked for
    assertThat(late.hostPreparation()).noneMatch(s -> s.contains("vfio-pci"));
    assertThat(Planner.plan(gtx, Intent.defaults()).hostPreparation())
        .anyMatch(s -> s.startsWith("let vfio-pci take the card at boot"));
  }

  @Test
  void anEarlySafeCardGetsNoSuchNote() {
    Plan p = TestHosts.plan(TestHosts.MODERN);
    assertThat(p.gpu().cardPolicy().binding()).isEqualTo(CardPolicy.Binding.EARLY_SAFE);
    assertThat(p.hostPreparation()).noneMatch(s -> s.contains("do not bind"));
  }
}
