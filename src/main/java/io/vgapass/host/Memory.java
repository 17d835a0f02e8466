package io.vgapass.host;

import java.util.List;

/** Memory as /proc/meminfo and the hugepage pools show it; sizes in KiB, null when unknown. */
public record Memory(Long totalKiB, Long availableKiB, List<HugePagePool> hugePages, boolean hugetlbfsMounted) {

  public List<HugePagePool> global() {
    return hugePages.stream().filter(p -> p.node() == null).toList();
  }

  public boolean supportsPageSize(long sizeKiB) {
    return hugePages.stream().anyMatch(p -> p.sizeKiB() == sizeKiB);
  }
}
