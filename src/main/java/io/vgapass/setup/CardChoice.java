package io.vgapass.setup;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
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

  CardChoice(PrintWriter out, Dialogue dialogue, PciIds names) {
    this.out = out;
    this.dialogue = dialogue;
    this.names = names;
  }

  /** The card, or null when none can go to a VM (said in words first). {@code remembered}: the earlier run's. */
  Choice pick(List<GpuCandidate> gpus, String remembered) {
    List<GpuCandidate> guests = GpuAnalyzer.guestCandidates(gpus);
    for (int i = 0; i < gpus.size(); i++) {
      GpuCandidate g = gpus.get(i);
      out.println("  " + (guests.contains(g) ? (i + 1) + ")" : "  ") + " " + g.address() + "  " + name(g) + "  ("
          + verdict(g, guests) + ")");
    }
    if (gpus.isEmpty()) out.println("  no display device on the PCI bus");
    if (guests.isEmpty()) return singleOrNone(gpus);
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

  /** No card qualifies: a host with one card that drives its display hears what single-GPU mode would mean. */
  private Choice singleOrNone(List<GpuCandidate> gpus) {
    if (gpus.size() == 1 && Boolean.TRUE.equals(gpus.get(0).bootVga()) && gpus.get(0).isolated()) {
      GpuCandidate g = gpus.get(0);
      out.println();
      out.println("  This host has one graphics card, " + g.address() + " (" + name(g) + "), and it drives the host's "
          + "display.");
      out.println("  Single-GPU mode gives it to the VM anyway. What that means:");
      out.println("    - while the VM runs, the host has NO display: its desktop (display manager) is stopped, the "
          + "console and");
      out.println("      boot framebuffer let go of the card, and the card goes to the VM; the VM's screen is the "
          + "monitor;");
      out.println("    - when the VM shuts down, the card comes back and the desktop starts again;");
      out.println("    - if the VM hangs, get the display back from another machine over ssh (or a text console):");
      out.println("        sudo vgapass vm stop NAME --force && sudo vgapass gpu reclaim " + g.address());
      out.println("  The other way: a second card, or the processor's integrated graphics enabled in the firmware, "
          + "for the host.");
      if (!SingleGpuMode.AVAILABLE) {
        out.println("  Single-GPU mode is not in this build of vgapass (it comes with plan --single-gpu): setup stops "
            + "here, nothing was changed.");
        return null;
      }
      boolean yes = dialogue.confirm("Use single-GPU mode (no host display while the VM runs)?", false, false);
      if (yes) return new Choice(g, true);
      out.println("  nothing was changed; with a second card for the host, run vgapass setup again");
      return null;
    }
    out.println("  no card can go to a VM on this host as it is; vgapass doctor says why and what to fix");
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
