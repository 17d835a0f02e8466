package io.vgapass.domain;

import io.vgapass.plan.Plan;

/** memory/currentMemory (when asked) and hugepage backing of the page size planned. */
final class MemoryTuner implements Tuner {
  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (scope.devicesOnly()) return;
    if (scope.memorySize()) {
      doc.set(DomainPaths.MEMORY, String.valueOf(plan.memoryKiB()));
      doc.set(DomainPaths.MEMORY_UNIT, "KiB");
      doc.set("./currentMemory", String.valueOf(plan.memoryKiB()));
      doc.set("./currentMemory/@unit", "KiB");
    }
    doc.remove("./memoryBacking/hugepages");
    if (plan.hugepages().enabled()) {
      XmlNode page = doc.ensure("./memoryBacking/hugepages/page");
      page.set("./@size", String.valueOf(plan.hugepages().sizeKiB()));
      page.set("./@unit", "KiB");
    }
  }
}
