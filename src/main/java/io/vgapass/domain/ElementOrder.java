package io.vgapass.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Where a new child element goes. libvirt accepts its elements in any order, but a person reading the XML expects
 * libvirt's own order (the order of {@code virsh dumpxml}), so a new element is placed:
 * <ol>
 *   <li>after the last sibling of the same name, if there is one (hostdevs stay together);</li>
 *   <li>else, where the parent has an order table below and knows the name: after the existing sibling that comes
 *       closest before it in that order, or, when none comes before it, before the closest one after it;</li>
 *   <li>else at the end.</li>
 * </ol>
 * Only elements without a namespace are ranked: namespaced ones ({@code qemu:commandline}, metadata of other tools)
 * are never moved and new ones go after the last of their name or at the end.
 */
public final class ElementOrder {

  private static final Map<String, Map<String, Integer>> TABLES = new HashMap<>();

  static {
    table("domain", "name", "uuid", "genid", "title", "description", "metadata", "maxMemory", "memory",
        "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu", "vcpus", "iothreads", "iothreadids",
        "defaultiothread", "cputune", "numatune", "resource", "sysinfo", "bootloader", "bootloader_args", "os",
        "idmap", "features", "cpu", "clock", "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm",
        "perf", "devices", "seclabel", "launchSecurity", "keywrap");
    table("devices", "emulator", "disk", "controller", "lease", "filesystem", "interface", "smartcard", "serial",
        "parallel", "console", "channel", "input", "tpm", "graphics", "sound", "audio", "video", "hostdev",
        "redirdev", "redirfilter", "hub", "watchdog", "memballoon", "rng", "panic", "shmem", "memory", "iommu",
        "vsock", "crypto", "pstore");
    table("cputune", "shares", "period", "quota", "global_period", "global_quota", "emulator_period",
        "emulator_quota", "iothread_period", "iothread_quota", "vcpupin", "emulatorpin", "iothreadpin",
        "emulatorsched", "vcpusched", "iothreadsched", "cachetune", "memorytune");
    table("os", "type", "firmware", "loader", "nvram", "kernel", "initrd", "cmdline", "dtb", "acpi", "boot",
        "bootmenu", "smbios", "bios");
    table("features", "acpi", "apic", "pae", "hap", "viridian", "privnet", "hyperv", "kvm", "xen", "pvspinlock",
        "pmu", "vmport", "gic", "smm", "ioapic", "hpt", "htm", "nested-hv", "msrs", "ccf-assist", "cfpc",
        "sbbc", "ibs", "tcg", "async-teardown", "ras", "ps2", "sev", "aia");
    table("hyperv", "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset",
        "vendor_id", "frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic", "emsr_bitmap",
        "xmm_input");
    table("cpu", "model", "vendor", "topology", "cache", "maxphysaddr", "feature", "numa");
    table("memoryBacking", "hugepages", "nosharepages", "locked", "source", "access", "allocation", "discard");
  }

  private ElementOrder() {}

  private static void table(String parent, String... names) {
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      rank.put(names[i], i);
    }
    TABLES.put(parent, rank);
  }

  /** The child names known for a parent, in order; empty when the parent has no table. */
  public static List<String> known(String parent) {
    Map<String, Integer> t = TABLES.get(parent);
    if (t == null) {
      return List.of();
    }
    String[] names = new String[t.size()];
    t.forEach((k, v) -> names[v] = k);
    return List.of(names);
  }

  /** Inserts {@code child} (not yet in the tree) into {@code parent} at the place described above. */
  static void insert(Element parent, Element child) {
    Node ref = position(parent, child);
    parent.insertBefore(child, ref);
  }

  /** The node to insert before, or null to append. */
  private static Node position(Element parent, Element child) {
    Element lastSame = null;
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && sameName(e, child)) {
        lastSame = e;
      }
    }
    if (lastSame != null) {
      return lastSame.getNextSibling();
    }
    Map<String, Integer> table = parent.getNamespaceURI() == null ? TABLES.get(parent.getLocalName()) : null;
    Integer rank = table == null || child.getNamespaceURI() != null ? null : table.get(child.getLocalName());
    if (rank == null) {
      return null;
    }
    Element before = null;
    int beforeRank = -1;
    Element after = null;
    int afterRank = Integer.MAX_VALUE;
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element e) || e.getNamespaceURI() != null) {
        continue;
      }
      Integer r = table.get(e.getLocalName());
      if (r == null) {
        continue;
      }
      if (r < rank && r >= beforeRank) {
        before = e;
        beforeRank = r;
      } else if (r > rank && r < afterRank) {
        after = e;
        afterRank = r;
      }
    }
    if (before != null) {
      return before.getNextSibling();
    }
    return after; // null appends
  }

  private static boolean sameName(Element a, Element b) {
    return a.getLocalName().equals(b.getLocalName()) && Objects.equals(a.getNamespaceURI(), b.getNamespaceURI());
  }
}
