package io.vgapass.domain;

import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.Plan;

/**
 * An emulated ich9 HDA whose output goes to the desktop user's sound server. libvirt 7.2 and
 * later describe the backend with {@code <audio>}; older ones only through QEMU's environment
 * ({@code qemu:env QEMU_AUDIO_DRV=pa}).
 */
final class AudioTuner implements Tuner {
  static final String KIND = "audio";
  static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.audio()) {
      owned.carryOver(KIND);
      return;
    }
    doc.bindPrefix("qemu", QEMU_NS);
    if (owned.ownedBefore(KIND, "sound")) {
      doc.remove("./devices/sound[@model='ich9']");
      doc.remove("./devices/audio[@id='1']");
      doc.remove("./qemu:commandline/qemu:env[@name='QEMU_AUDIO_DRV']");
      doc.remove("./qemu:commandline/qemu:env[@name='QEMU_PA_SERVER']");
    }
    AudioSpec a = plan.audio();
    if (a.kind() == AudioSpec.Kind.NONE) return;
    if (doc.exists("./devices/sound")) return; // the user's own sound device stays as it is
    owned.claim(KIND, "sound");
    doc.add("./devices/sound[@model='ich9']");
    boolean modern = plan.libvirtVersion() == null || atLeast(plan.libvirtVersion(), 7, 2);
    if (modern) {
      if (a.kind() == AudioSpec.Kind.PIPEWIRE) {
        XmlNode au = doc.add("./devices/audio[@id='1'][@type='pipewire']");
        au.set("./@runtimeDir", a.runtimeDir());
      } else {
        XmlNode au = doc.add("./devices/audio[@id='1'][@type='pulseaudio']");
        au.set("./@serverName", a.socket());
      }
    } else {
      doc.root().element().setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:qemu", QEMU_NS);
      doc.set("./qemu:commandline/qemu:env[@name='QEMU_AUDIO_DRV']/@value", "pa");
      doc.set("./qemu:commandline/qemu:env[@name='QEMU_PA_SERVER']/@value", a.socket());
    }
  }

  static boolean atLeast(String version, int major, int minor) {
    String[] p = version.split("\\.");
    int ma = Integer.parseInt(p[0]);
    int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
    return ma > major || ma == major && mi >= minor;
  }
}
