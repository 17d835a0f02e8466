package io.vgapass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vgapass.plan.Intents;
import io.vgapass.plan.Plan;
import io.vgapass.plan.TestHosts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** plan ends with the next command on this host: host preparation first when it is needed, then define and start. */
class PlanNextTest {
  /** The reference machine: its IOMMU is still off, so its plan needs host preparation. */
  private final Plan plan = Intents.intent().on(TestHosts.REFERENCE);

  @Test
  void aWrittenFileLeadsToDefineHooksStartAndVerify() {
    Plan ready = withoutPreparation(plan);
    assertThat(PlanNext.line(ready, true, false, Path.of("win.xml"))).isEqualTo("next: sudo vgapass vm define win.xml, "
        + "sudo vgapass hooks install (once per host), then sudo vgapass vm start " + ready.name()
        + " && sudo vgapass verify " + ready.name());
    assertThat(PlanNext.line(ready, true, true, null)).startsWith("next: sudo vgapass hooks install (once per host)");
  }

  @Test
  void aHostThatNeedsPreparationIsPreparedFirst() {
    assertThat(plan.hostPreparation()).as("the fixture's plan needs host preparation").isNotEmpty();
    assertThat(PlanNext.line(plan, true, true, null)).startsWith(
        "next: sudo vgapass host apply --gpu " + plan.gpu().address() + " --dry-run").contains("reboot");
  }

  @Test
  void anotherMachinesPlanOrXmlOnTheTerminalHasNoNextLine() {
    assertThat(PlanNext.line(plan, false, false, Path.of("win.xml"))).isNull();
    assertThat(PlanNext.line(plan, true, false, null)).isNull();
  }

  private static Plan withoutPreparation(Plan p) {
    return p.toBuilder().hostPreparation(java.util.List.of()).build();
  }
}
