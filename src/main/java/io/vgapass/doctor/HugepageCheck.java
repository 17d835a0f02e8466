package io.vgapass.doctor;

import io.vgapass.host.HugePagePool;
import io.vgapass.host.Memory;
import java.util.ArrayList;
import java.util.List;

/** A typical guest (8 GiB, or half the host when smaller) should fit in huge pages. */
final class HugepageCheck implements Check {
  static final long TYPICAL_GUEST_KIB = 8L * 1024 * 1024;

  @Override
  public List<Finding> check(HostView v) {
    List<Finding> out = new ArrayList<>();
    Memory m = v.host().memory();
    if (m.totalKiB() == null) {
      out.add(new Finding("hugepages.available", Severity.INFO, "memory size unknown", "proc/meminfo: unreadable",
          "run vgapass on the host itself"));
      return out;
    }
    long guest = Math.min(TYPICAL_GUEST_KIB, m.totalKiB() / 2);
    long reservedFree = m.global().stream().mapToLong(p -> p.free() * p.sizeKiB()).sum();
    String pools = m.global().isEmpty() ? "none" : m.global().stream()
        .map(p -> label(p) + " " + p.free() + "/" + p.total() + " free").reduce((a, b) -> a + ", " + b).orElse("");
    String evidence = "proc/meminfo: MemTotal " + m.totalKiB() / 1024 + " MiB, MemAvailable "
        + (m.availableKiB() == null ? "unknown" : m.availableKiB() / 1024 + " MiB")
        + "; sys/kernel/mm/hugepages: " + pools;
    if (m.global().isEmpty()) {
      out.add(new Finding("hugepages.available", Severity.WARNING, "the kernel offers no huge pages",
          evidence, "use a kernel built with CONFIG_HUGETLBFS (all distro kernels are)"));
    } else if (reservedFree >= guest) {
      out.add(Finding.ok("hugepages.available", "huge pages for a " + guest / 1024 / 1024
          + " GiB guest are already reserved", evidence));
    } else if (m.availableKiB() != null && m.availableKiB() - guest >= 2L * 1024 * 1024) {
      out.add(new Finding("hugepages.available", Severity.INFO, "huge pages for a " + guest / 1024 / 1024
          + " GiB guest can be reserved when the VM starts (" + m.availableKiB() / 1024 / 1024 + " GiB available)",
          evidence, "vgapass hooks install (reserves them at VM start, after dropping caches and compacting, "
              + "and frees them at stop)"));
    } else {
      out.add(new Finding("hugepages.available", Severity.WARNING, "too little free memory to back a "
          + guest / 1024 / 1024 + " GiB guest with huge pages", evidence,
          "give the VM less memory, or reserve 1 GiB pages at boot: vgapass host apply --boot-hugepages 1G:N"));
    }
    if (!m.hugetlbfsMounted() && !m.global().isEmpty()) {
      out.add(new Finding("hugepages.mount", Severity.INFO, "no hugetlbfs is mounted (libvirt needs one)",
          "proc/mounts: no hugetlbfs", "sudo mount -t hugetlbfs hugetlbfs /dev/hugepages before libvirtd starts "
              + "(systemd mounts it by default: dev-hugepages.mount)"));
    }
    return out;
  }

  private static String label(HugePagePool p) {
    return p.sizeKiB() >= 1024 * 1024 ? p.sizeKiB() / 1024 / 1024 + "G" : p.sizeKiB() / 1024 + "M";
  }
}
