package io.vgapass.cli;

import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.MemoryUnits;
import io.vgapass.domain.XmlDoc;

/** What an existing domain already says, used as defaults when tuning it. */
final class DomainFacts {
  private DomainFacts() {}

  static Integer vcpus(XmlDoc doc) {
    String v = doc.get(DomainPaths.VCPU);
    try {
      return v == null ? null : Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new UserError(doc.name() + ": <vcpu> is '" + v + "', not a number; fix it or pass --vcpus");
    }
  }

  /** The domain's memory in KiB, from any of libvirt's units. */
  static Long memoryKiB(XmlDoc doc) {
    String v = doc.get(DomainPaths.MEMORY);
    if (v == null) return null;
    return kib(doc, "<memory>", v, doc.get(DomainPaths.MEMORY_UNIT), "--memory");
  }

  /**
   * The memory of the guest's NUMA cells ({@code <cpu><numa><cell memory=...>}) in KiB, or null without cells. libvirt
   * gives a guest with cells the cells' memory, whatever {@code <memory>} says.
   */
  static Long numaCellsKiB(XmlDoc doc) {
    var cells = doc.list(DomainPaths.NUMA_CELLS);
    if (cells.isEmpty()) return null;
    long sum = 0;
    for (var c : cells) {
      String v = c.get("@memory");
      if (v == null) throw new UserError(doc.name() + ": a NUMA <cell> without memory='...'; fix it (virsh edit)");
      sum += kib(doc, "<cell memory>", v, c.get("@unit"), "virsh edit");
    }
    return sum;
  }

  private static long kib(XmlDoc doc, String what, String v, String unit, String fix) {
    try {
      return MemoryUnits.bytes(v, unit, "KiB") / 1024;
    } catch (NumberFormatException e) {
      throw new UserError(doc.name() + ": " + what + " is '" + v + "', not a number; fix it or use " + fix);
    } catch (IllegalArgumentException e) {
      throw new UserError(doc.name() + ": " + e.getMessage());
    }
  }
}
