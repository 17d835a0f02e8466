package io.vgapass.report;

import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.IommuGroup;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IOMMU groups as cards in columns: each card a group, endpoints first, bridges apart below;
 * the chosen GPU's functions and their group mates highlighted; groups that keep a GPU from a VM
 * marked with the reasons the analysis gives. Cards go into the shortest column (masonry), so
 * 4 groups or 120 fill the width and only the height grows.
 */
final class GroupsPicture {
  static final double MARGIN = 12;
  static final double GAP = 10;
  static final double CARD_W = 330;
  static final int MAX_COLUMNS = 3;
  private static final double PAD = 8;
  private static final double HEADER = 22;
  private static final double LINE = 13;
  private static final double SMALL = 10;
  private static final double NORMAL = 11;

  enum State { NORMAL, HOST, GUEST, PENDING, BLOCKED }

  private static final String INK = "#111827";
  private static final String MUTED = "#4b5563";
  private static final String RED = "#b91c1c";
  private static final String AMBER = "#92400e";
  private static final String GREEN = "#166534";
  private static final String INDIGO = "#3730a3";

  /** One card's content, before placement. */
  private record Card(String title, Integer groupId, State state, List<String> reasons, List<PciAddress> endpoints,
      List<PciAddress> bridges) {}

  private final Host host;
  private final Plan plan;
  private final PciIds ids;
  private final Map<PciAddress, PciDevice> devices = new LinkedHashMap<>();
  private final Map<PciAddress, GpuCandidate> gpuByAddress = new LinkedHashMap<>();
  private final Set<PciAddress> guest = new TreeSet<>();
  private final Set<PciAddress> chosen = new TreeSet<>();
  private final List<GpuCandidate> gpus;

  private GroupsPicture(Host host, List<GpuCandidate> gpus, Plan plan, PciIds ids) {
    this.host = host;
    this.plan = plan;
    this.ids = ids;
    this.gpus = gpus;
    host.pciDevices().forEach(d -> devices.put(d.address(), d));
    gpus.forEach(g -> gpuByAddress.put(g.address(), g));
    if (plan != null) {
      guest.addAll(plan.hostdevs());
      chosen.addAll(plan.gpu().functions());
    }
  }

  static Picture draw(Host host, List<GpuCandidate> gpus, Plan plan, PciIds ids) {
    return new GroupsPicture(host, gpus, plan, ids).draw();
  }

  private List<Card> cards() {
    Map<Integer, State> state = new LinkedHashMap<>();
    Map<Integer, Set<String>> reasons = new LinkedHashMap<>();
    Set<String> ungroupedReasons = new LinkedHashSet<>();
    State ungroupedState = State.NORMAL;
    for (GpuCandidate g : gpus) {
      if (g.passable()) continue;
      // the boot VGA drives the host's display: host plan/apply refuse it unasked, so it is not "passable after prep"
      State s = hostDisplay(g) ? State.HOST : g.plannable() ? State.PENDING : State.BLOCKED;
      if (g.groups().isEmpty()) {
        ungroupedReasons.addAll(g.reasons().stream().map(r -> g.address() + ": " + r).toList());
        ungroupedState = worse(ungroupedState, s);
        continue;
      }
      for (int id : g.groups()) {
        state.merge(id, s, GroupsPicture::worse);
        if (s == State.HOST) continue; // what keeps it from a guest today does not matter: it stays anyway
        reasons.computeIfAbsent(id, k -> new LinkedHashSet<>())
            .addAll(g.reasons().stream().map(r -> "GPU " + g.address() + ": " + r).toList());
      }
    }
    List<Card> cards = new ArrayList<>();
    Set<PciAddress> drawn = new TreeSet<>();
    List<IommuGroup> groups = new ArrayList<>(host.iommuGroups());
    // the chosen card's group first: it is what the reader came for; the others in id order
    groups.sort(Comparator.comparingInt((IommuGroup g) -> g.members().stream().anyMatch(chosen::contains) ? 0 : 1)
        .thenComparingInt(IommuGroup::id));
    for (IommuGroup g : groups) {
      List<PciAddress> endpoints = new ArrayList<>();
      List<PciAddress> bridges = new ArrayList<>();
      for (PciAddress m : new TreeSet<>(g.members())) {
        if (!drawn.add(m)) continue;
        PciDevice d = devices.get(m);
        (d != null && d.isBridge() ? bridges : endpoints).add(m);
      }
      State s = state.getOrDefault(g.id(), State.NORMAL);
      if (s == State.NORMAL && g.members().stream().anyMatch(guest::contains)) s = State.GUEST;
      String title = "group " + g.id() + (host.iommu().groupsPredicted() ? " (predicted)" : "");
      cards.add(new Card(title, g.id(), s, List.copyOf(reasons.getOrDefault(g.id(), Set.of())), endpoints,
          bridges));
    }
    List<PciAddress> endpoints = new ArrayList<>();
    List<PciAddress> bridges = new ArrayList<>();
    for (PciDevice d : host.pciDevices()) {
      if (drawn.contains(d.address())) continue;
      drawn.add(d.address());
      (d.isBridge() ? bridges : endpoints).add(d.address());
    }
    if (!endpoints.isEmpty() || !bridges.isEmpty()) {
      endpoints.sort(null);
      bridges.sort(null);
      cards.add(new Card("no IOMMU group", null, ungroupedState, List.copyOf(ungroupedReasons), endpoints, bridges));
    }
    return cards;
  }

