package io.vgapass.cli;

import io.vgapass.doctor.Doctor;
import io.vgapass.domain.DomainWriter;
import io.vgapass.host.Host;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.plan.PlanRefused;
import io.vgapass.plan.Planner;
import io.vgapass.report.PciIds;
import io.vgapass.report.Report;

/**
 * Everything a report shows, gathered in one place: the audit, the plan (or why there is none)
 * and the domain XML, which the report package takes as text so it need not know the domain engine.
 */
public final class ReportInput {
  private ReportInput() {}

  public static Report.Input of(Host h, String label, PciIds ids, Intent intent, String version) {
    Doctor.Report doctor = Doctor.examine(h);
    try {
      Plan plan = Planner.plan(h, intent);
      String xml = DomainWriter.create(plan, "kvm", h.virt().qemu()).serialize();
      return new Report.Input(h, label, doctor, plan, null, xml, ids, version);
    } catch (PlanRefused e) {
      return new Report.Input(h, label, doctor, null, e.getMessage(), null, ids, version);
    }
  }
}
