package io.vgapass.domain;

import io.vgapass.host.DeviceIdentity;
import io.vgapass.host.PciAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The identity of each hostdev vgapass added, kept on its {@code <vgapass:hostdev>} record beside the address:
 * {@code ids}, {@code subsystem}, {@code class}, {@code path} (the sysfs device path) and {@code group} (the IOMMU
 * group's members). The hook compares them with the host before the VM starts; {@code vm tune --follow-devices}
 * moves the domain to where the devices went.
 */
public final class DeviceRecords {
  static final String HOSTDEV = VgapassMetadata.ROOT + "/vgapass:hostdev";
  private static final String GPU = VgapassMetadata.ROOT + "/vgapass:gpu";
  private static final String OWNS = VgapassMetadata.ROOT + "/vgapass:owns";
  private static final String ADDRESS = "./@address";
  private static final String IDS = "./@ids";
  /** The identity's attributes on a record, in the order they are written. */
  private static final List<String> IDENTITY = List.of("ids", "subsystem", "class", "path", "group");
  private static final String SOURCE = "./source/address/@";
  private static final String ID = "[0-9a-f]{4}:[0-9a-f]{4}";

  private DeviceRecords() {}

  /** The identities recorded in a domain (records without one, from versions before them, are left out). */
  public static List<DeviceIdentity> read(XmlDoc doc) {
    List<DeviceIdentity> out = new ArrayList<>();
    for (XmlNode h : doc.list(HOSTDEV)) {
      DeviceIdentity d = of(attributes(h));
      if (d != null) out.add(d);
    }
    return out;
  }

  /** As {@link #read(XmlDoc)}, from the domain XML text (the hook's fast path first, the full parser otherwise). */
  public static List<DeviceIdentity> read(String xml, String label) {
    MetadataScanner.Result r = MetadataScanner.scan(xml, XmlDoc.VGAPASS_NS);
    if (!r.present()) return List.of();
    if (!r.simple()) return read(XmlDoc.parse(label, xml));
    List<DeviceIdentity> out = new ArrayList<>();
    for (MetadataScanner.Element e : r.children()) {
      if (!e.name().equals("hostdev")) continue;
      DeviceIdentity d = of(e.attributes());
      if (d != null) out.add(d);
    }
    return out;
  }

  /** The recorded hostdev addresses that carry no identity yet. */
  public static List<PciAddress> unrecorded(XmlDoc doc) {
    List<PciAddress> out = new ArrayList<>();
    for (XmlNode h : doc.list(HOSTDEV)) {
      String a = h.get(ADDRESS);
      if (h.get(IDS) == null && a != null && PciAddress.looksLike(a)) out.add(PciAddress.parse(a));
    }
    return out;
  }

  /**
   * Records what is at each hostdev's address now, for the records that have no identity yet (a domain planned before
   * them, or hostdevs this run placed). A domain planned earlier gets its record only when the card at its GPU address
   * still has the ids the domain was planned with: else the record would bless whatever sits there now. Returns one
   * note per record it could not make.
   */
  public static List<String> record(XmlDoc doc, Function<PciAddress, DeviceIdentity> now) {
    List<String> notes = new ArrayList<>();
    List<PciAddress> missing = unrecorded(doc);
    if (missing.isEmpty()) return notes;
    String gpu = doc.get(GPU + "/@address");
    String gpuIds = doc.get(GPU + "/@ids");
    if (gpu != null && gpuIds != null && PciAddress.looksLike(gpu)) {
      DeviceIdentity card = now.apply(PciAddress.parse(gpu));
      if (card == null || !card.ids().equals(gpuIds)) {
        notes.add("the passed devices' identity is not recorded: " + gpu + " holds " + (card == null ? "nothing"
            : card.describe()) + " now, not the card " + gpuIds + " the domain was planned with; plan the card again "
            + "(vm tune --gpu ADDR) so the hook can guard its address");
        return notes;
      }
    }
    for (XmlNode h : doc.list(HOSTDEV)) {
      String a = h.get(ADDRESS);
      if (h.get(IDS) != null || a == null || !PciAddress.looksLike(a)) continue;
      DeviceIdentity d = now.apply(PciAddress.parse(a));
      if (d == null) {
        notes.add("the identity of hostdev " + a + " is not recorded: no device is at that address now");
      } else {
        write(h, d);
      }
    }
    return notes;
  }

  /**
   * Moves the domain's devices: every PCI hostdev whose source is a key of {@code moves} gets the new address, and so
   * do vgapass's records (hostdev, GPU, ownership, with the new device's identity), so that a later tune still knows
   * the hostdev for its own.
   */
  public static void follow(XmlDoc doc, Map<PciAddress, PciAddress> moves, Function<PciAddress, DeviceIdentity> now) {
    if (moves.isEmpty()) return;
    Ownership owned = new Ownership(VgapassMetadata.owned(doc));
    Map<XmlNode, PciAddress> sources = new LinkedHashMap<>();
    Map<XmlNode, String> ours = new LinkedHashMap<>();
    for (XmlNode h : doc.list("./devices/hostdev")) {
      String src = Devices.pciSource(h);
      if (src == null || !moves.containsKey(PciAddress.parse(src))) continue;
      sources.put(h, moves.get(PciAddress.parse(src)));
      if (owned.ownedBefore(HostdevTuner.KIND, src, h)) ours.put(h, src);
    }
    Map<XmlNode, PciAddress> records = new LinkedHashMap<>();
    for (XmlNode r : doc.list(HOSTDEV)) {
      String a = r.get(ADDRESS);
      if (a != null && PciAddress.looksLike(a) && moves.containsKey(PciAddress.parse(a))) {
        records.put(r, moves.get(PciAddress.parse(a)));
      }
    }
    XmlNode gpu = doc.find(GPU);
    PciAddress gpuTo = gpu == null || gpu.get(ADDRESS) == null || !PciAddress.looksLike(gpu.get(ADDRESS))
        ? null : moves.get(PciAddress.parse(gpu.get(ADDRESS)));
    // every old place is read before anything is written: two twins may trade addresses
    sources.forEach((h, to) -> {
      h.set(SOURCE + "domain", String.format("0x%04x", to.domain()));
      h.set(SOURCE + "bus", Devices.hex2(to.bus()));
      h.set(SOURCE + "slot", Devices.hex2(to.slot()));
      h.set(SOURCE + "function", "0x" + Integer.toHexString(to.function()));
    });
    records.forEach((r, to) -> {
      r.set(ADDRESS, to.toString());
      for (String at : IDENTITY) r.remove("./@" + at);
      DeviceIdentity d = now.apply(to);
      if (d != null) write(r, d);
    });
    if (gpuTo != null) gpu.set(ADDRESS, gpuTo.toString());
    for (XmlNode o : doc.list(OWNS)) {
      if (!HostdevTuner.KIND.equals(o.get("./@kind"))) continue;
      for (Map.Entry<XmlNode, String> e : ours.entrySet()) {
        if (e.getValue().equals(o.get("./@key"))) {
          o.set("./@key", sources.get(e.getKey()).toString());
          o.set("./@digest", OwnedDigest.of(List.of(e.getKey())));
        }
      }
    }
  }

  /** Writes an identity onto a {@code <vgapass:hostdev>} record (after its address, in a fixed order). */
  static void write(XmlNode record, DeviceIdentity d) {
    record.set(IDS, d.ids());
    if (!d.subsystem().isEmpty()) record.set("./@subsystem", d.subsystem());
    record.set("./@class", d.classCode());
    record.set("./@path", d.path());
    if (!d.group().isEmpty()) {
      record.set("./@group", String.join(" ", d.group().stream().map(PciAddress::toString).toList()));
    }
  }

  private static Map<String, String> attributes(XmlNode h) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String at : java.util.stream.Stream.concat(java.util.stream.Stream.of("address"), IDENTITY.stream()).toList()) {
      String v = h.get("./@" + at);
      if (v != null) out.put(at, v);
    }
    return out;
  }

  /**
   * The identity of one record, or null when it has none. The domain XML is anyone's who may define domains and the
   * hook acts on it as root, so a record that is not what vgapass writes is refused, never read leniently.
   */
  static DeviceIdentity of(Map<String, String> a) {
    if (!a.containsKey("ids")) return null;
    String address = a.getOrDefault("address", "");
    String ids = a.get("ids");
    String sub = a.getOrDefault("subsystem", "");
    String cls = a.getOrDefault("class", "");
    String path = a.getOrDefault("path", "");
    String group = a.getOrDefault("group", "");
    boolean ok = PciAddress.looksLike(address) && ids.matches(ID) && (sub.isEmpty() || sub.matches(ID))
        && cls.matches("0x[0-9a-f]{6}") && path.matches("[A-Za-z0-9:./_-]{1,512}") && !path.contains("..")
        && group.matches("([0-9a-f:.]{7,16}( [0-9a-f:.]{7,16}){0,63})?");
    List<PciAddress> members = new ArrayList<>();
    if (ok && !group.isEmpty()) {
      for (String m : group.split(" ")) {
        if (!PciAddress.looksLike(m)) ok = false;
        else members.add(PciAddress.parse(m));
      }
    }
    if (!ok) {
      throw new IllegalArgumentException("the vgapass metadata's <hostdev address='" + address + "' ids='" + ids
          + "'> record is not what vgapass writes there; run vgapass vm tune on the domain again to rewrite it");
    }
    return new DeviceIdentity(PciAddress.parse(address), ids, sub, cls, path, members);
  }
}
