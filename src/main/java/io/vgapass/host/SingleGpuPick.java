package io.vgapass.host;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The card single-GPU mode would take on a host: its only display device, judged as that mode sees it
 * ({@link GpuAnalyzer#singleGpu}), or why there is none. One rule for {@code plan --single-gpu} and
 * {@code host apply --single-gpu}; each throws its own refusal with {@link #refusal()}.
 *
 * @param gpu the card, or null when {@code refusal} says why not
 * @param refusal one line naming the input and the fix, or null
 */
public record SingleGpuPick(GpuCandidate gpu, String refusal) {
  public static SingleGpuPick of(Host host, PciAddress asked) {
    List<GpuCandidate> all = GpuAnalyzer.analyze(host);
    if (all.size() != 1) {
      return no("--single-gpu: this host has " + (all.isEmpty() ? "no display device" : all.size()
          + " display devices (" + list(all) + "); single-GPU mode is for a host whose only card drives its display:"
          + " drop --single-gpu and choose the VM's card with --gpu"));
    }
    GpuCandidate g = GpuAnalyzer.singleGpu(all.get(0));
    if (asked != null && !g.address().sameSlot(asked)) {
      return no("--gpu " + asked + ": no display device there; the only GPU on this host is " + list(all));
    }
    if (!g.plannable()) {
      return no("--single-gpu: " + g.address() + " cannot be passed: " + String.join("; ", g.reasons()));
    }
    return new SingleGpuPick(g, null);
  }

  private static SingleGpuPick no(String why) {
    return new SingleGpuPick(null, why);
  }

  /** "ADDR VENDOR IDS, ..." for messages. */
  public static String list(List<GpuCandidate> gpus) {
    return gpus.isEmpty() ? "none" : gpus.stream().map(g -> g.address() + " " + g.vendor() + " " + g.ids())
        .collect(Collectors.joining(", "));
  }
}
