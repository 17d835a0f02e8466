package io.vgapass.setup;

import io.vgapass.doctor.SingleGpuVerdict;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.SysRoot;
import io.vgapass.report.PciIds;
import java.io.PrintWriter;
import java.util.List;

/**
 * The card step: every display device with its name and verdict, the one that qualifies preselected. A host whose
 * only card drives its display is told what single-GPU mode would mean before anything is chosen.
 */
final class CardChoice {
  /** The card chosen; {@code single}: the host's only card, in single-GPU mode. */
  record Choice(GpuCandidate gpu, boolean single) {}

  private final PrintWriter out;
  private final Dialogue dialogue;
  private final PciIds names;
  private final SysRoot root;
  private final boolean showOnly;

  /** @param showOnly the path is only shown (no terminal): a question that only a person may answer is shown */
  CardChoice(PrintWriter out, Dialogue dialogue, SysRoot root, boolean showOnly) {
    this.showOnly = showOnly;
    this.out = out;
    this.dialogue = dialogue;
    this.root = root;
    this.names = PciIds.load(root);
  }

  /** The card, or null when none can go to a VM (said in words first). {@code remembered}: the earlier run's. */
  Choice pick(List<GpuCandidate> gpus, String remembered, boolean rememberedSingle) {
    List<GpuCandidate> guests = GpuAnalyzer.guestCandidates(gpus);
    for (int i = 0; i < gpus.size(); i++) {
      GpuCandidate g = gpus.get(i);
      out.println("  " + (guests.contains(g) ? (i + 1) + ")" : "  ") + " " + g.address() + "  " + name(g) + "  ("
          + verdict(g, guests) + ")");
    }
    if (gpus.isEmpty()) out.println("  no display device on the PCI bus");
    if (guests.isEmpty()) return singleOrNone(gpus, rememberedSingle);
    GpuCandidate pre = guests.stream().filter(g -> g.address().toString().equals(remembered)).findFirst()
        .orElse(guests.get(0));
    if (remembered != null && pre.address().toString().equals(remembered)) {
      out.println("  the card: " + pre.address() + " " + name(pre) + " (chosen in the earlier run)");
      return new Choice(pre, false);
    }
    String def = String.valueOf(gpus.indexOf(pre) + 1);
    String a = dialogue.ask("Card for the VM (number)", def, s -> {
      int n = number(s);
      return n >= 1 && n <= gpus.size() && guests.contains(gpus.get(n - 1)) ? null
          : "give the number of a card that can go to the VM: "
              + String.join(", ", guests.stream().map(g -> String.valueOf(gpus.indexOf(g) + 1)).toList());
    });
    GpuCandidate chosen = gpus.get(number(a) - 1);
    out.println("  the card: " + chosen.address() + " " + name(chosen) + " with its own functions "
        + chosen.functions().stream().map(Object::toString).toList());
    return new Choice(chosen, false);
  }

  /**
   * No card qualifies: a host whose only card drives its display hears what single-GPU mode means on it (what the
   * hand-over stops, and the way back) before it is asked; it is never chosen silently, not even by --yes.
   */
  private Choice singleOrNone(List<GpuCandidate> gpus, boolean before) {
    SingleGpuVerdict single = SingleGpuVerdict.of(gpus, root);
    if (single == null || !(single.passable() || single.plannable())) {
      out.println("  no card can go to a VM on this host as it is; vgapass doctor says why and what to fix");
      return null;
    }
    GpuCandidate g = gpus.get(0);
    out.println();
    out.println("  This host has one graphics card, " + g.address() + " (" + name(g) + "), and it drives the host's "
        + "display.");
    out.println("  Single-GPU mode (vgapass plan --single-gpu) gives it to the VM anyway. What that means:");
    out.println("    - while the VM runs, the host has NO display: the card goes to the VM and its monitor shows the "
        + "VM;");
    out.println("    - at VM start vgapass's hook does this on this host:");
    for (String step : single.handover()) out.println("        " + step);
    out.println("    - when the VM shuts down, it gives everything back in reverse and the desktop returns;");
    out.println("    - if the screen stays black, get the display back from another machine over ssh (or a text "
        + "console):");
    out.println("        sudo vgapass gpu reclaim --force");
    out.println("  The other way: a second card, or the processor's integrated graphics enabled in the firmware, "
        + "for the host.");
    // never by default and never by --yes: it takes the host's display, so only a person says yes
    if (showOnly) {
      out.println("  setup asks: Use single-GPU mode (no host display while the VM runs)? [y/N]; on yes the path "
          + "goes on:");
      return new Choice(g, true);
    }
    if (!dialogue.person()) {
      out.println("  --yes never chooses single-GPU mode (it takes the host's display): answer it on a terminal; "
          + "nothing was changed");
      return null;
    }
    if (dialogue.confirm("Use single-GPU mode (no host display while the VM runs)?", before, false)) {
      return new Choice(g, true);
    }
    out.println("  nothing was changed; with a second card for the host, run vgapass setup again");
    return null;
  }

  String name(GpuCandidate g) {
    String[] ids = g.ids().split(":");
    String device = ids.length == 2 ? names.deviceName(ids[0], ids[1]) : null;
    return (device == null ? g.vendor() + " " + g.ids() : g.vendor() + " " + device + " [" + g.ids() + "]");
  }

  private static String verdict(GpuCandidate g, List<GpuCandidate> guests) {
    if (!guests.contains(g)) {
      if (g.plannable() && Boolean.TRUE.equals(g.bootVga())) return "the host's display";
      return "cannot go to a VM: " + (g.reasons().isEmpty() ? "see vgapass doctor" : g.reasons().get(0));
    }
    return g.passable() ? "can go to a VM now" : "can go to a VM once the host is prepared";
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
