package io.vgapass.domain;

import io.vgapass.plan.InstallMedia;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * The install and drivers ISOs as read-only SATA CD-ROMs (Windows setup reads SATA without drivers), the install
 * ISO first among the CD-ROMs and {@code <boot dev='cdrom'/>} before the disk, so the firmware boots it. The disks stay
 * on virtio-scsi. vgapass's CD-ROMs and boot entry are recorded as owned, so {@code --no-install-media} removes only
 * those; a CD-ROM of the user's with the same ISO stays the user's.
 */
final class InstallMediaTuner implements Tuner {
  static final String KIND = "cdrom";
  /** The {@code <boot dev='cdrom'/>} entry vgapass put before the disk. */
  static final String BOOT = "boot-cdrom";
  private static final String BOOT_CDROM = "./os/boot[@dev='cdrom']";
  private static final String CDROMS = "./devices/disk[@device='cdrom']";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.installMedia()) {
      owned.carryOver(KIND);
      owned.carryOver(BOOT);
      return;
    }
    InstallMedia media = plan.installMedia();
    List<String> wanted = new ArrayList<>();
    if (media.installIso() != null) wanted.add(media.installIso());
    if (media.driversIso() != null && !wanted.contains(media.driversIso())) wanted.add(media.driversIso());
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (!wanted.contains(o.key())) owned.ownedOf(o, withSource(doc, o.key())).forEach(XmlNode::remove);
    }
    if (media.installIso() != null && perDeviceBootOrder(doc)) {
      // libvirt refuses <os><boot> beside per-device <boot order>, and renumbering the user's devices is theirs to do
      throw new IllegalArgumentException("--install-iso " + media.installIso() + ": the domain orders its boot "
          + "devices per device (<boot order='N'/>), which vgapass leaves to you; attach the ISO with virsh "
          + "attach-disk " + doc.get(DomainPaths.NAME) + " " + media.installIso() + " sdz --type cdrom --targetbus sata "
          + "--config and give it <boot order='1'/> (virsh edit)");
    }
    XmlNode boot = doc.find(BOOT_CDROM);
    boolean bootOurs = owned.ownedBefore(BOOT, "cdrom", boot);
    if (media.installIso() == null) {
      if (bootOurs) boot.remove();
    } else if (boot == null || bootOurs) {
      owned.claim(BOOT, "cdrom", bootFirst(doc, boot));
    }
    Set<String> targets = new HashSet<>();
    doc.list(DomainPaths.DISKS).forEach(d -> targets.add(d.get(DevicePaths.TARGET_DEV)));
    for (String iso : wanted) {
      List<XmlNode> present = withSource(doc, iso);
      if (!present.isEmpty()) {
        if (owned.ownedBefore(KIND, iso, present)) owned.claim(KIND, iso, present);
        continue; // the user's own CD-ROM of that ISO stays the user's
      }
      XmlNode cd = doc.add("./devices/disk[@type='file'][@device='cdrom']");
      cd.set(DevicePaths.DRIVER_NAME, "qemu");
      cd.set(DevicePaths.DRIVER_TYPE, "raw");
      cd.set(DevicePaths.SOURCE_FILE, iso);
      cd.set(DevicePaths.TARGET_DEV, freeTarget(targets));
      cd.set(DevicePaths.TARGET_BUS, "sata");
      cd.ensure("./readonly");
      if (iso.equals(media.installIso())) firstCdrom(doc, cd);
      owned.claim(KIND, iso, cd);
    }
  }

  private static boolean perDeviceBootOrder(XmlDoc doc) {
    for (String kind : new String[] {"disk", "interface", "hostdev", "redirdev", "filesystem"}) {
      if (doc.list("./devices/" + kind).stream().anyMatch(d -> d.exists("./boot"))) return true;
    }
    return false;
  }

  private static List<XmlNode> withSource(XmlDoc doc, String iso) {
    return doc.list(CDROMS).stream().filter(x -> iso.equals(Devices.diskSource(x)))
        .toList();
  }

  /**
   * libvirt gives the boot index of {@code <boot dev='cdrom'/>} to the first CD-ROM in the domain: the install ISO
   * must come before the drivers CD and any CD-ROM of the user's.
   */
  private static void firstCdrom(XmlDoc doc, XmlNode cd) {
    XmlNode first = doc.find(CDROMS);
    if (first == null || first.element() == cd.element()) return;
    Element e = cd.element();
    first.element().getParentNode().insertBefore(e, first.element());
  }

  /** The cdrom boot entry, first among the boot entries (a boot from the disk comes after it). */
  private static XmlNode bootFirst(XmlDoc doc, XmlNode existing) {
    XmlNode boot = existing != null ? existing : doc.add(BOOT_CDROM);
    XmlNode first = doc.find("./os/boot");
    if (first != null && first.element() != boot.element()) {
      first.element().getParentNode().insertBefore(boot.element(), first.element());
    }
    return boot;
  }

  private static String freeTarget(Set<String> used) {
    for (char c = 'a'; c <= 'z'; c++) {
      String t = "sd" + c;
      if (used.add(t)) return t;
    }
    throw new IllegalArgumentException("the domain already uses every target sda..sdz; remove a disk or CD-ROM");
  }
}
