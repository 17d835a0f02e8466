package io.vgapass.cli;

import io.vgapass.host.SysRoot;
import io.vgapass.runtime.Commands;
import io.vgapass.runtime.Lifecycle;
import io.vgapass.runtime.StateStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code gpu reclaim --force [DOMAIN]}: the way out when the screen stays black. It replays the VM's state file the
 * way libvirt's release would (the same code), without libvirt and whatever the VM's state, and says what it gave
 * back. Without DOMAIN it takes the one state file that records a single-GPU hand-over.
 */
final class ForcedReclaim {
  private ForcedReclaim() {}

  static int run(SysRoot root, Commands commands, String domain, boolean dryRun, PrintWriter out) {
    String name = domain != null ? domain : onlyHandover(root);
    if (name == null) {
      out.println("nothing to reclaim: no state file in /run/vgapass records a single-GPU hand-over");
      return ExitCode.OK;
    }
    StateStore state;
    try {
      state = new StateStore(root, name);
    } catch (RuntimeException e) {
      throw new UserError(e.getMessage());
    }
    if (!state.exists()) {
      out.println("nothing to reclaim for " + name + ": /run/vgapass/" + name + ".state is not there (the VM's stop "
          + "gave everything back, or it never started)");
      return ExitCode.OK;
    }
    if (dryRun) {
      List<StateStore.Entry> entries = new ArrayList<>(state.entries());
      Collections.reverse(entries);
      entries.forEach(e -> out.println("would undo: " + e.kind() + " " + e.path()));
      return ExitCode.OK;
    }
    List<String> log = new Lifecycle(root, commands).release(name);
    log.forEach(out::println);
    if (state.exists()) {
      out.println("not all given back: /run/vgapass/" + name + ".state keeps the rest; run vgapass gpu reclaim --force "
          + name + " again (if the VM's QEMU still runs: virsh destroy " + name + " first)");
      return ExitCode.SHORT;
    }
    out.println("reclaimed: " + name + "'s hand-over is undone");
    return ExitCode.OK;
  }

  /** The domain of the only state file with single-GPU steps; null for none, refused when several. */
  private static String onlyHandover(SysRoot root) {
    List<String> found = StateStore.singleGpuHandovers(root);
    if (found.size() > 1) {
      throw new UserError("gpu reclaim --force: several VMs' state files record a single-GPU hand-over ("
          + String.join(", ", found) + "); name one: vgapass gpu reclaim --force DOMAIN");
    }
    return found.isEmpty() ? null : found.get(0);
  }
}
