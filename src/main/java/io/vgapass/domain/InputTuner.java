package io.vgapass.domain;

import io.vgapass.plan.InputSpec;
import io.vgapass.plan.Plan;

/** USB keyboards/mice as USB hostdevs, or evdev inputs (keyboards grabbed, both Ctrl keys toggle). */
final class InputTuner implements Tuner {
  static final String KIND = "input";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.inputs()) {
      owned.carryOver(KIND);
      return;
    }
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (plan.inputs().stream().noneMatch(i -> key(i).equals(o.key()))) {
        XmlNode n = find(doc, o.key());
        if (owned.ownedBefore(KIND, o.key(), n)) n.remove();
      }
    }
    for (InputSpec in : plan.inputs()) {
      String key = key(in);
      XmlNode present = find(doc, key);
      if (present != null) {
        if (!owned.ownedBefore(KIND, key, present)) continue; // the user's own entry
        // ours already: only an explicitly asked toggle changes it (vm tune --input keeps input evdev's choice)
        if (in.keyboard() && in.grabToggle() != null) present.set(DevicePaths.SOURCE_GRAB_TOGGLE, in.grabToggle());
        owned.claim(KIND, key, present);
        continue;
      }
      XmlNode added;
      if (in.kind() == InputSpec.Kind.USB) {
        added = doc.add("./devices/hostdev[@mode='subsystem'][@type='usb']");
        added.set(DevicePaths.MANAGED, "yes");
        added.set(DevicePaths.SOURCE_VENDOR_ID, "0x" + in.vendorId());
        added.set(DevicePaths.SOURCE_PRODUCT_ID, "0x" + in.productId());
      } else {
        added = doc.add(DomainPaths.EVDEV_INPUTS);
        added.set(DevicePaths.SOURCE_DEV, in.device());
        if (in.keyboard()) {
          added.set("./source/@grab", "all");
          added.set(DevicePaths.SOURCE_GRAB_TOGGLE, in.grabToggle() == null ? "ctrl-ctrl" : in.grabToggle());
          added.set("./source/@repeat", "on");
        }
      }
      owned.claim(KIND, key, added);
    }
  }

  static String key(InputSpec in) {
    return in.kind() == InputSpec.Kind.USB ? "usb:" + in.vendorId() + ":" + in.productId() : in.device();
  }

  static XmlNode find(XmlDoc doc, String key) {
    if (key.startsWith("usb:")) {
      return doc.list(DomainPaths.HOSTDEVS).stream().filter(h -> key.equals("usb:" + Devices.usbSource(h)))
          .findFirst().orElse(null);
    }
    return doc.list(DomainPaths.EVDEV_INPUTS).stream().filter(i -> key.equals(i.get(DevicePaths.SOURCE_DEV)))
        .findFirst().orElse(null);
  }
}
