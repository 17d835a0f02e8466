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
      if (plan.inputs().stream().noneMatch(i -> key(i).equals(o.key()))) remove(doc, o.key());
    }
    for (InputSpec in : plan.inputs()) {
      String key = key(in);
      XmlNode present = find(doc, key);
      if (present != null && !owned.ownedBefore(KIND, key)) continue; // the user's own entry
      owned.claim(KIND, key);
      if (present != null) {
        // ours already: only an explicitly asked toggle changes it (vm tune --input keeps input evdev's choice)
        if (in.keyboard() && in.grabToggle() != null) present.set("./source/@grabToggle", in.grabToggle());
        continue;
      }
      if (in.kind() == InputSpec.Kind.USB) {
        XmlNode h = doc.add("./devices/hostdev[@mode='subsystem'][@type='usb']");
        h.set("./@managed", "yes");
        h.set("./source/vendor/@id", "0x" + in.vendorId());
        h.set("./source/product/@id", "0x" + in.productId());
      } else {
        XmlNode i = doc.add("./devices/input[@type='evdev']");
        i.set("./source/@dev", in.device());
        if (in.keyboard()) {
          i.set("./source/@grab", "all");
          i.set("./source/@grabToggle", in.grabToggle() == null ? "ctrl-ctrl" : in.grabToggle());
          i.set("./source/@repeat", "on");
        }
      }
    }
  }

  static String key(InputSpec in) {
    return in.kind() == InputSpec.Kind.USB ? "usb:" + in.vendorId() + ":" + in.productId() : in.device();
  }

  static XmlNode find(XmlDoc doc, String key) {
    if (key.startsWith("usb:")) {
      return doc.list("./devices/hostdev").stream().filter(h -> key.equals("usb:" + Devices.usbSource(h)))
          .findFirst().orElse(null);
    }
    return doc.list("./devices/input[@type='evdev']").stream().filter(i -> key.equals(i.get("./source/@dev")))
        .findFirst().orElse(null);
  }

  private static void remove(XmlDoc doc, String key) {
    XmlNode n = find(doc, key);
    if (n != null) n.remove();
  }
}
