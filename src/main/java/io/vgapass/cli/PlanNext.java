package io.vgapass.cli;

import io.vgapass.plan.Plan;
import java.nio.file.Path;

/**
 * The line {@code plan} ends with on this host: the next command to run, so the user is led from one step to the next
 * instead of left with "domain XML written". None for --example/--sysroot plans (another machine's next step is not
 * this one's) or when the XML went to the terminal.
 */
final class PlanNext {
  private PlanNext() {}

  /** The next step, or null when there is none to give. */
  static String line(Plan plan, boolean liveHost, boolean defined, Path xmlOut) {
    if (!liveHost || (!defined && xmlOut == null)) return null;
    String start = "sudo vgapass vm start " + plan.name() + " && sudo vgapass verify " + plan.name();
    String afterPrep = defined
        ? "sudo vgapass hooks install (once per host), then " + start
        : "sudo vgapass vm define " + xmlOut + ", sudo vgapass hooks install (once per host), then " + start;
    if (!plan.hostPreparation().isEmpty() && plan.gpu() != null) {
      return NextStep.PREFIX + "sudo vgapass host apply --gpu " + plan.gpu().address() + " --dry-run (the changes above), then "
          + "without --dry-run, reboot, and " + afterPrep;
    }
    return NextStep.PREFIX + afterPrep;
  }
}
