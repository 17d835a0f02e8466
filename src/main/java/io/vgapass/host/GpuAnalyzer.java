package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** Judges each display device: what goes with it, whether it stands alone, and why not. */
public final class GpuAnalyzer {
  private GpuAnalyzer() {}

  public static List<GpuCandidate> analyze(Host host) {
    List<GpuCandidate> out = new ArrayList<>();
    for (PciDevice gpu : host.gpus()) out.add(judge(host, gpu));
    return out;
  }

  /**
   * The cards meant for a guest: plannable ones that do not drive the host's display (boot VGA),
   * or, when every plannable card is a boot VGA, those.
   */
  public static List<GpuCandidate> guestCandidates(List<GpuCandidate> all) {
    List<GpuCandidate> plannable = all.stream().filter(GpuCandidate::plannable).toList();
    List<GpuCandidate> notBoot = plannable.stream().filter(g -> !Boolean.TRUE.equals(g.bootVga())).toList();
    return notBoot.isEmpty() ? plannable : notBoot;
  }

  public static GpuCandidate judge(Host host, PciDevice gpu) {
    // the card's own functions on its slot (what goes with it); a chipset function on the same slot never does
    List<PciAddress> functions = host.pciDevices().stream()
        .filter(d -> d.address().sameSlot(gpu.address()) && PciClasses.cardFunction(d.classCode()))
        .map(PciDevice::address).sorted().toList();
    TreeSet<Integer> groups = new TreeSet<>();
    for (PciAddress f : functions) {
      host.device(f).map(PciDevice::iommuGroup).filter(Objects::nonNull).ifPresent(groups::add);
    }
    TreeSet<PciAddress> members = new TreeSet<>();
    for (int g : groups) host.group(g).ifPresent(gr -> members.addAll(gr.members()));
    List<String> strangers = new ArrayList<>();
    for (PciAddress m : members) {
      if (functions.contains(m)) continue;
      PciDevice d = host.device(m).orElse(null);
      if (d != null && d.isBridge()) continue;
      strangers.add(describe(host, m));
    }
    boolean groupKnown = !groups.isEmpty();
    boolean isolated = groupKnown && strangers.isEmpty();
    boolean onlyDisplay = Boolean.TRUE.equals(gpu.bootVga()) && host.gpus().size() == 1;
    String acs = host.iommu().acsOverride();

    List<String> blockers = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!groupKnown) {
      blockers.add("its IOMMU group is unknown (sysfs shows no iommu_group for it)");
    } else if (!isolated) {
      blockers.add("its IOMMU group" + (groups.size() > 1 ? "s " : " ") + join(groups)
          + " also hold" + (groups.size() > 1 ? "" : "s") + " " + String.join(", ", strangers)
          + ": they would all have to leave the host");
    }
    if (onlyDisplay) {
      blockers.add(ONLY_DISPLAY);
    }
    if (isolated && acs != null && host.iommu().active()) {
      if (isolatedWithoutOverride(host, gpu, functions)) {
        notes.add("pcie_acs_override=" + acs + " is on, but the card would stand alone without it too (its root "
            + "port's subtree holds nothing else)");
      } else {
        blockers.add("its isolation comes from pcie_acs_override=" + acs
            + ", not from the hardware: devices in the real group can still reach each other's memory");
      }
    }
    if (!host.iommu().active()) {
      pending.add("the IOMMU is off (group predicted from the PCI topology; switch it on first)");
    }
    if (groups.size() > 1) {
      notes.add("its functions sit in groups " + join(groups) + ": all of them go to the VM together");
    }
    if (Boolean.TRUE.equals(gpu.bootVga()) && !onlyDisplay) {
      notes.add("it is the boot VGA and drives the host's display: pass it only if the host can do without it");
    }
    if (functions.size() == 1) {
      notes.add("no companion function (HDMI audio) on its slot: nothing else to pass with it");
    }
    List<String> reasons = new ArrayList<>(blockers);
    reasons.addAll(pending);
    return new GpuCandidate(
        gpu.address(), gpu.ids(), PciClasses.vendorName(gpu.vendorId()), gpu.driver(), gpu.bootVga(),
        gpu.iommuGroup(), functions, List.copyOf(members), List.copyOf(groups), isolated,
        reasons.isEmpty(), List.copyOf(reasons), blockers.isEmpty(), List.copyOf(notes),
        CardPolicy.of(gpu.vendorId(), gpu.deviceId()));
  }

  /** The reason the host's only card is not passable: lifted in single-GPU mode, where the hand-over covers it. */
  public static final String ONLY_DISPLAY = "it is the boot VGA and the only GPU: the host would lose its display";
  private static final String PENDING_IOMMU = "the IOMMU is off";

  /**
   * The card as single-GPU mode sees it: the same verdict without the only-display reason ({@code passable} and
   * {@code plannable} recomputed from the other reasons). A card that never had that reason comes back unchanged.
   */
  public static GpuCandidate singleGpu(GpuCandidate g) {
    if (!g.reasons().contains(ONLY_DISPLAY)) return g;
    List<String> rest = g.reasons().stream().filter(r -> !r.equals(ONLY_DISPLAY)).toList();
    return new GpuCandidate(g.address(), g.ids(), g.vendor(), g.driver(), g.bootVga(), g.iommuGroup(), g.functions(),
        g.groupMembers(), g.groups(), g.isolated(), rest.isEmpty(), rest,
        rest.stream().allMatch(r -> r.startsWith(PENDING_IOMMU)), g.notes(), g.cardPolicy());
  }

  /**
   * The grouping the hardware gives without the override, predicted conservatively (everything
   * below a root port together): when the card is alone there, its isolation is real.
   */
  private static boolean isolatedWithoutOverride(Host host, PciDevice gpu, List<PciAddress> functions) {
    for (IommuGroup g : GroupPredictor.predict(host.pciDevices())) {
      if (!g.members().contains(gpu.address())) continue;
      return g.members().stream().allMatch(m -> functions.contains(m)
          || host.device(m).map(PciDevice::isBridge).orElse(false));
    }
    return false;
  }

  private static String describe(Host host, PciAddress a) {
    return host.device(a).map(d -> a + " (" + d.kind() + " " + d.ids() + ")").orElse(a.toString());
  }

  private static String join(TreeSet<Integer> groups) {
    return String.join(", ", groups.stream().map(String::valueOf).toList());
  }
}
