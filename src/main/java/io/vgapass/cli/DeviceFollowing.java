package io.vgapass.cli;

import io.vgapass.domain.DeviceRecords;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.DeviceDrift;
import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.PciAddress;
import io.vgapass.host.SysRoot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The drift guard's part in {@code vm tune} and {@code plan}: record the identity of the passed devices, say when they
 * drifted, and with {@code --follow-devices} move the domain to where they are now.
 */
final class DeviceFollowing {
  private DeviceFollowing() {}

  /** Records the identity of every hostdev that has none yet; returns notes (records it could not make, drift). */
  static List<String> record(XmlDoc doc, SysRoot root) {
    List<String> notes = new ArrayList<>(DeviceRecords.record(doc, a -> DeviceIdentity.read(root, a)));
    List<DeviceDrift> drift = DeviceDrift.check(root, recorded(doc, ""));
    if (!drift.isEmpty()) {
      notes.add(doc.get("./name") + ": the hook will refuse to start it: " + DeviceDrift.summary(doc.get("./name"), drift));
    }
    return notes;
  }

  /** Points the domain's hostdevs at where the recorded devices are now; shows each move on {@code out}. */
  static void follow(XmlDoc doc, SysRoot root, PrintWriter out) {
    String name = doc.get("./name");
    List<DeviceIdentity> recorded = recorded(doc, "--follow-devices: ");
    if (recorded.isEmpty()) {
      throw new UserError("--follow-devices: " + name + " has no record of its passed devices' identity (planned "
          + "before vgapass kept one, or no card planned); run vgapass vm tune --domain " + name + " once where the "
          + "devices are at the addresses the domain names, or plan the card again with --gpu ADDR");
    }
    List<DeviceDrift> drift = DeviceDrift.check(root, recorded);
    if (drift.isEmpty()) {
      out.println("follow-devices: every recorded device of " + name + " is at its address; nothing to move");
      return;
    }
    List<DeviceDrift> lost = drift.stream().filter(d -> d.movedTo() == null).toList();
    if (!lost.isEmpty()) {
      throw new UserError("--follow-devices: " + lost.get(0).describe() + "; nothing was changed; plan the card again "
          + "where it is now (vgapass vm tune --domain " + name + " --gpu ADDR)");
    }
    Map<PciAddress, PciAddress> moves = DeviceDrift.moves(drift);
    for (DeviceDrift d : drift) {
      out.println("follow-devices: " + d.expected().address() + " -> " + d.movedTo() + " (" + d.expected().describe()
          + "; at the old address: " + (d.found() == null ? "nothing" : d.found().describe()) + ")");
    }
    DeviceRecords.follow(doc, moves, a -> DeviceIdentity.read(root, a));
  }

  private static List<DeviceIdentity> recorded(XmlDoc doc, String flag) {
    try {
      return DeviceRecords.read(doc);
    } catch (IllegalArgumentException e) {
      if (flag.isEmpty()) return List.of(); // the tune rewrote the record from the host already
      throw new UserError(flag + e.getMessage());
    }
  }
}
