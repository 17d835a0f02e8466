package io.vgapass.plan;

import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import java.util.List;
import java.util.stream.Collectors;

/** Picks the guest's card: the one asked for if it can go, or the only one that qualifies. */
final class GpuChooser {
  private GpuChooser() {}

  record Choice(GpuCandidate gpu, String note) {}

  static Choice choose(Host host, PciAddress asked) {
    List<GpuCandidate> all = GpuAnalyzer.analyze(host);
    if (asked != null) {
      GpuCandidate g = all.stream().filter(c -> c.address().sameSlot(asked)).findFirst().orElseThrow(() ->
          new PlanRefused("--gpu " + asked + ": no display device there; the GPUs on this host are "
              + list(all) + " (see vgapass doctor)"));
      if (!g.plannable()) {
        throw new PlanRefused("--gpu " + g.address() + " cannot be passed: " + String.join("; ", g.reasons()));
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
          + "; name it with --gpu " + g.address() + " if the host can do without it, or run vgapass doctor for fixes");
    }
    if (candidates.size() == 1) {
      GpuCandidate g = candidates.get(0);
      return new Choice(g, "picked GPU " + g.address() + " (" + g.vendor() + " " + g.ids()
          + "), the only card that can be passed; name another with --gpu");
    }
    if (candidates.isEmpty()) {
      String why = all.isEmpty() ? "there is no display device"
          : all.stream().map(c -> c.address() + ": " + String.join("; ", c.reasons())).collect(Collectors.joining(" | "));
      throw new PlanRefused("no GPU can be passed on this host (" + why + "); run vgapass doctor for fixes");
    }
    throw new PlanRefused("several GPUs can be passed (" + list(candidates) + "); choose one with --gpu ADDRESS");
  }

  private static String list(List<GpuCandidate> gpus) {
    return gpus.isEmpty() ? "none" : gpus.stream().map(g -> g.address() + " " + g.vendor() + " " + g.ids())
        .collect(Collectors.joining(", "));
  }
}
