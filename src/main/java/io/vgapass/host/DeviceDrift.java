package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One recorded device that is not at its address any more: what was expected, what is there now, and where the device
 * went when it can be told. A domain names its hostdevs by address; after a renumbering {@code managed='yes'} would take
 * whatever sits there now, the host's disk controller included, so the start is refused instead.
 *
 * @param expected the record (the identity when the domain was planned or last tuned)
 * @param found what is at the recorded address now, or null when nothing is
 * @param movedTo where the device is now (same kind and same slot path, or the only device of its kind), or null when
 *     it cannot be told
 * @param candidates devices of the same kind at other addresses, when there are several and none sits where it sat
 * @param problem what differs, in words
 */
public record DeviceDrift(DeviceIdentity expected, DeviceIdentity found, PciAddress movedTo,
    List<PciAddress> candidates, String problem) {

  /** The recorded devices that drifted (empty: each is where it was recorded); reads sysfs under the root. */
  public static List<DeviceDrift> check(SysRoot root, List<DeviceIdentity> recorded) {
    List<DeviceDrift> out = new ArrayList<>();
    List<DeviceIdentity> everything = null;
    for (DeviceIdentity want : recorded) {
      DeviceIdentity now = DeviceIdentity.read(root, want.address());
      String problem = problem(want, now);
      if (problem == null) continue;
      if (everything == null) everything = DeviceIdentity.all(root);
      out.add(locate(want, now, problem, everything));
    }
    return out;
  }

  /** Why the device at the address is not the recorded one, or null when it is. */
  static String problem(DeviceIdentity want, DeviceIdentity now) {
    if (now == null) return "nothing is at " + want.address() + " now";
    if (!want.sameKind(now)) return want.address() + " is now " + now.describe();
    if (!want.slotPath().equals(now.slotPath())) {
      return want.address() + " now holds another " + now.ids() + " (the same ids) at " + now.path()
          + ", not the one recorded at " + want.path();
    }
    if (!want.group().isEmpty() && !want.group().equals(now.group())) {
      return "the IOMMU group of " + want.address() + " now holds " + list(now.group()) + " (recorded: "
          + list(want.group()) + ")";
    }
    return null;
  }

  private static DeviceDrift locate(DeviceIdentity want, DeviceIdentity now, String problem,
      List<DeviceIdentity> everything) {
    List<DeviceIdentity> kind = everything.stream()
        .filter(d -> !d.address().equals(want.address()) && d.sameKind(want)).toList();
    List<DeviceIdentity> sameSlot = kind.stream().filter(d -> d.slotPath().equals(want.slotPath())).toList();
    PciAddress to = sameSlot.size() == 1 ? sameSlot.get(0).address()
        : sameSlot.isEmpty() && kind.size() == 1 ? kind.get(0).address() : null;
    List<PciAddress> candidates = to == null ? kind.stream().map(DeviceIdentity::address).toList() : List.of();
    return new DeviceDrift(want, now, to, candidates, problem);
  }

  /** "0000:01:00.0 should hold 1002:5046 (...); nothing is at ... now; it is at 0000:02:00.0 now". */
  public String describe() {
    String where;
    if (found != null && found.sameKind(expected) && found.slotPath().equals(expected.slotPath())) {
      where = "the device itself is still there";
    } else if (movedTo != null) {
      where = "the recorded device is at " + movedTo + " now";
    } else if (!candidates.isEmpty()) {
      where = "devices of the same kind are at " + list(candidates) + " (cannot tell which is the recorded one)";
    } else {
      where = "no device of that kind is on the host now";
    }
    return expected.address() + " should hold " + expected.describe() + ", but " + problem + "; " + where;
  }

  /** The new address of every drifted device whose place is known; those without one are missing from the map. */
  public static Map<PciAddress, PciAddress> moves(List<DeviceDrift> drifts) {
    return drifts.stream().filter(d -> d.movedTo() != null)
        .collect(Collectors.toMap(d -> d.expected().address(), DeviceDrift::movedTo, (a, b) -> a,
            java.util.LinkedHashMap::new));
  }

  /** Every drift of one domain in one line, with the fix. */
  public static String summary(String domain, List<DeviceDrift> drifts) {
    return drifts.stream().map(DeviceDrift::describe).collect(Collectors.joining("; ")) + "; " + fix(domain, drifts);
  }

  /** Follow the devices when each one's new place is known; else plan the card again. */
  public static String fix(String domain, List<DeviceDrift> drifts) {
    boolean known = drifts.stream().allMatch(d -> d.movedTo() != null);
    return known ? "if the devices moved, run vgapass vm tune --domain " + domain + " --follow-devices"
        : "plan the card again where it is now (vgapass vm tune --domain " + domain + " --gpu ADDR)";
  }

  private static String list(List<PciAddress> as) {
    return as.isEmpty() ? "nothing" : as.stream().map(PciAddress::toString).collect(Collectors.joining(", "));
  }
}
