package io.vgapass.host.sketch;

import io.vgapass.host.CpuList;
import io.vgapass.host.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Materialises a {@link HostSketch} as a sysfs/procfs/etc tree under a directory. */
public final class SketchWriter {
  private final Path root;
  private final List<SketchCpu> cpus = new ArrayList<>();
  private final Map<PciAddress, HostSketch.Directive> pci = new LinkedHashMap<>();
  private final List<String> cpuFlags = new ArrayList<>();
  private final List<String> mounts = new ArrayList<>();
  private String cpuModel = "Unknown CPU";
  private String cpuVendor = "GenuineIntel";
  private String iommu = "off";
  private boolean remap;

  /** l3=none: the CPU has no level 3 cache (Core 2, AMD Trinity/Richland APUs): no cache/index3. */
  private static final int NO_L3 = -3;

  /** No l3= on a cpu line: the CPU shares one L3 with its whole package. */
  private static final int L3_OF_PACKAGE = -2;

  /** A CPU as the sketch places it. */
  record SketchCpu(int id, int pkg, int die, int core, int l3, int node, String type, Long maxFreq) {
    /** The key of the CPUs that share this CPU's L3: its package's when the sketch named no L3 domain. */
    int l3Group() {
      return l3 == L3_OF_PACKAGE ? pkg * 100000 : l3;
    }

    boolean hasL3() {
      return l3 != NO_L3;
    }
  }

  private SketchWriter(Path root) {
    this.root = root;
  }

  /** Writes the sketch under {@code root} (created if needed) and returns root. */
  public static Path write(HostSketch sketch, Path root) throws IOException {
    Files.createDirectories(root);
    SketchWriter w = new SketchWriter(root);
    for (HostSketch.Directive d : sketch.directives()) {
      try {
        w.apply(d);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(sketch.name() + ": line " + d.line() + ": " + e.getMessage(), e);
      }
    }
    w.finish();
    return root;
  }

