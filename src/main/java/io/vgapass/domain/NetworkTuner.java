package io.vgapass.domain;

import io.vgapass.plan.NicSpec;
import io.vgapass.plan.Plan;

/** macvtap (direct, bridge mode) on a host NIC, the isolated host-only network and NAT networks, all virtio. */
final class NetworkTuner implements Tuner {
  static final String KIND = "interface";

  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    if (!scope.nics()) {
      owned.carryOver(KIND);
      return;
    }
    for (Ownership.Owned o : owned.previously(KIND)) {
      if (plan.nics().stream().noneMatch(n -> key(n).equals(o.key()))) {
        doc.list("./devices/interface").stream().filter(i -> o.key().equals(Devices.interfaceKey(i)))
            .forEach(XmlNode::remove);
      }
    }
    for (NicSpec n : plan.nics()) {
      String key = key(n);
      boolean present = doc.list("./devices/interface").stream().anyMatch(i -> key.equals(Devices.interfaceKey(i)));
      if (present && !owned.ownedBefore(KIND, key)) continue;
      owned.claim(KIND, key);
      if (present) continue;
      if (n.kind() == NicSpec.Kind.MACVTAP) {
        XmlNode i = doc.add("./devices/interface[@type='direct']");
        i.set("./source/@dev", n.source());
        i.set("./source/@mode", "bridge");
        i.set("./model/@type", "virtio");
      } else {
        XmlNode i = doc.add("./devices/interface[@type='network']");
        i.set("./source/@network", n.source());
        i.set("./model/@type", "virtio");
      }
    }
  }

  static String key(NicSpec n) {
    return (n.kind() == NicSpec.Kind.MACVTAP ? "direct:" : "network:") + n.source();
  }
}
