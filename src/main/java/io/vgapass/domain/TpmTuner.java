package io.vgapass.domain;

import io.vgapass.plan.Plan;

/**
 * A TPM 2.0 for the guest (Windows 11 refuses to install without one): the CRB interface, backed by swtpm, which
 * libvirt starts beside QEMU and whose state it keeps per domain. A TPM the user added is left as it is.
 */
final class TpmTuner implements Tuner {
  static final String KIND = "tpm";
  static final String KEY = "tpm-crb";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.tpm()) {
      owned.carryOver(KIND);
      return;
    }
    XmlNode present = doc.find(DomainPaths.TPM);
    boolean ours = owned.ownedBefore(KIND, KEY, present);
    if (!plan.tpm()) {
      if (ours) present.remove();
      return;
    }
    if (present != null) {
      if (ours) owned.claim(KIND, KEY, present); // kept in place: libvirt may have added to it
      return; // the user's own TPM stays, unclaimed
    }
    XmlNode tpm = doc.add("./devices/tpm[@model='tpm-crb']");
    tpm.set("./backend/@type", "emulator");
    tpm.set("./backend/@version", "2.0");
    owned.claim(KIND, KEY, tpm);
  }
}
