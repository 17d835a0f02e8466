package io.vgapass.domain;

import io.vgapass.host.VirtStack;
import io.vgapass.plan.LookingGlassSpec;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * Looking Glass's shared memory, and the balloon and display its documentation asks for. Plain IVSHMEM is libvirt's
 * {@code <shmem>}; the kvmfr device has no element in libvirt, so it is a memory backend on {@code /dev/kvmfr0} plus
 * an ivshmem-plain device in {@code qemu:commandline}, with ids that name them as ours so a later tune finds them.
 */
final class LookingGlassTuner implements Tuner {
  private static final String VALUE = "./@value";
  private static final String MEMBALLOON = "./devices/memballoon";
  private static final String VIDEOS = "./devices/video";
  static final String KIND = "looking-glass";
  static final String VIDEO = "looking-glass-video";
  /** The memory backend's id; the device's is this plus "0". Our qemu:arg values are found by it. */
  static final String BACKEND_ID = "vgapass-lg";
  static final String SHMEM = DomainPaths.LOOKING_GLASS_SHMEM;
  private static final String ARGS = "./qemu:commandline/qemu:arg";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.lookingGlass()) {
      owned.carryOver(KIND);
      owned.carryOver(VIDEO);
      return;
    }
    doc.bindPrefix("qemu", AudioTuner.QEMU_NS);
    XmlNode shmem = doc.find(SHMEM);
    if (owned.ownedBefore(KIND, "shmem", shmem)) shmem.remove();
    List<XmlNode> args = ourArgs(doc);
    if (owned.ownedBefore(KIND, "kvmfr", args)) args.forEach(XmlNode::remove);
    for (Ownership.Owned v : owned.previously(VIDEO)) {
      List<XmlNode> videos = doc.list(VIDEOS).stream()
          .filter(n -> v.key().equals(n.get(DevicePaths.MODEL_TYPE)))
          .toList();
      owned.ownedOf(v, videos).forEach(XmlNode::remove);
    }
    LookingGlassSpec lg = plan.lookingGlass();
    if (lg == null) return; // planned without: what we added is gone, the balloon stays off
    balloonOff(doc);
    if (lg.mode() == LookingGlassSpec.Mode.IVSHMEM) {
      if (!doc.exists(SHMEM)) { // else the user's own device of that name stays (doctor checks its size)
        XmlNode added = doc.add(SHMEM);
        added.set(DevicePaths.MODEL_TYPE, "ivshmem-plain");
        added.set("./size", String.valueOf(lg.sizeMiB()));
        added.set("./size/@unit", "M");
        owned.claim(KIND, "shmem", added);
      }
    } else if (!mentionsKvmfr(doc)) {
      doc.root().element().setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:qemu", AudioTuner.QEMU_NS);
      boolean json = plan.libvirtVersion() == null || VirtStack.versionAtLeast(plan.libvirtVersion(), 7, 9);
      for (String a : kvmfrArgs(lg, json)) doc.add(ARGS).set(VALUE, a);
      owned.claim(KIND, "kvmfr", ourArgs(doc));
    }
    video(doc, plan, lg.video(), owned);
  }

  /**
   * The memory backend and the device. libvirt 7.9 and later give QEMU its devices as JSON, and a QEMU that takes
   * JSON devices wants ours in JSON too; older ones get QEMU's key=value form.
   */
  static List<String> kvmfrArgs(LookingGlassSpec lg, boolean json) {
    String dev = LookingGlassSpec.KVMFR_DEVICE;
    if (json) {
      return List.of("-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"" + BACKEND_ID + "\",\"mem-path\":\""
              + dev + "\",\"size\":" + lg.sizeBytes() + ",\"share\":true}",
          "-device", "{\"driver\":\"ivshmem-plain\",\"id\":\"" + BACKEND_ID + "0\",\"memdev\":\"" + BACKEND_ID + "\"}");
    }
    return List.of("-object", "memory-backend-file,id=" + BACKEND_ID + ",mem-path=" + dev + ",size=" + lg.sizeMiB()
            + "M,share=on",
        "-device", "ivshmem-plain,id=" + BACKEND_ID + "0,memdev=" + BACKEND_ID);
  }

  /** Our two argument pairs: the values that name our ids and the -object/-device flag before each. */
  private static List<XmlNode> ourArgs(XmlDoc doc) {
    List<XmlNode> args = doc.list(ARGS);
    List<XmlNode> ours = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String v = args.get(i).get(VALUE);
      if (v == null || !v.contains(BACKEND_ID)) continue;
      String flag = i > 0 ? args.get(i - 1).get(VALUE) : null;
      if ("-object".equals(flag) || "-device".equals(flag)) ours.add(args.get(i - 1));
      ours.add(args.get(i));
    }
    return ours;
  }

  private static boolean mentionsKvmfr(XmlDoc doc) {
    return doc.list(ARGS).stream().anyMatch(a -> String.valueOf(a.get(VALUE)).contains("/dev/kvmfr"));
  }

  /** Looking Glass's advice: the balloon would take guest memory back that the frames may sit in. */
  private static void balloonOff(XmlDoc doc) {
    if ("none".equals(doc.get(DomainPaths.MEMBALLOON_MODEL))) return;
    doc.remove(MEMBALLOON);
    doc.add(MEMBALLOON).set(DevicePaths.MODEL, "none");
  }

  /**
   * The guest's one emulated display, replacing the domain's: none (the default, see {@link LookingGlassSpec.Video})
   * or a minimal VGA. libvirt before 4.6 has no model 'none'; there the domain's display stays.
   */
  private static void video(XmlDoc doc, Plan plan, LookingGlassSpec.Video video, Ownership owned) {
    if (video == LookingGlassSpec.Video.NONE && plan.libvirtVersion() != null
        && !VirtStack.versionAtLeast(plan.libvirtVersion(), 4, 6)) {
      return;
    }
    doc.remove(VIDEOS);
    XmlNode v = doc.add(VIDEOS);
    v.set(DevicePaths.MODEL_TYPE, video.word());
    if (video == LookingGlassSpec.Video.VGA) {
      v.set("./model/@vram", "16384");
      v.set("./model/@heads", "1");
      v.set("./model/@primary", "yes");
    }
    owned.claim(VIDEO, video.word(), v);
  }
}
