package io.vgapass.plan;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SingleGpuPick;
import java.util.List;
import java.util.stream.Collectors;

/** Picks the guest's card: the one asked for if it can go, or the only one that qualifies. */
final class GpuChooser {
  private GpuChooser() {}

  record Choice(GpuCandidate gpu, String note) {}

  static Choice choose(Host host, PciAddress asked) {
    return choose(host, asked, false);
  }

  /**
   * As {@link #choose(Host, PciAddress)}; with {@code single} (--single-gpu) the card must be the host's only display
   * device, and taking the boot VGA is what was asked for.
   */
  static Choice choose(Host host, PciAddress asked, boolean single) {
    if (single) return single(host, asked);
    List<GpuCandidate> all = GpuAnalyzer.analyze(host);
    if (asked != null) {
      GpuCandidate g = all.stream().filter(c -> c.address().sameSlot(asked)).findFirst().orElseThrow(() ->
          new PlanRefused("--gpu " + asked + ": no display device there; the GPUs on this host are "
              + list(all) + " (see vgapass doctor)"));
      if (!g.plannable()) {
        throw new PlanRefused("--gpu " + g.address() + " cannot be passed: " + String.join("; ", g.reasons())
            + singleHint(g));
      }
      // named on purpose, but the host's own screen: say so where the plan is read, not only in --json
      return new Choice(g, Boolean.TRUE.equals(g.bootVga()) ? "GPU " + g.address() + " is the boot VGA and drives the "
          + "host's display: while the VM runs (and from boot on, once vgapass host apply binds it to vfio-pci) the "
          + "host has no screen on it" : null);
    }
    List<GpuCandidate> candidates = GpuAnalyzer.guestCandidates(all);
    if (candidates.size() == 1 && Boolean.TRUE.equals(candidates.get(0).bootVga())) {
      // the host's own display: taking it unasked would leave the host without a screen
      GpuCandidate g = candidates.get(0);
      List<GpuCandidate> others = all.stream().filter(c -> !c.address().equals(g.address())).toList();
      throw new PlanRefused("the only card that can be passed, " + g.address() + " (" + g.vendor() + " " + g.ids()
          + "), is the boot VGA that drives the host's display"
          + (others.isEmpty() ? "" : " (" + others.stream()
              .map(c -> c.address() + ": " + String.join("; ", c.reasons())).collect(Collectors.joining(" | ")) + ")")
          + "; add --single-gpu to hand it to the VM while it runs (the host has no display then; vgapass gives it "
          + "back at stop), name it with --gpu " + g.address() + " if the host can do without it, or run vgapass "
          + "doctor for fixes");
    }
    if (candidates.size() == 1) {
      GpuCandidate g = candidates.get(0);
      return new Choice(g, "picked GPU " + g.address() + " (" + g.vendor() + " " + g.ids()
          + "), the only card that can be passed; name another with --gpu");
    }
    if (candidates.isEmpty()) {
      String why = all.isEmpty() ? "there is no display device"
          : all.stream().map(c -> c.address() + ": " + String.join("; ", c.reasons())).collect(Collectors.joining(" | "));
      throw new PlanRefused("no GPU can be passed on this host (" + why + ")"
          + (all.size() == 1 ? singleHint(all.get(0)) : "") + "; run vgapass doctor for fixes");
    }
    throw new PlanRefused("several GPUs can be passed (" + list(candidates) + "); choose one with --gpu ADDRESS");
  }

  /** For the host's only card: how to pass it anyway (single-GPU mode), when that is what stands in the way. */
  private static String singleHint(GpuCandidate g) {
    if (!g.reasons().contains(GpuAnalyzer.ONLY_DISPLAY)) return "";
    return "; add --single-gpu to hand it to the VM while the VM runs (the host has no display then; vgapass gives "
        + "it back at stop)";
  }

  /** Single-GPU mode: the only display device, if it can be passed. */
  private static Choice single(Host host, PciAddress asked) {
    SingleGpuPick pick = SingleGpuPick.of(host, asked);
    if (pick.gpu() == null) throw new PlanRefused(pick.refusal());
    GpuCandidate g = pick.gpu();
    return new Choice(g, "single-GPU mode: " + g.address() + " (" + g.vendor() + " " + g.ids() + ") is the host's "
        + "only card; while the VM runs the host has no display (vgapass's hook hands the card over at start and "
        + "gives it back at stop; if the screen stays black: vgapass gpu reclaim --force from ssh or a text console)");
  }

  private static String list(List<GpuCandidate> gpus) {
    return SingleGpuPick.list(gpus);
  }
}
