package io.vgapass.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The devices vgapass added to a domain, by kind and key ("disk", "/dev/sdb"), read from and written back to its
 * metadata. A later tune removes what it added and is no longer planned, and never touches a device the user added,
 * even one with the same source.
 *
 * <p>A key alone is not proof: anyone can type an {@code owns} record naming the user's own disk. So each record also
 * carries the {@link OwnedDigest digest} of what vgapass wrote, and an earlier claim counts only for elements that
 * still have that digest ({@link #ownedBefore}). An element that differs (the user changed it since, or the record
 * was never vgapass's) is left alone, its record dropped, and a note says so. Records written before digests
 * ({@code digest} null) count only for an element that has the shape vgapass writes for its kind
 * ({@link LegacyOwnership}); a tune then records its digest.
 */
final class Ownership {
  /** @param digest what vgapass wrote ({@link OwnedDigest}); null in records of versions before it */
  record Owned(String kind, String key, String digest) {
    Owned(String kind, String key) {
      this(kind, key, null);
    }
  }

  private record Key(String kind, String key) {}

  private final Map<Key, String> before = new LinkedHashMap<>();
  private final Set<Key> hadRecord = new LinkedHashSet<>();
  private final Map<Key, List<XmlNode>> claimed = new LinkedHashMap<>();
  private final Map<Key, String> carried = new LinkedHashMap<>();
  private final Set<Key> refused = new LinkedHashSet<>();
  private final List<String> notes = new ArrayList<>();
  private final BiPredicate<Owned, List<XmlNode>> legacy;

  Ownership(List<Owned> before) {
    this(before, LegacyOwnership::matches);
  }

  Ownership(List<Owned> before, BiPredicate<Owned, List<XmlNode>> legacy) {
    for (Owned o : before) {
      Key k = new Key(o.kind(), o.key());
      this.before.put(k, o.digest());
      hadRecord.add(k);
    }
    this.legacy = legacy;
  }

  /**
   * True when vgapass recorded {@code kind}/{@code key} and the elements are what it wrote. A record that does not
   * match them is dropped, with a note; no elements (the device is gone) never match.
   */
  boolean ownedBefore(String kind, String key, List<XmlNode> elements) {
    Key k = new Key(kind, key);
    if (!hadRecord.contains(k)) return false;
    if (elements.isEmpty()) return false;
    String digest = before.get(k);
    boolean ours = digest != null ? digest.equals(OwnedDigest.of(elements)) : legacy.test(new Owned(kind, key),
        elements);
    if (!ours && refused.add(k)) {
      notes.add("left " + describe(kind, key) + " as it is: vgapass's record of it does not match it (changed "
          + "since vgapass wrote it, or not vgapass's)");
    }
    return ours;
  }

  boolean ownedBefore(String kind, String key, XmlNode element) {
    return element != null && ownedBefore(kind, key, List.of(element));
  }

  /** The elements of {@code candidates} that vgapass wrote under this record. */
  List<XmlNode> ownedOf(Owned o, List<XmlNode> candidates) {
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode c : candidates) if (ownedBefore(o.kind(), o.key(), List.of(c))) out.add(c);
    return out;
  }

  /** Records that vgapass now owns {@code elements} under kind and key; their digest is taken when the tune ends. */
  void claim(String kind, String key, List<XmlNode> elements) {
    claimed.put(new Key(kind, key), List.copyOf(elements));
  }

  void claim(String kind, String key, XmlNode element) {
    claim(kind, key, List.of(element));
  }

  /** Keeps earlier claims of the kinds this run did not touch, as they were recorded. */
  void carryOver(String kind) {
    for (Map.Entry<Key, String> e : before.entrySet()) {
      if (e.getKey().kind().equals(kind)) carried.put(e.getKey(), e.getValue());
    }
  }

  /** Keeps every earlier claim except those of {@code kinds} (a run that changes only those). */
  void carryOverAllBut(String... kinds) {
    Set<String> skip = Set.of(kinds);
    for (Map.Entry<Key, String> e : before.entrySet()) {
      if (!skip.contains(e.getKey().kind())) carried.put(e.getKey(), e.getValue());
    }
  }

  /** The earlier records of a kind (whether they still match is for {@link #ownedBefore} to say). */
  List<Owned> previously(String kind) {
    List<Owned> out = new ArrayList<>();
    for (Map.Entry<Key, String> e : before.entrySet()) {
      if (e.getKey().kind().equals(kind)) out.add(new Owned(kind, e.getKey().key(), e.getValue()));
    }
    return out;
  }

  /** One line per record this run found not to match its element. */
  List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * What is owned now, in a stable order: earlier claims where they were, new ones after them, each with the digest
   * of its elements as they are now (call once the tune is done). Tuners claim in their own order but carry over in
   * the metadata's; without this, a tune that skips a kind (no --gpu) reordered the records and a second tune changed
   * the XML.
   */
  List<Owned> current() {
    List<Owned> out = new ArrayList<>();
    for (Key k : before.keySet()) {
      if (claimed.containsKey(k)) out.add(new Owned(k.kind(), k.key(), OwnedDigest.of(claimed.get(k))));
      else if (carried.containsKey(k)) out.add(new Owned(k.kind(), k.key(), carried.get(k)));
    }
    for (Map.Entry<Key, List<XmlNode>> e : claimed.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        out.add(new Owned(e.getKey().kind(), e.getKey().key(), OwnedDigest.of(e.getValue())));
      }
    }
    for (Map.Entry<Key, String> e : carried.entrySet()) {
      if (!before.containsKey(e.getKey())) out.add(new Owned(e.getKey().kind(), e.getKey().key(), e.getValue()));
    }
    return List.copyOf(out);
  }

  private static String describe(String kind, String key) {
    return switch (kind) {
      case DiskTuner.KIND -> "the disk " + key;
      case DiskTuner.CONTROLLER -> "the SCSI controller " + key;
      case HostdevTuner.KIND -> "the PCI hostdev " + key;
      case HostdevTuner.PORT -> "the PCIe root port " + key;
      case NetworkTuner.KIND -> "the interface " + key;
      case InputTuner.KIND -> "the input " + key;
      case AudioTuner.KIND -> "the sound device";
      case AudioTuner.BACKEND -> "the audio backend " + key;
      case FilesystemTuner.KIND -> "the filesystem " + key;
      case TpmTuner.KIND -> "the TPM";
      case InstallMediaTuner.KIND -> "the CD-ROM " + key;
      case InstallMediaTuner.BOOT -> "the boot entry for the CD-ROM";
      default -> kind + " " + key;
    };
  }
}
