package io.vgapass.cli;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.StepHook;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The host files of the everyday commands (audio, looking-glass, share): written through the journal, so
 * {@code vgapass host undo} takes them back, and refused up front for a user who cannot write /etc.
 */
final class HostEdits {
  private HostEdits() {}

  /** Refuses, before anything changes, a run on the live host that could not write /etc. */
  static void requireRoot(SysRoot root, String command) {
    if (root.isLive() && !"root".equals(System.getProperty("user.name"))) {
      throw new UserError("vgapass " + command + " writes under /etc: run it as root, or with --dry-run");
    }
  }

  /** Applies the changes as one journaled transaction; {@code context} names the command (key "command"). */
  static void apply(SysRoot root, PrintWriter out, List<HostChange> changes, Map<String, Object> context) {
    requireRoot(root, String.valueOf(context.get("command")));
    new Applier(root, Applier.runnerFor(root), l -> out.println("vgapass: " + l), StepHook.NONE)
        .apply(changes, context);
  }
}