  /** A card that could go but drives the host's display, and the plan did not choose it. */
  private boolean hostDisplay(GpuCandidate g) {
    return g.plannable() && Boolean.TRUE.equals(g.bootVga()) && !chosen.contains(g.address());
  }

  private static State worse(State a, State b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private Picture draw() {
    List<Card> cards = cards();
    int columns = Math.max(1, Math.min(MAX_COLUMNS, cards.size()));
    double width = 2 * MARGIN + columns * CARD_W + (columns - 1) * GAP;
    width = Math.max(width, 2 * MARGIN + 2 * CARD_W + GAP);
    double inner = width - 2 * MARGIN;
    Svg svg = new Svg();
    double y = MARGIN;
    int endpointCount = (int) host.pciDevices().stream().filter(d -> !d.isBridge()).count();
    String title = "IOMMU groups: " + host.iommuGroups().size() + " groups, " + host.pciDevices().size()
        + " PCI functions (" + endpointCount + " endpoints, " + (host.pciDevices().size() - endpointCount)
        + " bridges)";
    for (String l : Svg.wrap(title, inner, 14, 2)) {
      svg.text(MARGIN, y, inner, l, 14, INK, true);
      y += 19;
    }
    List<String> subs = new ArrayList<>();
    if (host.iommu().groupsPredicted()) {
      subs.add("The IOMMU is off: groups are predicted from the PCI topology (real groups can only be smaller).");
    } else if (!host.iommu().active()) {
      subs.add("The IOMMU is off and no groups could be predicted.");
    }
    if (host.iommu().acsOverride() != null) {
      subs.add("pcie_acs_override=" + host.iommu().acsOverride() + " is on: the kernel splits groups the hardware "
          + "does not isolate.");
    }
    if (plan != null) {
      subs.add("Guest GPU " + plan.gpu().address() + ": " + plan.hostdevs().size() + " function"
          + (plan.hostdevs().size() == 1 ? "" : "s") + " go to the VM.");
    }
    for (String s : subs) {
      for (String l : Svg.wrap(s, inner, NORMAL, 3)) {
        svg.text(MARGIN, y, inner, l, NORMAL, MUTED, false);
        y += 15;
      }
    }
    y += 4;
    y += Legend.draw(svg, legend(cards), MARGIN, y, inner);
    y += 6;

    // rows in group order, so group n is easy to find; a row is as tall as its tallest card
    double bottom = y;
    for (int i = 0; i < cards.size(); i += columns) {
      double rowH = 0;
      for (int col = 0; col < columns && i + col < cards.size(); col++) {
        rowH = Math.max(rowH, card(svg, cards.get(i + col), MARGIN + col * (CARD_W + GAP), y));
      }
      bottom = y + rowH;
      y = bottom + GAP;
    }
    return Picture.of(svg, width, bottom + MARGIN, "IOMMU groups of " + host.source());
  }

  private static List<Legend.Entry> legend(List<Card> cards) {
    List<Legend.Entry> out = new ArrayList<>(List.of(
        new Legend.Entry("#bbf7d0", GREEN, null, "the guest's GPU"),
        new Legend.Entry("#ecfdf5", GREEN, null, "goes to the guest with it"),
        new Legend.Entry("#fee2e2", RED, null, "group keeps a GPU from a VM"),
        new Legend.Entry("#fef3c7", AMBER, null, "passable after host prep")));
    if (cards.stream().anyMatch(c -> c.state() == State.HOST)) {
      out.add(new Legend.Entry("#e0e7ff", INDIGO, null, "the host's display (stays with the host)"));
    }
    out.add(new Legend.Entry("#f9fafb", "#9ca3af", "4 2", "bridge (stays with the host)"));
    return out;
  }

  /** Draws a card at (x, y) and returns its height. */
  private double card(Svg svg, Card c, double x, double y) {
    // measure with a throwaway canvas, then draw the frame first and the content over it
    double h = content(new Svg(), c, x, y);
    String stroke = switch (c.state()) {
      case BLOCKED -> RED;
      case PENDING -> "#b45309";
      case HOST -> INDIGO;
      case GUEST -> GREEN;
      case NORMAL -> "#9ca3af";
    };
    String band = switch (c.state()) {
      case BLOCKED -> "#fee2e2";
      case PENDING -> "#fef3c7";
      case HOST -> "#e0e7ff";
      case GUEST -> "#dcfce7";
      case NORMAL -> "#f3f4f6";
    };
    svg.open("group", "data-group", c.groupId() == null ? "none" : String.valueOf(c.groupId()), "data-state",
        c.state().name().toLowerCase(Locale.ROOT));
    svg.title(c.title() + (c.reasons().isEmpty() ? "" : ": " + String.join("; ", c.reasons())));
    double sw = c.state() == State.NORMAL ? 1 : 2;
    svg.rect(new Svg.Box(x, y, CARD_W, h), "#ffffff", stroke, sw, 6, null);
    svg.rect(new Svg.Box(x + sw / 2, y + sw / 2, CARD_W - sw, HEADER - sw / 2), band, null, 0, 5, null);
    content(svg, c, x, y);
    svg.close();
    return h;
  }

  private double content(Svg svg, Card c, double x, double y) {
    double iw = CARD_W - 2 * PAD;
    double cx = x + PAD;
    String tag = switch (c.state()) {
      case BLOCKED -> "keeps a GPU from a VM";
      case PENDING -> "passable after host prep";
      case HOST -> "the host's display";
      case GUEST -> "goes to the guest";
      case NORMAL -> "";
    };
    double titleW = svg.text(cx, y + 5, iw, c.title(), 12, INK, true);
    if (!tag.isEmpty()) {
      double room = iw - titleW - Svg.charWidth(SMALL) * 2;
      svg.textRight(cx + iw - room, y + 6, room, tag, SMALL, c.state() == State.GUEST ? GREEN
          : c.state() == State.BLOCKED ? RED : c.state() == State.HOST ? INDIGO : AMBER, true);
    }
    double ty = y + HEADER + 6;
    for (String r : c.reasons()) {
      for (String l : Svg.wrap(r, iw, SMALL, 8)) {
        svg.text(cx, ty, iw, l, SMALL, RED, false);
        ty += LINE;
      }
      ty += 3;
    }
    for (PciAddress a : c.endpoints()) ty = endpoint(svg, a, x, ty) + 4;
    if (!c.bridges().isEmpty()) {
      if (!c.endpoints().isEmpty()) {
        // a group of bridges alone needs no heading: the dashed boxes say it
        svg.text(cx, ty + 1, iw, "bridges (stay with the host)", SMALL, MUTED, false);
        ty += LINE + 2;
      }
      for (PciAddress a : c.bridges()) ty = bridge(svg, a, x, ty) + 4;
    }
    return ty - y + 4;
  }

  private String ids(PciDevice d) {
    return d == null ? "" : d.vendorId() + ":" + d.deviceId();
  }

  /** Draws one endpoint's block, returns its bottom. */
  private double endpoint(Svg svg, PciAddress a, double x, double y) {
    PciDevice d = devices.get(a);
    GpuCandidate gpu = gpuByAddress.get(a);
    boolean isChosen = chosen.contains(a);
    boolean isGuest = guest.contains(a);
    double bx = x + 4;
    double bw = CARD_W - 8;
    double iw = bw - 2 * (PAD - 4);
    double cx = bx + PAD - 4;

    List<String[]> lines = new ArrayList<>(); // {text, size, colour, bold}
    String cls = d == null ? "not read" : ids.className(d.classCode());
    if (d == null) lines.add(new String[] {cls, "10", MUTED, ""});
    if (d != null) {
      for (String l : Svg.wrap(cls + " · " + ids.vendor(d.vendorId()), iw, SMALL, 2)) {
        lines.add(new String[] {l, "10", MUTED, ""});
      }
      for (String l : Svg.wrap(ids.device(d.vendorId(), d.deviceId()), iw, SMALL, 2)) {
        lines.add(new String[] {l, "10", INK, ""});
      }
      if (d.isDisplay() && d.subsystemVendorId() != null && !d.subsystemVendorId().equals("0000")
          && !(d.subsystemVendorId().equals(d.vendorId()) && "0000".equals(d.subsystemDeviceId()))) {
        String sub = ids.subsystemName(d.vendorId(), d.deviceId(), d.subsystemVendorId(), d.subsystemDeviceId());
        String board = sub != null ? sub : ids.vendor(d.subsystemVendorId()) + " " + d.subsystemDeviceId();
        lines.add(new String[] {"board: " + board, "10", MUTED, ""});
      }
    }
    List<String> tags = new ArrayList<>();
    if (isChosen) tags.add("→ guest: the chosen GPU");
    else if (isGuest) tags.add("→ guest, with the GPU");
    if (d != null && Boolean.TRUE.equals(d.bootVga())) tags.add("boot VGA: the host's display");
    boolean hostGpu = gpu != null && !gpu.passable() && hostDisplay(gpu);
    if (gpu != null && !isChosen) {
      tags.add(gpu.passable() ? "GPU: can be passed" : hostGpu ? "GPU: stays with the host (--allow-host-display)"
          : gpu.plannable() ? "GPU: passable after host prep" : "GPU: cannot be passed");
    }
    String tagColour = isGuest || gpu != null && gpu.passable() ? GREEN
        : hostGpu ? INDIGO : gpu != null && !gpu.plannable() ? RED : AMBER;
    if (!tags.isEmpty()) {
      for (String l : Svg.wrap(String.join("; ", tags), iw, SMALL, 2)) lines.add(new String[] {l, "10", tagColour, "b"});
    }
    double h = 4 + 15 + lines.size() * LINE + 3;

    String fill = isChosen ? "#bbf7d0" : isGuest ? "#ecfdf5" : "#ffffff";
    String stroke = isGuest ? GREEN : "#d1d5db";
    svg.open("dev endpoint", "data-addr", a.toString(), "data-guest", isChosen ? "gpu" : isGuest ? "yes" : "no");
    svg.title(a + " " + ids(d) + " " + (d == null ? "" : ids.className(d.classCode()) + ": "
        + ids.vendor(d.vendorId()) + " " + ids.device(d.vendorId(), d.deviceId())
        + " (driver " + (d.driver() == null ? "none" : d.driver()) + ")"));
    svg.rect(new Svg.Box(bx, y, bw, h), fill, stroke, isChosen ? 2 : 1, 4, null);
    double ty = y + 4;
    double used = svg.text(cx, ty, iw, a.toString(), NORMAL, INK, true);
    double idw = 0;
    if (d != null) idw = svg.text(cx + used + Svg.charWidth(NORMAL), ty, iw - used - Svg.charWidth(NORMAL), ids(d),
        NORMAL, MUTED, false);
    double left = used + idw + 2 * Svg.charWidth(NORMAL);
    String driver = d == null ? "" : d.driver() == null ? "no driver" : d.driver();
    if (iw - left > 0) svg.textRight(cx + left, ty + 1, iw - left, driver, SMALL, d != null && d.driver() == null
        ? MUTED : INK, d != null && d.driver() != null);
    ty += 15;
    for (String[] l : lines) {
      svg.text(cx, ty, iw, l[0], Double.parseDouble(l[1]), l[2], !l[3].isEmpty());
      ty += LINE;
    }
    svg.close();
    return y + h;
  }

  private double bridge(Svg svg, PciAddress a, double x, double y) {
    PciDevice d = devices.get(a);
    double bx = x + 4;
    double bw = CARD_W - 8;
    double iw = bw - 2 * (PAD - 4);
    double cx = bx + PAD - 4;
    double h = 4 + 14 + LINE + 3;
    svg.open("dev bridge", "data-addr", a.toString(), "data-guest", "no");
    svg.title(a + " " + ids(d) + " " + (d == null ? "" : ids.className(d.classCode()) + ": "
        + ids.vendor(d.vendorId()) + " " + ids.device(d.vendorId(), d.deviceId())));
    svg.rect(new Svg.Box(bx, y, bw, h), "#f9fafb", "#9ca3af", 1, 4, "4 2");
    double ty = y + 4;
    double used = svg.text(cx, ty, iw, a.toString(), SMALL, INK, true);
    double idw = 0;
    if (d != null) idw = svg.text(cx + used + Svg.charWidth(SMALL), ty, iw - used - Svg.charWidth(SMALL), ids(d),
        SMALL, MUTED, false);
    double left = used + idw + 2 * Svg.charWidth(SMALL);
    String driver = d == null || d.driver() == null ? "" : d.driver();
    if (iw - left > 0 && !driver.isEmpty()) svg.textRight(cx + left, ty, iw - left, driver, SMALL, INK, false);
    ty += 14;
    String what = d == null ? "not read" : ids.className(d.classCode()) + " · " + ids.device(d.vendorId(),
        d.deviceId());
    svg.text(cx, ty, iw, what, SMALL, MUTED, false);
    svg.close();
    return y + h;
  }
}
