package io.vgapass.runtime;

import java.util.List;

/**
 * Reserves the VM's huge pages before QEMU starts. A plain write to nr_hugepages gets only what
 * memory is unfragmented at that moment (a quarter of the pages on a machine with a full page
 * cache); so when the pool falls short we sync, drop the page cache, compact memory and ask
 * again. If it still falls short the pool goes back to what it was and the start fails with the
 * numbers, rather than start a VM half backed by huge pages.
 */
final class HugepageGrant {
  private final SysFiles files;
  private final Commands commands;
  private final StateStore state;

  HugepageGrant(SysFiles files, Commands commands, StateStore state) {
    this.files = files;
    this.commands = commands;
    this.state = state;
  }

  static String pool(long sizeKiB, Integer node) {
    String base = node == null ? "sys/kernel/mm/hugepages" : "sys/devices/system/node/node" + node + "/hugepages";
    return base + "/hugepages-" + sizeKiB + "kB/";
  }

  /** Makes {@code pages} free pages of {@code sizeKiB} available; returns how many were added. */
  long reserve(String domain, long sizeKiB, long pages, Integer node) {
    String pool = pool(sizeKiB, node);
    if (files.read(pool + "nr_hugepages") == null) {
      throw new HookFailure(domain + ": this kernel has no " + sizeKiB / 1024 + " MiB huge pages" + (node == null
          ? "" : " on NUMA node " + node) + " (/" + pool + " missing); plan with --hugepages 2M or off");
    }
    // never more than the host's memory: the kernel would take all it can find for the pool
    long total = memTotalKiB();
    if (total > 0 && pages * sizeKiB > total) {
      throw new HookFailure(domain + ": the vgapass metadata asks for " + pages + " huge pages of " + sizeKiB / 1024
          + " MiB, more than this host's " + total / 1024 + " MiB of memory; run vgapass vm tune on the domain again"
          + " to plan for this host");
    }
    long nr = files.readLong(pool + "nr_hugepages", 0);
    long free = files.readLong(pool + "free_hugepages", 0);
    if (free >= pages) return 0;
    long target = nr + (pages - free);
    state.record(new StateStore.Entry(StateKind.HUGEPAGES, pool + "nr_hugepages", String.valueOf(nr), target - nr));
    files.write(pool + "nr_hugepages", String.valueOf(target));
    if (files.readLong(pool + "nr_hugepages", 0) < target) {
      commands.run(List.of("sync"));
      files.tryWrite("proc/sys/vm/drop_caches", "3");
      files.tryWrite("proc/sys/vm/compact_memory", "1");
      files.write(pool + "nr_hugepages", String.valueOf(target));
    }
    long got = files.readLong(pool + "nr_hugepages", 0);
    if (got < target) {
      files.write(pool + "nr_hugepages", String.valueOf(nr));
      state.record(new StateStore.Entry(StateKind.HUGEPAGES_GRANTED, pool + "nr_hugepages", String.valueOf(nr), 0));
      throw new HookFailure(domain + ": only " + (got - nr + free) + " of " + pages + " huge pages of "
          + sizeKiB / 1024 + " MiB could be reserved, even after dropping caches and compacting memory; close "
          + "programs, give the VM less memory, or reserve them at boot (vgapass host apply --boot-hugepages)");
    }
    state.record(new StateStore.Entry(StateKind.HUGEPAGES_GRANTED, pool + "nr_hugepages", String.valueOf(nr), target - nr));
    return target - nr;
  }

  /** MemTotal from /proc/meminfo's first line, or 0 when it cannot be read (as prepare.sh reads it). */
  private long memTotalKiB() {
    String info = files.read("proc/meminfo");
    if (info == null) return 0;
    String[] f = info.lines().findFirst().orElse("").trim().split("\\s+");
    return f.length >= 2 && f[0].equals("MemTotal:") && f[1].matches("[1-9][0-9]{0,17}") ? Long.parseLong(f[1]) : 0;
  }

  /**
   * Gives back what a grant added. A "hugepages-granted" entry says exactly how many (0 after a
   * failed grant that already put the pool back); a lone "hugepages" entry means the hook died
   * mid-grant, and the pool shrinks by the planned amount but not below where it was.
   */
  void release(StateStore.Entry e, boolean settled) {
    long nr = files.readLong(e.path(), 0);
    if (e.type() == StateKind.HUGEPAGES_GRANTED) {
      if (e.added() > 0) files.tryWrite(e.path(), String.valueOf(Math.max(0, nr - e.added())));
    } else if (!settled) {
      long previous = Long.parseLong(e.previous());
      files.tryWrite(e.path(), String.valueOf(Math.max(previous, nr - e.added())));
    }
  }
}
