package io.vgapass.report;

import io.vgapass.host.Cpu;
import io.vgapass.host.CoreType;
import io.vgapass.host.CpuList;
import io.vgapass.host.CpuTopology;
import io.vgapass.host.Host;
import io.vgapass.host.HugePagePool;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The CPU map: packages holding NUMA nodes holding L3 domains holding cores holding their
 * hardware threads, each box flowed and wrapped at the width it gets (a 4-thread desktop is one
 * small row, a 256-thread server a few rows per L3). Threads are coloured by what the plan gives
 * them: vCPU n, QEMU's emulator and I/O thread, or the host.
 */
final class CpuPicture {
  static final double MARGIN = 12;
  static final double MAX_WIDTH = 2 * GroupsPicture.MARGIN + 3 * GroupsPicture.CARD_W + 2 * GroupsPicture.GAP;
  static final double MIN_WIDTH = 560;
  static final double CELL_W = 40;
  static final double CELL_H = 30;

  /** What a host CPU is for in the plan. */
  enum Role {
    VCPU("#93c5fd", "#1d4ed8", "vCPU n (pinned 1:1)"),
    EMULATOR("#fdba74", "#c2410c", "QEMU emulator thread"),
    IOTHREAD("#c4b5fd", "#6d28d9", "I/O thread"),
    EMULATOR_IO("#f9a8d4", "#be185d", "emulator and I/O thread"),
    HOST("#e5e7eb", "#6b7280", "left to the host"),
    UNPLANNED("#f9fafb", "#9ca3af", "no plan");

    final String fill;
    final String stroke;
    final String meaning;

    Role(String fill, String stroke, String meaning) {
      this.fill = fill;
      this.stroke = stroke;
      this.meaning = meaning;
    }
  }

  private static final Frame.Style PACKAGE = new Frame.Style("#ffffff", "#374151", 1.5, null, 12, true, "#111827");
  private static final Frame.Style NODE = new Frame.Style("#f8fafc", "#64748b", 1, null, 11, true, "#111827");
  private static final Frame.Style L3 = new Frame.Style("#f1f5f9", "#94a3b8", 1, "5 3", 10, false, "#1f2937");
  private static final Frame.Style CORE = new Frame.Style("#ffffff", "#9ca3af", 1, null, 9, false, "#374151");
  private static final Frame.Style ECORE = new Frame.Style("#ffffff", "#9ca3af", 1, "3 2", 9, false, "#374151");

  private final Host host;
  private final Plan plan;
  private final Map<Integer, Integer> vcpuOf = new HashMap<>();
  private final Set<Integer> emulator = new TreeSet<>();
  private final Set<Integer> iothread = new TreeSet<>();

  private CpuPicture(Host host, Plan plan) {
    this.host = host;
    this.plan = plan;
    if (plan != null) {
      CpuPlan c = plan.cpu();
      for (int i = 0; i < c.vcpuToCpu().size(); i++) vcpuOf.put(c.vcpuToCpu().get(i), i);
      emulator.addAll(c.emulatorCpus());
      iothread.addAll(c.iothreadCpus());
    }
  }

  static Picture draw(Host host, Plan plan, String planRefusal) {
    return new CpuPicture(host, plan).draw(planRefusal);
  }

  Role role(int cpu) {
    if (plan == null) return Role.UNPLANNED;
    if (vcpuOf.containsKey(cpu)) return Role.VCPU;
    boolean e = emulator.contains(cpu);
    boolean io = iothread.contains(cpu);
    if (e && io) return Role.EMULATOR_IO;
    if (e) return Role.EMULATOR;
    if (io) return Role.IOTHREAD;
    return Role.HOST;
  }

