package io.vgapass.report;

import io.vgapass.doctor.Doctor;
import io.vgapass.host.Host;
import io.vgapass.plan.Plan;

/**
 * {@code vgapass report}: one self-contained HTML page (inline SVG and CSS, no script, nothing
 * loaded from elsewhere) with the host's IOMMU groups and the VM's CPU layout as pictures, the
 * doctor's findings and the plan's domain XML.
 */
public final class Report {
  private Report() {}

  /**
   * What the report shows.
   *
   * @param label how the host is named for people ("the reference machine (--example)")
   * @param plan the plan, or null when none could be made
   * @param planRefusal why there is no plan (null when there is one)
   * @param domainXml the plan's libvirt domain, or null
   * @param version the vgapass version, for the footer
   */
  public record Input(Host host, String label, Doctor.Report doctor, Plan plan, String planRefusal,
      String domainXml, PciIds ids, String version) {}

  /** The page and its two pictures. */
  public record Rendered(String html, Picture groups, Picture cpus) {}

  public static Rendered render(Input in) {
    Picture groups = GroupsPicture.draw(in.host(), in.doctor().gpus(), in.plan(), in.ids());
    Picture cpus = CpuPicture.draw(in.host(), in.plan(), in.planRefusal());
    return new Rendered(HtmlPage.render(in, groups, cpus), groups, cpus);
  }
}
