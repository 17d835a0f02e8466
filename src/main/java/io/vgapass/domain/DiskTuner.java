package io.vgapass.domain;

import io.vgapass.plan.DiskSpec;
import io.vgapass.plan.Plan;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Disks on a virtio-scsi controller driven by the I/O thread: image files as qcow2/raw disks,
 * whole block devices (a spare HDD) as raw LUNs. The controller's driver gets iothread='1' even
 * when the domain already had one.
 */
final class DiskTuner implements Tuner {
  private static final String ADDRESS_CONTROLLER = "./address/@controller";
  private static final String DISKS = DomainPaths.DISKS;
  private static final String TARGET_DEV = DevicePaths.TARGET_DEV;
  static final String KIND = "disk";
  /** The index of the virtio-scsi controller vgapass added (none when it reused the domain's). */
  static final String CONTROLLER = "scsi-controller";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.disks()) {
      owned.carryOver(KIND);
      owned.carryOver(CONTROLLER);
      return;
    }
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (plan.disks().stream().noneMatch(d -> d.path().equals(o.key()))) {
        owned.ownedOf(o, withSource(doc, o.key())).forEach(XmlNode::remove);
      }
    }
    // the disks vgapass adds or keeps: not those the user has with the same source
    List<DiskSpec> ours = plan.disks().stream().filter(d -> withSource(doc, d.path()).isEmpty()
        || owned.ownedBefore(KIND, d.path(), withSource(doc, d.path()))).toList();
    if (ours.isEmpty()) {
      removeController(doc, owned);
      return;
    }
    int controller = scsiController(doc, owned);
    Set<String> targets = new HashSet<>();
    doc.list(DISKS).forEach(d -> targets.add(d.get(TARGET_DEV)));
    for (DiskSpec d : ours) {
      List<XmlNode> present = withSource(doc, d.path());
      if (!present.isEmpty()) {
        owned.claim(KIND, d.path(), present);
        continue;
      }
      XmlNode disk = doc.add("./devices/disk[@type='" + (d.block() ? "block" : "file") + "']");
      disk.set(DevicePaths.DEVICE, d.block() ? "lun" : "disk");
      disk.set(DevicePaths.DRIVER_NAME, "qemu");
      disk.set(DevicePaths.DRIVER_TYPE, d.format());
      disk.set(DevicePaths.DRIVER_CACHE, "none");
      disk.set(DevicePaths.DRIVER_IO, "native");
      disk.set(DevicePaths.DRIVER_DISCARD, "unmap");
      disk.set(d.block() ? DevicePaths.SOURCE_DEV : DevicePaths.SOURCE_FILE, d.path());
      String target = freeTarget(targets);
      disk.set(TARGET_DEV, target);
      disk.set(DevicePaths.TARGET_BUS, "scsi");
      disk.set(DevicePaths.ADDRESS_TYPE, "drive");
      disk.set(ADDRESS_CONTROLLER, String.valueOf(controller));
      disk.set(DevicePaths.ADDRESS_BUS, "0");
      disk.set("./address/@target", "0");
      disk.set("./address/@unit", String.valueOf(target.charAt(2) - 'a'));
      owned.claim(KIND, d.path(), disk);
    }
  }

  private static List<XmlNode> withSource(XmlDoc doc, String path) {
    return doc.list(DISKS).stream().filter(x -> path.equals(Devices.diskSource(x))).toList();
  }

  /** The domain's virtio-scsi controller (made to use the I/O thread), or a new one that vgapass owns. */
  private static int scsiController(XmlDoc doc, Ownership owned) {
    XmlNode c = doc.find("./devices/controller[@type='scsi'][@model='virtio-scsi']");
    boolean ours;
    if (c == null) {
      int index = 0;
      while (doc.exists("./devices/controller[@type='scsi'][@index='" + index + "']")) index++;
      c = doc.add("./devices/controller[@type='scsi'][@index='" + index + "']");
      c.set(DevicePaths.MODEL, "virtio-scsi");
      ours = true;
    } else {
      ours = owned.ownedBefore(CONTROLLER, String.valueOf(Devices.number(c.get(DevicePaths.INDEX))), c);
    }
    int index = Devices.number(c.get(DevicePaths.INDEX));
    if (ours) owned.claim(CONTROLLER, String.valueOf(index), c);
    c.set("./driver/@iothread", "1");
    return index;
  }

  /** Removes the controller vgapass added once no disk uses it. */
  private static void removeController(XmlDoc doc, Ownership owned) {
    for (Ownership.Owned o : owned.previously(CONTROLLER)) {
      XmlNode c = doc.list("./devices/controller[@type='scsi']").stream()
          .filter(x -> o.key().equals(String.valueOf(Devices.number(x.get(DevicePaths.INDEX))))).findFirst()
          .orElse(null);
      if (!owned.ownedBefore(CONTROLLER, o.key(), c)) continue;
      boolean used = doc.list(DISKS).stream().anyMatch(d -> "scsi".equals(d.get(DevicePaths.TARGET_BUS))
          && o.key().equals(String.valueOf(Devices.number(d.get(ADDRESS_CONTROLLER)))));
      if (used) owned.claim(CONTROLLER, o.key(), c);
      else c.remove();
    }
  }

  private static String freeTarget(Set<String> used) {
    for (char c = 'a'; c <= 'z'; c++) {
      String t = "sd" + c;
      if (used.add(t)) return t;
    }
    throw new IllegalArgumentException("the domain already uses every SCSI target sda..sdz");
  }
}