  private Picture draw(String planRefusal) {
    CpuTopology t = host.cpu();
    List<Frame> packages = packages(t);
    double maxInner = MAX_WIDTH - 2 * MARGIN;
    // lay out the packages as one flow, to see how wide the picture must be
    Frame all = new Frame("packages", new String[0], null, List.of(), packages,
        new Frame.Style(null, null, 0, null, 10, false, "#000"), 0, 12);
    all.measure(maxInner);
    double width = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, all.w + 2 * MARGIN));
    double inner = width - 2 * MARGIN;

    Svg svg = new Svg();
    double y = MARGIN;
    String title = "CPUs: " + t.model() + " · " + t.packageCount() + " package" + (t.packageCount() == 1 ? "" : "s")
        + ", " + t.nodes().size() + " NUMA node" + (t.nodes().size() == 1 ? "" : "s") + ", " + t.coreCount()
        + " cores, " + t.cpus().size() + " threads" + (t.hybrid() ? " (hybrid: P- and E-cores)" : "");
    for (String l : Svg.wrap(title, inner, 14, 2)) {
      svg.text(MARGIN, y, inner, l, 14, "#111827", true);
      y += 19;
    }
    List<String> subs = new ArrayList<>();
    if (plan != null) {
      CpuPlan c = plan.cpu();
      subs.add("Plan " + plan.name() + ": " + c.vcpus() + " vCPUs as " + c.guestTopology().sockets() + " socket × "
          + c.guestTopology().cores() + " cores × " + c.guestTopology().threads() + " threads on CPUs "
          + CpuList.format(c.vcpuToCpu()) + "; emulator " + list(c.emulatorCpus()) + "; I/O thread "
          + list(c.iothreadCpus()) + "; the host keeps " + list(c.hostCpus())
          + (c.numaNode() == null || host.cpu().nodes().size() < 2 ? "" : "; NUMA node " + c.numaNode()));
      subs.add("Guest memory " + mib(plan.memoryKiB()) + (plan.hugepages().enabled() ? " on " + plan.hugepages().count()
          + " × " + pageSize(plan.hugepages().sizeKiB()) + " huge pages"
          + (plan.hugepages().node() == null ? "" : " from node " + plan.hugepages().node()) : " (no huge pages)"));
    } else {
      subs.add("No plan" + (planRefusal == null ? "" : ": " + planRefusal));
    }
    for (String s : subs) {
      for (String l : Svg.wrap(s, inner, 11, 4)) {
        svg.text(MARGIN, y, inner, l, 11, "#374151", false);
        y += 15;
      }
    }
    y += 4;
    y += Legend.draw(svg, legend(), MARGIN, y, inner);
    y += 6;
    all.measure(inner);
    all.draw(svg, MARGIN, y);
    y += all.h;
    return Picture.of(svg, width, y + MARGIN, "CPU map of " + host.source());
  }

  private List<Legend.Entry> legend() {
    List<Legend.Entry> out = new ArrayList<>();
    if (plan == null) {
      out.add(new Legend.Entry(Role.UNPLANNED.fill, Role.UNPLANNED.stroke, null, "thread (no plan)"));
    } else {
      out.add(new Legend.Entry(Role.VCPU.fill, Role.VCPU.stroke, null, "v3 = vCPU 3"));
      for (Role r : List.of(Role.EMULATOR, Role.IOTHREAD, Role.EMULATOR_IO, Role.HOST)) {
        if (r == Role.EMULATOR_IO && emulator.stream().noneMatch(iothread::contains)) continue;
        out.add(new Legend.Entry(r.fill, r.stroke, null, label(r, 0) + " = " + r.meaning));
      }
    }
    if (host.cpu().hybrid()) {
      out.add(new Legend.Entry("#ffffff", "#9ca3af", null, "P = performance core"));
      out.add(new Legend.Entry("#ffffff", "#9ca3af", "3 2", "E = efficient core"));
    }
    out.add(new Legend.Entry(L3.fill(), L3.stroke(), L3.dash(), "L3 cache domain"));
    return out;
  }

  private List<Frame> packages(CpuTopology t) {
    Map<Integer, List<Cpu>> byPackage = new TreeMap<>();
    for (Cpu c : t.cpus()) byPackage.computeIfAbsent(c.packageId(), k -> new ArrayList<>()).add(c);
    List<Frame> out = new ArrayList<>();
    for (var p : byPackage.entrySet()) {
      Map<Integer, List<Cpu>> byNode = new TreeMap<>();
      for (Cpu c : p.getValue()) byNode.computeIfAbsent(c.node(), k -> new ArrayList<>()).add(c);
      List<Frame> nodes = new ArrayList<>();
      for (var n : byNode.entrySet()) nodes.add(node(n.getKey(), n.getValue()));
      int cores = (int) p.getValue().stream().map(Cpu::coreKey).distinct().count();
      out.add(new Frame("package", new String[] {"data-package", String.valueOf(p.getKey())},
          "package " + p.getKey() + " · " + cores + " cores, " + p.getValue().size() + " threads", List.of(), nodes,
          PACKAGE, 8, 8));
    }
    return out;
  }

  private Frame node(int node, List<Cpu> cpus) {
    Map<Integer, List<Cpu>> byL3 = new LinkedHashMap<>();
    cpus.stream().sorted(Comparator.comparingInt(Cpu::id))
        .forEach(c -> byL3.computeIfAbsent(c.l3(), k -> new ArrayList<>()).add(c));
    List<Frame> children = new ArrayList<>();
    List<Map.Entry<Integer, List<Cpu>>> domains = new ArrayList<>(byL3.entrySet());
    domains.sort(Comparator.comparingInt(e -> e.getValue().get(0).id()));
    for (var d : domains) {
      List<Frame> cores = cores(d.getValue());
      if (d.getKey() < 0) {
        children.addAll(cores); // no L3 known: the cores sit in the node directly
      } else {
        children.add(new Frame("l3", new String[] {"data-l3", String.valueOf(d.getKey())},
            "L3 · CPUs " + CpuList.format(d.getValue().stream().map(Cpu::id).toList()), List.of(), cores, L3, 6, 4));
      }
    }
    List<String> subs = new ArrayList<>();
    subs.add("huge pages: " + hugepages(node));
    if (plan != null && plan.hugepages().enabled() && plan.hugepages().node() != null
        && plan.hugepages().node() == node) {
      subs.add("guest: " + plan.hugepages().count() + " × " + pageSize(plan.hugepages().sizeKiB()) + " from here");
    }
    return new Frame("node", new String[] {"data-node", String.valueOf(node)}, "NUMA node " + node, subs, children,
        NODE, 7, 6);
  }

  private String hugepages(int node) {
    List<HugePagePool> pools = host.memory().hugePages().stream()
        .filter(p -> p.node() != null && p.node() == node).toList();
    String scope = "";
    if (pools.isEmpty()) {
      pools = host.memory().global();
      scope = host.cpu().nodes().size() == 1 ? "" : " host-wide (no per-node counts)";
    }
    if (pools.isEmpty()) return "unknown";
    return pools.stream().sorted(Comparator.comparingLong(HugePagePool::sizeKiB))
        .map(p -> pageSize(p.sizeKiB()) + " " + p.free() + "/" + p.total() + " free")
        .collect(Collectors.joining(", ")) + scope;
  }

  private List<Frame> cores(List<Cpu> cpus) {
    Map<String, List<Cpu>> byCore = new LinkedHashMap<>();
    for (Cpu c : cpus) byCore.computeIfAbsent(c.coreKey(), k -> new ArrayList<>()).add(c);
    List<Frame> out = new ArrayList<>();
    for (List<Cpu> threads : byCore.values()) {
      threads.sort(Comparator.comparingInt(Cpu::id));
      Cpu first = threads.get(0);
      String type = first.type() == CoreType.PERFORMANCE ? " P" : first.type() == CoreType.EFFICIENT ? " E" : "";
      List<Frame> cells = new ArrayList<>();
      for (Cpu c : threads) cells.add(new Cell(c.id(), role(c.id()), vcpuOf.get(c.id())));
      out.add(new Frame("core", new String[] {"data-core", first.coreKey(), "data-type",
          first.type().name().toLowerCase(Locale.ROOT)}, "core " + first.core() + type, List.of(), cells,
          first.type() == CoreType.EFFICIENT ? ECORE : CORE, 3, 2)
          .tooltip("core " + first.coreKey() + (type.isEmpty() ? "" : type) + ": CPUs "
              + CpuList.format(threads.stream().map(Cpu::id).toList())));
    }
    return out;
  }

  static String label(Role r, int vcpu) {
    return switch (r) {
      case VCPU -> "v" + vcpu;
      case EMULATOR -> "emu";
      case IOTHREAD -> "io";
      case EMULATOR_IO -> "emu+io";
      case HOST -> "host";
      case UNPLANNED -> "";
    };
  }

  /** One hardware thread: its CPU number and what it is for. */
  private static final class Cell extends Frame {
    private final int cpu;
    private final Role role;
    private final Integer vcpu;

    Cell(int cpu, Role role, Integer vcpu) {
      super("cpu", vcpu == null
              ? new String[] {"data-cpu", String.valueOf(cpu), "data-role", role.name().toLowerCase(Locale.ROOT)}
              : new String[] {"data-cpu", String.valueOf(cpu), "data-role", "vcpu", "data-vcpu", String.valueOf(vcpu)},
          null, List.of(), List.of(), CORE, 0, 0);
      this.cpu = cpu;
      this.role = role;
      this.vcpu = vcpu;
    }

    @Override
    void measure(double maxW) {
      w = CELL_W;
      h = CELL_H;
    }

    @Override
    void draw(Svg svg, double x, double y) {
      svg.open(cssClass, data);
      svg.title("CPU " + cpu + ": " + (role == Role.VCPU ? "vCPU " + vcpu : role.meaning));
      svg.rect(new Svg.Box(x, y, w, h), role.fill, role.stroke, role == Role.VCPU ? 1.5 : 1, 3, null);
      svg.text(x + 3, y + 3, w - 6, String.valueOf(cpu), 10, "#111827", true);
      String l = label(role, vcpu == null ? 0 : vcpu);
      if (!l.isEmpty()) svg.text(x + 3, y + 16, w - 6, l, 9, "#1f2937", role == Role.VCPU);
      svg.close();
    }
  }

  private static String list(List<Integer> cpus) {
    return cpus.isEmpty() ? "none" : CpuList.format(cpus);
  }

  static String pageSize(long kib) {
    return kib >= 1024 * 1024 ? kib / (1024 * 1024) + " GiB" : kib >= 1024 ? kib / 1024 + " MiB" : kib + " KiB";
  }

  static String mib(long kib) {
    return kib % (1024 * 1024) == 0 ? kib / (1024 * 1024) + " GiB" : kib / 1024 + " MiB";
  }
}
