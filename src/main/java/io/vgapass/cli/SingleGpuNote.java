package io.vgapass.cli;

import io.vgapass.host.SingleGpuSurvey;
import io.vgapass.host.SysRoot;
import io.vgapass.plan.Plan;

/**
 * The note a single-GPU plan gets from the host it was read from: what the hand-over will stop, release and unload
 * there at VM start (the planner itself sees only the host model, not its processes).
 */
final class SingleGpuNote {
  private SingleGpuNote() {}

  /** The note, or null when the plan is not in single-GPU mode or has no card. */
  static String of(Plan plan, SysRoot root) {
    if (plan.singleGpu() == null || plan.gpu() == null) return null;
    SingleGpuSurvey s = SingleGpuSurvey.of(root, plan.gpu().address().toString(),
        plan.gpu().functions().stream().map(Object::toString).toList());
    return "single-GPU hand-over on this host at VM start (given back in reverse at stop; limit "
        + plan.singleGpu().limitSeconds() + " s): " + String.join("; ", s.steps());
  }
}
