package io.vgapass.domain;

import io.vgapass.plan.DiskSpec;
import io.vgapass.plan.Plan;
import java.util.HashSet;
import java.util.Set;

/**
 * Disks on a virtio-scsi controller driven by the I/O thread: image files as qcow2/raw disks,
 * whole block devices (a spare HDD) as raw LUNs. The controller's driver gets iothread='1' even
 * when the domain already had one.
 */
final class DiskTuner implements Tuner {
  static final String KIND = "disk";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.disks()) {
      owned.carryOver(KIND);
      return;
    }
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (plan.disks().stream().noneMatch(d -> d.path().equals(o.key()))) {
        doc.list("./devices/disk").stream().filter(d -> o.key().equals(Devices.diskSource(d))).forEach(XmlNode::remove);
      }
    }
    if (plan.disks().isEmpty()) return;
    int controller = scsiController(doc);
    Set<String> targets = new HashSet<>();
    doc.list("./devices/disk").forEach(d -> targets.add(d.get("./target/@dev")));
    for (DiskSpec d : plan.disks()) {
      XmlNode disk = doc.list("./devices/disk").stream().filter(x -> d.path().equals(Devices.diskSource(x)))
          .findFirst().orElse(null);
      if (disk != null && !owned.ownedBefore(KIND, d.path())) continue;
      owned.claim(KIND, d.path());
      if (disk != null) continue;
      disk = doc.add("./devices/disk[@type='" + (d.block() ? "block" : "file") + "']");
      disk.set("./@device", d.block() ? "lun" : "disk");
      disk.set("./driver/@name", "qemu");
      disk.set("./driver/@type", d.format());
      disk.set("./driver/@cache", "none");
      disk.set("./driver/@io", "native");
      disk.set("./driver/@discard", "unmap");
      disk.set(d.block() ? "./source/@dev" : "./source/@file", d.path());
      String target = freeTarget(targets);
      disk.set("./target/@dev", target);
      disk.set("./target/@bus", "scsi");
      disk.set("./address/@type", "drive");
      disk.set("./address/@controller", String.valueOf(controller));
      disk.set("./address/@bus", "0");
      disk.set("./address/@target", "0");
      disk.set("./address/@unit", String.valueOf(target.charAt(2) - 'a'));
    }
  }

  /** The domain's virtio-scsi controller (made to use the I/O thread), or a new one. */
  private static int scsiController(XmlDoc doc) {
    XmlNode c = doc.find("./devices/controller[@type='scsi'][@model='virtio-scsi']");
    if (c == null) {
      int index = 0;
      while (doc.exists("./devices/controller[@type='scsi'][@index='" + index + "']")) index++;
      c = doc.add("./devices/controller[@type='scsi'][@index='" + index + "']");
      c.set("./@model", "virtio-scsi");
    }
    c.set("./driver/@iothread", "1");
    return Devices.hex(c.get("./@index"));
  }

  private static String freeTarget(Set<String> used) {
    for (char c = 'a'; c <= 'z'; c++) {
      String t = "sd" + c;
      if (used.add(t)) return t;
    }
    throw new IllegalArgumentException("the domain already uses every SCSI target sda..sdz");
  }
}