  private void apply(HostSketch.Directive d) throws IOException {
    switch (d.verb()) {
      case "source" -> text("etc/vgapass-sketch-source", d.word(0) + "\n");
      case "os" -> text("etc/os-release", String.join("\n", d.words()) + "\n");
      case "kernel" -> text("proc/sys/kernel/osrelease", d.word(0) + "\n");
      case "cmdline" -> text("proc/cmdline", d.word(0) + "\n");
      case "modules" -> {
        StringBuilder b = new StringBuilder();
        for (String m : d.words()) b.append(m).append(" 16384 0 - Live 0x0000000000000000\n");
        text("proc/modules", b.toString());
        for (String m : d.words()) Files.createDirectories(root.resolve("sys/module/" + m));
      }
      case "cpu-model" -> cpuModel = d.word(0);
      case "cpu-vendor" -> cpuVendor = d.word(0);
      case "cpu-flags" -> cpuFlags.addAll(d.words());
      case "topology" -> topology(d);
      case "cpu" -> cpus.add(new SketchCpu(Integer.parseInt(d.word(0)), num(d, "package", 0), num(d, "die", 0),
          num(d, "core", 0), "none".equals(d.option("l3", null)) ? NO_L3 : num(d, "l3", L3_OF_PACKAGE), num(d, "node", 0),
          d.option("type", null),
          d.options().containsKey("maxfreq") ? Long.parseLong(d.option("maxfreq", "0")) : null));
      case "memory" -> memory(d);
      case "hugepages" -> hugepages(d);
      case "iommu" -> {
        iommu = d.word(0);
        remap = d.option("remap", "yes").equals("yes");
      }
      case "pci" -> pci.put(PciAddress.parse(d.word(0)), d);
      case "file" -> text(d.word(0), d.body());
      case "touch" -> {
        for (String p : d.words()) text(p, "");
      }
      case "dir" -> {
        for (String p : d.words()) Files.createDirectories(root.resolve(p));
      }
      case "link" -> {
        Path link = root.resolve(d.word(0));
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(d.word(1)));
      }
      case "disk" -> disk(d);
      case "nic" -> nic(d);
      case "mount" -> mounts.add(String.join(" ", d.words()) + " 0 0");
      default -> throw new IllegalArgumentException("unknown directive '" + d.verb() + "'");
    }
  }

  /** Expands packages × dies × cores × threads, with Intel ("spread") or AMD ("adjacent") numbering. */
  private void topology(HostSketch.Directive d) {
    int packages = num(d, "packages", 1);
    int cores = num(d, "cores", 1); // per package
    int threads = num(d, "threads", 1);
    int nodes = num(d, "nodes", 1);
    boolean noL3 = d.option("l3", "package").equals("none");
    int coresPerL3 = d.option("l3", "package").equals("package") || noL3 ? cores : num(d, "l3", cores);
    boolean spread = d.option("numbering", "spread").equals("spread");
    int totalCores = packages * cores;
    for (int p = 0; p < packages; p++) {
      for (int c = 0; c < cores; c++) {
        int globalCore = p * cores + c;
        int node = globalCore * nodes / totalCores;
        for (int t = 0; t < threads; t++) {
          int id = spread ? t * totalCores + globalCore : globalCore * threads + t;
          int l3Group = p * cores + (c / coresPerL3) * coresPerL3; // first global core of the L3
          int l3 = spread ? l3Group : l3Group * threads;
          cpus.add(new SketchCpu(id, p, 0, c, noL3 ? NO_L3 : l3, node, null, null));
        }
      }
    }
  }

  private void memory(HostSketch.Directive d) throws IOException {
    long kib = SizeParser.kib(d.word(0));
    long avail = d.options().containsKey("available") ? SizeParser.kib(d.option("available", "0")) : kib * 8 / 10;
    text("proc/meminfo", String.format(Locale.ROOT,
        "MemTotal:       %d kB%nMemFree:        %d kB%nMemAvailable:   %d kB%n", kib, avail, avail));
  }

  private void hugepages(HostSketch.Directive d) throws IOException {
    long kib = SizeParser.kib(d.word(0));
    String base = d.options().containsKey("node")
        ? "sys/devices/system/node/node" + d.option("node", "0") + "/hugepages"
        : "sys/kernel/mm/hugepages";
    String dir = base + "/hugepages-" + kib + "kB/";
    text(dir + "nr_hugepages", d.option("total", "0") + "\n");
    text(dir + "free_hugepages", d.option("free", d.option("total", "0")) + "\n");
  }

  /** disk NAME SIZE [rotational=0|1] [model=TEXT]: a whole disk in sys/block and a node in dev. */
  private void disk(HostSketch.Directive d) throws IOException {
    String base = "sys/block/" + d.word(0) + "/";
    text(base + "size", SizeParser.kib(d.word(1)) * 2 + "\n");
    text(base + "queue/rotational", d.option("rotational", "0") + "\n");
    if (d.options().containsKey("model")) text(base + "device/model", d.option("model", "") + "\n");
    text("dev/" + d.word(0), "");
  }

  /**
   * nic NAME MAC [default=yes] [virtual=yes] [wireless=yes]: an interface in sys/class/net, optionally the default
   * route; a wireless one has the wireless and phy80211 entries the kernel gives a Wi-Fi NIC.
   */
  private void nic(HostSketch.Directive d) throws IOException {
    String base = "sys/class/net/" + d.word(0) + "/";
    text(base + "address", d.word(1) + "\n");
    if (!d.option("virtual", "no").equals("yes")) Files.createDirectories(root.resolve(base + "device"));
    if (d.option("wireless", "no").equals("yes")) {
      Files.createDirectories(root.resolve(base + "wireless"));
      Files.createDirectories(root.resolve(base + "phy80211"));
    }
    if (d.option("default", "no").equals("yes")) {
      text("proc/net/route", "Iface\tDestination\tGateway \tFlags\n" + d.word(0) + "\t00000000\t0101A8C0\t0003\n");
    }
  }

  private void finish() throws IOException {
    writeCpus();
    writePci();
    if (!iommu.equals("off")) {
      Files.createDirectories(root.resolve("sys/class/iommu/" + (iommu.equals("amd") ? "ivhd0" : "dmar0")));
    }
    if (!Files.exists(root.resolve("proc/interrupts"))) {
      String kind = !iommu.equals("off") && remap ? "IR-PCI-MSI" : "PCI-MSI";
      text("proc/interrupts", "           CPU0\n 24:          0   " + kind + " 327680-edge      xhci_hcd\n");
    }
    if (!mounts.isEmpty()) text("proc/mounts", String.join("\n", mounts) + "\n");
  }

  private void writeCpus() throws IOException {
    if (cpus.isEmpty()) return;
    TreeMap<Integer, List<Integer>> byNode = new TreeMap<>();
    Map<String, List<Integer>> byCore = new LinkedHashMap<>();
    Map<Integer, List<Integer>> byL3 = new LinkedHashMap<>();
    List<Integer> ids = new ArrayList<>();
    for (SketchCpu c : cpus) {
      ids.add(c.id());
      byNode.computeIfAbsent(c.node(), k -> new ArrayList<>()).add(c.id());
      byCore.computeIfAbsent(c.pkg() + "/" + c.die() + "/" + c.core(), k -> new ArrayList<>()).add(c.id());
      byL3.computeIfAbsent(c.l3Group(), k -> new ArrayList<>()).add(c.id());
    }
    String base = "sys/devices/system/cpu/";
    text(base + "online", CpuList.format(ids) + "\n");
    text(base + "possible", CpuList.format(ids) + "\n");
    StringBuilder cpuinfo = new StringBuilder();
    List<Integer> pCores = new ArrayList<>();
    List<Integer> eCores = new ArrayList<>();
    for (SketchCpu c : cpus) {
      String t = base + "cpu" + c.id() + "/topology/";
      List<Integer> siblings = byCore.get(c.pkg() + "/" + c.die() + "/" + c.core());
      text(t + "physical_package_id", c.pkg() + "\n");
      text(t + "die_id", c.die() + "\n");
      text(t + "core_id", c.core() + "\n");
      text(t + "thread_siblings_list", CpuList.format(siblings) + "\n");
      text(t + "core_cpus_list", CpuList.format(siblings) + "\n");
      if (c.hasL3()) {
        text(base + "cpu" + c.id() + "/cache/index3/level", "3\n");
        text(base + "cpu" + c.id() + "/cache/index3/shared_cpu_list", CpuList.format(byL3.get(c.l3Group())) + "\n");
      }
      if (c.maxFreq() != null) text(base + "cpu" + c.id() + "/cpufreq/cpuinfo_max_freq", c.maxFreq() + "\n");
      if ("P".equals(c.type())) pCores.add(c.id());
      if ("E".equals(c.type())) eCores.add(c.id());
      cpuinfo.append("processor\t: ").append(c.id()).append('\n')
          .append("vendor_id\t: ").append(cpuVendor).append('\n')
          .append("model name\t: ").append(cpuModel).append('\n')
          .append("physical id\t: ").append(c.pkg()).append('\n')
          .append("core id\t\t: ").append(c.core()).append('\n')
          .append("flags\t\t: ").append(String.join(" ", cpuFlags)).append("\n\n");
    }
    text("proc/cpuinfo", cpuinfo.toString());
    for (Map.Entry<Integer, List<Integer>> e : byNode.entrySet()) {
      text("sys/devices/system/node/node" + e.getKey() + "/cpulist", CpuList.format(e.getValue()) + "\n");
    }
    if (!pCores.isEmpty()) text("sys/devices/cpu_core/cpus", CpuList.format(pCores) + "\n");
    if (!eCores.isEmpty()) text("sys/devices/cpu_atom/cpus", CpuList.format(eCores) + "\n");
  }

  private void writePci() throws IOException {
    Map<PciAddress, Path> dirs = new LinkedHashMap<>();
    for (PciAddress a : pci.keySet()) dirs.put(a, pciDir(a, dirs));
    for (Map.Entry<PciAddress, HostSketch.Directive> e : pci.entrySet()) {
      PciAddress a = e.getKey();
      HostSketch.Directive d = e.getValue();
      Path dir = dirs.get(a);
      Files.createDirectories(dir);
      String[] ids = d.word(1).split(":");
      if (ids.length != 2) throw new IllegalArgumentException("pci ids must be VVVV:DDDD, not " + d.word(1));
      String[] sub = d.option("sub", ids[0] + ":0000").split(":");
      write(dir.resolve("vendor"), "0x" + ids[0] + "\n");
      write(dir.resolve("device"), "0x" + ids[1] + "\n");
      write(dir.resolve("subsystem_vendor"), "0x" + sub[0] + "\n");
      write(dir.resolve("subsystem_device"), "0x" + sub[1] + "\n");
      write(dir.resolve("class"), "0x" + d.option("class", "000000") + "\n");
      write(dir.resolve("revision"), "0x" + d.option("rev", "00") + "\n");
      write(dir.resolve("driver_override"), d.option("override", "(null)") + "\n");
      write(dir.resolve("numa_node"), d.option("numa", "-1") + "\n");
      if (d.options().containsKey("boot_vga")) write(dir.resolve("boot_vga"), d.option("boot_vga", "0") + "\n");
      if (d.options().containsKey("reset")) {
        write(dir.resolve("reset_method"), d.option("reset", "").replace(',', ' ') + "\n");
      }
      Files.write(dir.resolve("config"), config(d, ids, sub, multifunction(a)));
      if (d.options().containsKey("rom")) Files.write(dir.resolve("rom"), RomImages.of(d.option("rom", "")));
      Path link = root.resolve("sys/bus/pci/devices/" + a);
      symlink(link, dir);
      if (d.options().containsKey("driver")) {
        Path drv = root.resolve("sys/bus/pci/drivers/" + d.option("driver", ""));
        Files.createDirectories(drv);
        symlink(dir.resolve("driver"), drv);
        symlink(drv.resolve(a.toString()), dir);
      }
      if (!iommu.equals("off") && d.options().containsKey("group")) {
        Path group = root.resolve("sys/kernel/iommu_groups/" + d.option("group", ""));
        Files.createDirectories(group.resolve("devices"));
        symlink(group.resolve("devices/" + a), dir);
        symlink(dir.resolve("iommu_group"), group);
      }
    }
  }

  private boolean multifunction(PciAddress a) {
    return pci.keySet().stream().anyMatch(o -> o.sameSlot(a) && o.function() != 0);
  }

  /** The first 64 bytes of config space, as lspci reads them: ids, class, header type, subsystem. */
  private static byte[] config(HostSketch.Directive d, String[] ids, String[] sub, boolean multifunction) {
    byte[] c = new byte[64];
    int cls = Integer.parseInt(d.option("class", "000000"), 16);
    le16(c, 0, Integer.parseInt(ids[0], 16));
    le16(c, 2, Integer.parseInt(ids[1], 16));
    c[8] = (byte) Integer.parseInt(d.option("rev", "00"), 16);
    c[9] = (byte) cls;
    c[10] = (byte) (cls >> 8);
    c[11] = (byte) (cls >> 16);
    boolean bridge = (cls >> 8) == 0x0604;
    c[14] = (byte) ((bridge ? 1 : 0) | (multifunction ? 0x80 : 0));
    if (!bridge) {
      le16(c, 0x2c, Integer.parseInt(sub[0], 16));
      le16(c, 0x2e, Integer.parseInt(sub[1], 16));
    }
    return c;
  }

  private static void le16(byte[] b, int i, int v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >> 8);
  }

  /** Devices nest under their parent bridge's directory, as in sysfs. */
  private Path pciDir(PciAddress a, Map<PciAddress, Path> done) {
    if (done.containsKey(a)) return done.get(a);
    HostSketch.Directive d = pci.get(a);
    String parent = d == null ? null : d.options().get("parent");
    Path p;
    if (parent == null || !pci.containsKey(PciAddress.parse(parent))) {
      p = root.resolve(String.format(Locale.ROOT, "sys/devices/pci%04x:%02x/%s", a.domain(),
          parent == null ? a.bus() : PciAddress.parse(parent).bus(), a));
    } else {
      p = pciDir(PciAddress.parse(parent), done).resolve(a.toString());
    }
    done.put(a, p);
    return p;
  }

  private void symlink(Path link, Path target) throws IOException {
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, link.getParent().relativize(target));
  }

  private void text(String relative, String content) throws IOException {
    write(root.resolve(relative), content);
  }

  private static void write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }

  private static int num(HostSketch.Directive d, String key, int fallback) {
    String v = d.options().get(key);
    return v == null ? fallback : Integer.parseInt(v);
  }
}
