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
    for (int id : ids) {
      String base = "sys/devices/system/cpu/cpu" + id + "/topology/";
      int pkg = intFile(base + "physical_package_id", 0);
      int die = intFile(base + "die_id", 0);
      int core = intFile(base + "core_id", id);
      CoreType type = eCores.contains(id) ? CoreType.EFFICIENT
          : pCores.contains(id) && !eCores.isEmpty() ? CoreType.PERFORMANCE : CoreType.UNIFORM;
      cpus.add(new Cpu(id, Math.max(pkg, 0), Math.max(die, 0), core, l3Of(id), nodeOf.getOrDefault(id, 0), type));
    }
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
      if (n.matches("cpu\\d+")) ids.add(Integer.parseInt(n.substring(3)));
    }
    ids.sort(null);
    return ids;
  }

  private Map<Integer, Integer> nodes() {
    Map<Integer, Integer> nodeOf = new HashMap<>();
    for (String n : root.list("sys/devices/system/node")) {
      if (!n.matches("node\\d+")) continue;
      int node = Integer.parseInt(n.substring(4));
      for (int cpu : safeList("sys/devices/system/node/" + n + "/cpulist")) nodeOf.put(cpu, node);
    }
    return nodeOf;
  }

  /** The L3 domain is named by the lowest CPU that shares the cache. */
  private int l3Of(int id) {
    String cache = "sys/devices/system/cpu/cpu" + id + "/cache/";
    for (String index : root.list(cache)) {
      if (!index.startsWith("index")) continue;
      if (!root.read(cache + index + "/level").orElse("").equals("3")) continue;
      List<Integer> shared = safeList(cache + index + "/shared_cpu_list");
      if (!shared.isEmpty()) return shared.get(0);
    }
    return -1;
  }

  private Set<Integer> typedCpus(String file) {
    return new HashSet<>(safeList(file));
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
