package io.vgapass.domain;

import io.vgapass.host.VirtStack;
import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * An emulated ich9 HDA whose output goes to the desktop user's sound server. libvirt 7.2 and
 * later describe the backend with {@code <audio>}; older ones only through QEMU's environment
 * ({@code qemu:env QEMU_AUDIO_DRV=pa}).
 */
final class AudioTuner implements Tuner {
  private static final String ICH9_SOUND = "./devices/sound[@model='ich9']";
  private static final String QEMU_AUDIO_DRV = "./qemu:commandline/qemu:env[@name='QEMU_AUDIO_DRV']";
  private static final String QEMU_PA_SERVER = "./qemu:commandline/qemu:env[@name='QEMU_PA_SERVER']";
  static final String KIND = "audio";
  /** The id of the {@code <audio>} backend vgapass added. */
  static final String BACKEND = "audio-backend";
  static final String QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.audio()) {
      owned.carryOver(KIND);
      owned.carryOver(BACKEND);
      return;
    }
    doc.bindPrefix("qemu", QEMU_NS);
    AudioSpec a = plan.audio();
    XmlNode ours = null;
    if (owned.ownedBefore(KIND, "sound", soundElements(doc))) {
      for (Ownership.Owned b : owned.previously(BACKEND)) {
        XmlNode backend = doc.find("./devices/audio[@id='" + b.key() + "']");
        if (owned.ownedBefore(BACKEND, b.key(), backend)) backend.remove();
      }
      doc.remove(QEMU_AUDIO_DRV);
      doc.remove(QEMU_PA_SERVER);
      if (a.kind() == AudioSpec.Kind.NONE) doc.remove(ICH9_SOUND);
      // kept, not re-added: libvirt gave it a PCI address, which a new element would lose (and tuning twice differ)
      else ours = doc.find(ICH9_SOUND);
    }
    if (a.kind() == AudioSpec.Kind.NONE) return;
    if (ours == null && doc.exists(DomainPaths.SOUNDS)) return; // the user's own sound device stays as it is
    XmlNode sound = ours != null ? ours : doc.add(ICH9_SOUND);
    boolean named = plan.libvirtVersion() == null || VirtStack.versionAtLeast(plan.libvirtVersion(), 7, 4);
    if (!named) sound.remove("./audio"); // else its id is set in place, before libvirt's <address>
    boolean modern = plan.libvirtVersion() == null || VirtStack.versionAtLeast(plan.libvirtVersion(), 7, 2);
    if (modern) {
      // a domain may already have audio backends (libvirt adds <audio id='1' type='spice'/> beside spice
      // graphics); ids must be unique, and the sound device names the one it plays to
      int id = 1;
      for (XmlNode other : doc.list("./devices/audio")) id = Math.max(id, Devices.number(other.get("./@id")) + 1);
      String type = a.kind() == AudioSpec.Kind.PIPEWIRE ? "pipewire" : "pulseaudio";
      XmlNode au = doc.add("./devices/audio[@id='" + id + "'][@type='" + type + "']");
      if (a.kind() == AudioSpec.Kind.PIPEWIRE) au.set("./@runtimeDir", a.runtimeDir());
      else au.set("./@serverName", a.socket());
      if (named) sound.set("./audio/@id", String.valueOf(id));
      owned.claim(KIND, "sound", soundElements(doc));
      owned.claim(BACKEND, String.valueOf(id), au);
    } else {
      doc.root().element().setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:qemu", QEMU_NS);
      doc.set(QEMU_AUDIO_DRV + "/@value", "pa");
      doc.set(QEMU_PA_SERVER + "/@value", a.socket());
      owned.claim(KIND, "sound", soundElements(doc));
    }
  }

  /** vgapass's sound device and, with libvirt before 7.2, the QEMU environment that names its backend. */
  static List<XmlNode> soundElements(XmlDoc doc) {
    doc.bindPrefix("qemu", QEMU_NS);
    XmlNode sound = doc.find(ICH9_SOUND);
    if (sound == null) return List.of();
    List<XmlNode> out = new ArrayList<>(List.of(sound));
    out.addAll(doc.list(QEMU_AUDIO_DRV));
    out.addAll(doc.list(QEMU_PA_SERVER));
    return out;
  }
}
