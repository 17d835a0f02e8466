package io.vgapass.domain;

import java.util.List;

/**
 * Strips from a domain everything vgapass owns, so that what remains can be compared before and after a tune: the
 * CPU and memory tuning, vgapass's metadata, and the devices that metadata says vgapass added. What a tune is allowed
 * to change on the user's own elements (iothread='1' on a reused virtio-scsi controller, vendor_id and kvm hidden for
 * --nvidia-hide-kvm) is stripped too.
 */
final class OwnedParts {
  private OwnedParts() {}

  /**
   * @param owned the devices vgapass owns, from the tuned domain's metadata
   * @param memorySize whether the tune set memory/currentMemory (--memory)
   */
  static XmlDoc strip(XmlDoc original, List<Ownership.Owned> owned, boolean memorySize) {
    XmlDoc doc = original.copy();
    doc.bindPrefix("qemu", AudioTuner.QEMU_NS);
    // I/O thread 1 is vgapass's: its pin, its place in <iothreadids>, and its policy (taken out of the user's
    // <iothreadsched> sets, as CpuTuner does); pins and policies of other I/O threads are the user's
    CpuTuner.releaseIothread1(doc);
    for (String p : List.of("./vcpu", "./vcpus", "./iothreads", "./cputune/vcpupin", "./cputune/emulatorpin",
        "./cputune/iothreadpin[@iothread='1']", "./iothreadids/iothread[@id='1']", "./numatune",
        "./memoryBacking/hugepages",
        "./metadata/vgapass:vm", "./cpu/@mode", "./cpu/@check", "./cpu/@match", "./cpu/model", "./cpu/vendor",
        "./cpu/topology", "./cpu/cache", "./cpu/feature[@name='topoext']",
        "./devices/controller[@type='scsi'][@model='virtio-scsi']/driver/@iothread",
        "./features/hyperv/vendor_id", "./features/kvm/hidden")) {
      doc.remove(p);
    }
    if (memorySize) {
      doc.remove("./memory");
      doc.remove("./currentMemory");
    }
    for (Ownership.Owned o : owned) {
      switch (o.kind()) {
        case HostdevTuner.KIND -> doc.list("./devices/hostdev").stream()
            .filter(h -> o.key().equals(Devices.pciSource(h))).forEach(XmlNode::remove);
        case HostdevTuner.PORT -> doc.remove("./devices/controller[@type='pci'][@index='" + o.key() + "']");
        case DiskTuner.KIND -> doc.list("./devices/disk").stream()
            .filter(d -> o.key().equals(Devices.diskSource(d))).forEach(XmlNode::remove);
        case DiskTuner.CONTROLLER -> doc.remove("./devices/controller[@type='scsi'][@index='" + o.key() + "']");
        case NetworkTuner.KIND -> doc.list("./devices/interface").stream()
            .filter(i -> o.key().equals(Devices.interfaceKey(i))).forEach(XmlNode::remove);
        case AudioTuner.KIND -> {
          doc.remove("./devices/sound[@model='ich9']");
          doc.remove("./qemu:commandline/qemu:env[@name='QEMU_AUDIO_DRV']");
          doc.remove("./qemu:commandline/qemu:env[@name='QEMU_PA_SERVER']");
        }
        case AudioTuner.BACKEND -> doc.remove("./devices/audio[@id='" + o.key() + "']");
        case InputTuner.KIND -> {
          doc.list("./devices/hostdev").stream().filter(h -> o.key().equals("usb:" + Devices.usbSource(h)))
              .forEach(XmlNode::remove);
          doc.list("./devices/input[@type='evdev']").stream()
              .filter(i -> o.key().equals(i.get("./source/@dev"))).forEach(XmlNode::remove);
        }
        default -> throw new AssertionError("unknown owned kind " + o.kind() + " (update OwnedParts)");
      }
    }
    return doc;
  }

  /** What the tuned domain's metadata says vgapass owns. */
  static List<Ownership.Owned> owned(XmlDoc tuned) {
    VgapassMetadata m = VgapassMetadata.read(tuned);
    return m == null ? List.of() : m.owned();
  }
}
