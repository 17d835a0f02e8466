package io.vgapass.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads CPU topology from sys/devices/system/cpu and /proc/cpuinfo. */
final class CpuReader {
  private static final Set<String> INTERESTING_FLAGS =
      Set.of("vmx", "svm", "hypervisor", "pdpe1gb", "pse", "constant_tsc", "invtsc", "x2apic", "ht", "topoext");
  private final SysRoot root;

  CpuReader(SysRoot root) {
    this.root = root;
  }

  CpuTopology read() {
    String model = "unknown";
    String vendor = "unknown";
    Set<String> flags = new HashSet<>();
    for (String line : root.lines("proc/cpuinfo")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "model name" -> { if (model.equals("unknown")) model = value; }
        case "vendor_id" -> { if (vendor.equals("unknown")) vendor = value; }
        case "flags" -> {
          for (String f : value.split("\\s+")) if (INTERESTING_FLAGS.contains(f)) flags.add(f);
        }
        default -> { }
      }
    }
    List<Integer> ids = onlineCpus();
    Map<Integer, Integer> nodeOf = nodes();
    Set<Integer> pCores = typedCpus("sys/devices/cpu_core/cpus");
    Set<Integer> eCores = typedCpus("sys/devices/cpu_atom/cpus");
    List<Cpu> cpus = new ArrayList<>();
    Map<Integer, List<Integer>> siblings = new HashMap<>();
    for (int id : ids) {
      String base = "sys/devices/system/cpu/cpu" + id + "/topology/";
      int pkg = intFile(base + "physical_package_id", 0);
      int die = intFile(base + "die_id", 0);
      int core = intFile(base + "core_id", id);
      List<Integer> s = cpuSet(base + "thread_siblings_list", base + "core_cpus_list", base + "thread_siblings",
          base + "core_cpus");
      if (s.contains(id)) siblings.put(id, s);
      CoreType type = eCores.contains(id) ? CoreType.EFFICIENT
          : pCores.contains(id) && !eCores.isEmpty() ? CoreType.PERFORMANCE : CoreType.UNIFORM;
      cpus.add(new Cpu(id, Math.max(pkg, 0), Math.max(die, 0), core, l3Of(id), nodeOf.getOrDefault(id, 0), type));
    }
    cpus = coresFromSiblings(cpus, siblings);
    if (eCores.isEmpty()) cpus = HybridFallback.classify(root, cpus);
    return new CpuTopology(model, vendor, flags, cpus);
  }

  private List<Integer> onlineCpus() {
    try {
      List<Integer> online = root.read("sys/devices/system/cpu/online").map(CpuList::parse).orElse(List.of());
      if (!online.isEmpty()) return online;
    } catch (IllegalArgumentException e) {
      // garbage in "online": fall back to the cpuN directories
    }
    List<Integer> ids = new ArrayList<>();
    for (String n : root.list("sys/devices/system/cpu")) {
      if (n.matches("cpu\\d{1,6}")) ids.add(Integer.parseInt(n.substring(3)));
    }
    ids.sort(null);
    return ids;
  }

  private Map<Integer, Integer> nodes() {
    Map<Integer, Integer> nodeOf = new HashMap<>();
    for (String n : root.list("sys/devices/system/node")) {
      if (!n.matches("node\\d+")) continue;
      Integer node = PciReader.intOrNull(n.substring(4));
      if (node == null) continue;
      String dir = "sys/devices/system/node/" + n + "/";
      List<Integer> cpus = cpuSet(dir + "cpulist", null, dir + "cpumap", null);
      if (cpus.isEmpty()) {
        // very old kernels: only cpuN links inside the node directory
        for (String e : root.list(dir)) {
          if (e.matches("cpu\\d{1,6}")) cpus.add(Integer.parseInt(e.substring(3)));
        }
      }
      for (int cpu : cpus) nodeOf.put(cpu, node);
    }
    return nodeOf;
  }

  /**
   * The kernel's thread_siblings is the authority on which CPUs share a core. When the
   * (package, die, core_id) key disagrees with it, core_id does not identify cores on this host:
   * multi-die packages on kernels without die_id repeat core ids per die (Opteron 6100/6200, and
   * VMware's virtual NUMA), and AMD compute units report two core ids for one pair of siblings.
   * Then each CPU's core becomes the lowest CPU of its thread siblings, so coreKey groups exactly
   * the siblings. Hosts where the two agree (nearly all) keep sysfs core_id.
   */
  private static List<Cpu> coresFromSiblings(List<Cpu> cpus, Map<Integer, List<Integer>> siblings) {
    if (siblings.isEmpty()) return cpus;
    Map<String, List<Integer>> byKey = new HashMap<>();
    for (Cpu c : cpus) byKey.computeIfAbsent(c.coreKey(), k -> new ArrayList<>()).add(c.id());
    Set<Integer> online = new HashSet<>();
    cpus.forEach(c -> online.add(c.id()));
    boolean agree = true;
    for (Cpu c : cpus) {
      List<Integer> s = siblings.get(c.id());
      if (s == null) continue;
      List<Integer> present = s.stream().filter(online::contains).sorted().toList();
      List<Integer> keyed = byKey.get(c.coreKey()).stream().sorted().toList();
      if (!present.equals(keyed)) {
        agree = false;
        break;
      }
    }
    if (agree) return cpus;
    List<Cpu> out = new ArrayList<>();
    for (Cpu c : cpus) {
      List<Integer> s = siblings.get(c.id());
      int core = s == null ? c.id() : s.stream().filter(online::contains).mapToInt(Integer::intValue).min().orElse(c.id());
      out.add(new Cpu(c.id(), c.packageId(), c.dieId(), core, c.l3(), c.node(), c.type()));
    }
    return out;
  }

  /** The L3 domain is named by the lowest CPU that shares the cache. */
  private int l3Of(int id) {
    String cache = "sys/devices/system/cpu/cpu" + id + "/cache/";
    for (String index : root.list(cache)) {
      if (!index.startsWith("index")) continue;
      if (!root.read(cache + index + "/level").orElse("").equals("3")) continue;
      List<Integer> shared = cpuSet(cache + index + "/shared_cpu_list", null, cache + index + "/shared_cpu_map", null);
      if (!shared.isEmpty()) return shared.get(0);
    }
    return Cpu.UNKNOWN_L3;
  }

  private Set<Integer> typedCpus(String file) {
    return new HashSet<>(safeList(file));
  }

  /**
   * A set of CPUs from the first list file that reads (list syntax "0-3,8"), else from the first
   * mask file (older kernels only write masks); empty when none is there or readable.
   */
  private List<Integer> cpuSet(String list, String otherList, String mask, String otherMask) {
    for (String f : new String[] {list, otherList}) {
      if (f == null) continue;
      List<Integer> l = safeList(f);
      if (!l.isEmpty()) return new ArrayList<>(l);
    }
    for (String f : new String[] {mask, otherMask}) {
      if (f == null) continue;
      try {
        List<Integer> l = root.read(f).map(CpuList::parseMask).orElse(List.of());
        if (!l.isEmpty()) return new ArrayList<>(l);
      } catch (IllegalArgumentException e) {
        // garbage: try the next source
      }
    }
    return new ArrayList<>();
  }

  private List<Integer> safeList(String file) {
    try {
      return root.read(file).map(CpuList::parse).orElse(List.of());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  private int intFile(String file, int fallback) {
    Integer v = root.read(file).map(PciReader::intOrNull).orElse(null);
    return v == null ? fallback : v;
  }
}
