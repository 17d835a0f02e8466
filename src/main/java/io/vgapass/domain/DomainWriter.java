package io.vgapass.domain;

import io.vgapass.plan.Plan;
import java.util.List;
import java.util.function.Consumer;

/** Builds a new domain from a plan, or tunes an existing one, one small tuner per concern. */
public final class DomainWriter {
  private static final List<Tuner> TUNERS = List.of(
      new MemoryTuner(), new CpuTuner(), new GuestFeaturesTuner(), new DiskTuner(), new InstallMediaTuner(), new NetworkTuner(),
      new AudioTuner(), new InputTuner(), new HostdevTuner(), new LookingGlassTuner(), new FilesystemTuner(),
      new TpmTuner());

  private DomainWriter() {}

  /**
   * A new domain for the plan.
   *
   * @param type "kvm" for real use; "qemu" (TCG) for tests on machines without usable KVM
   * @param emulator the QEMU binary, or null to let libvirt choose
   */
  public static XmlDoc create(Plan plan, String type, String emulator) {
    XmlDoc doc = XmlDoc.parse("new domain " + plan.name(), "<domain type='" + type + "'>\n  <name>" + plan.name()
        + "</name>\n  <devices/>\n</domain>\n");
    if (emulator != null) doc.set(DomainPaths.EMULATOR, emulator);
    return tune(doc, plan, TuneScope.NEW_DOMAIN);
  }

  /**
   * Applies the plan to {@code doc} in place (and returns it); tuning twice gives the same XML. With a
   * {@link TuneScope#devicesOnly devices-only} scope only the plan's device lists are read (see {@link Plan#devices}).
   */
  public static XmlDoc tune(XmlDoc doc, Plan plan, TuneScope scope) {
    return tune(doc, plan, scope, note -> { });
  }

  /**
   * As {@link #tune(XmlDoc, Plan, TuneScope)}, telling {@code notes} (one line each) of every device an ownership
   * record names that the tune left alone because the device is not what vgapass wrote.
   */
  public static XmlDoc tune(XmlDoc doc, Plan plan, TuneScope scope, Consumer<String> notes) {
    Ownership owned = new Ownership(VgapassMetadata.owned(doc));
    for (Tuner t : TUNERS) t.tune(doc, plan, scope, owned);
    if (scope.devicesOnly()) VgapassMetadata.writeOwned(doc, owned.current());
    else VgapassMetadata.write(doc, plan, owned.current(), scope.hostdevs(), scope.lookingGlass());
    owned.notes().forEach(notes);
    return doc;
  }

  /**
   * Makes the domain's vgapass virtiofs shares exactly {@code shares} (empty: removes them), touching nothing else:
   * the share verb changes no tuning, only the filesystems, shared memory backing and ownership records.
   */
  public static XmlDoc share(XmlDoc doc, List<FilesystemShare> shares) {
    Ownership owned = new Ownership(VgapassMetadata.owned(doc));
    owned.carryOverAllBut(FilesystemTuner.KIND, FilesystemTuner.SHARED_MEMORY);
    FilesystemTuner.share(doc, shares, owned);
    VgapassMetadata.writeOwned(doc, owned.current());
    return doc;
  }

  /** The virtiofs shares vgapass added to the domain. */
  public static List<FilesystemShare> shares(XmlDoc doc) {
    return FilesystemTuner.owned(doc, new Ownership(VgapassMetadata.owned(doc)));
  }
}
