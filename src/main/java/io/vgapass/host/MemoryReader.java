package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/** Reads /proc/meminfo and the hugepage pools, globally and per NUMA node. */
final class MemoryReader {
  private final SysRoot root;

  MemoryReader(SysRoot root) {
    this.root = root;
  }

  Memory read() {
    Long total = null;
    Long available = null;
    for (String line : root.lines("proc/meminfo")) {
      if (line.startsWith("MemTotal:")) total = kib(line);
      if (line.startsWith("MemAvailable:")) available = kib(line);
    }
    List<HugePagePool> pools = new ArrayList<>(pools("sys/kernel/mm/hugepages", null));
    for (String n : root.list("sys/devices/system/node")) {
      if (n.matches("node\\d{1,6}")) {
        pools.addAll(pools("sys/devices/system/node/" + n + "/hugepages", Integer.parseInt(n.substring(4))));
      }
    }
    boolean hugetlbfs = root.lines("proc/mounts").stream().anyMatch(l -> l.split("\\s+").length > 2
        && l.split("\\s+")[2].equals("hugetlbfs"));
    return new Memory(total, available, pools, hugetlbfs);
  }

  private List<HugePagePool> pools(String dir, Integer node) {
    List<HugePagePool> out = new ArrayList<>();
    for (String size : root.list(dir)) {
      if (!size.matches("hugepages-\\d{1,12}kB")) continue; // longer: not a page size, and not a long
      long kib = Long.parseLong(size.substring("hugepages-".length(), size.length() - 2));
      String base = dir + "/" + size + "/";
      out.add(new HugePagePool(kib, node, num(base + "nr_hugepages"), num(base + "free_hugepages")));
    }
    return out;
  }

  private long num(String file) {
    try {
      return root.read(file).map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      return 0L;
    }
  }

  private static Long kib(String line) {
    String[] parts = line.split("\\s+");
    try {
      return parts.length >= 2 ? Long.parseLong(parts[1]) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
