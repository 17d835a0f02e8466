package io.vgapass.domain;

import io.vgapass.plan.NicSpec;
import io.vgapass.plan.Plan;
import java.util.List;

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
        owned.ownedOf(o, withKey(doc, o.key())).forEach(XmlNode::remove);
      }
    }
    for (NicSpec n : plan.nics()) {
      String key = key(n);
      List<XmlNode> present = withKey(doc, key);
      if (!present.isEmpty()) {
        if (owned.ownedBefore(KIND, key, present)) owned.claim(KIND, key, present);
        continue; // else the user's own
      }
      XmlNode i;
      if (n.kind() == NicSpec.Kind.MACVTAP) {
        i = doc.add("./devices/interface[@type='direct']");
        i.set(DevicePaths.SOURCE_DEV, n.source());
        i.set(DevicePaths.SOURCE_MODE, "bridge");
        i.set(DevicePaths.MODEL_TYPE, "virtio");
      } else {
        i = doc.add("./devices/interface[@type='network']");
        i.set(DevicePaths.SOURCE_NETWORK, n.source());
        i.set(DevicePaths.MODEL_TYPE, "virtio");
      }
      owned.claim(KIND, key, i);
    }
  }

  static List<XmlNode> withKey(XmlDoc doc, String key) {
    return doc.list(DomainPaths.INTERFACES).stream().filter(i -> key.equals(Devices.interfaceKey(i))).toList();
  }

  static String key(NicSpec n) {
    return (n.kind() == NicSpec.Kind.MACVTAP ? "direct:" : "network:") + n.source();
  }
}
