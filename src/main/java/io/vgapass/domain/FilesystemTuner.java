package io.vgapass.domain;

import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Node;

/**
 * virtiofs shares ({@code vgapass share setup --via virtiofs}). virtiofsd maps guest memory, so the guest's RAM
 * must be shareable: {@code <memoryBacking>} gets {@code <source type='memfd'/>} and {@code <access mode='shared'/>},
 * which sit beside the hugepages {@link MemoryTuner} plans (libvirt then backs memory with hugetlb memfd). Both are
 * recorded as owned and removed with the last share, unless the domain had them before.
 */
final class FilesystemTuner implements Tuner {
  private static final String MOUNTS = "./devices/filesystem[@type='mount']";
  private static final String MEMORY_BACKING = "./memoryBacking";
  private static final String BACKING_ACCESS = "./memoryBacking/access";
  private static final String BACKING_ACCESS_MODE = "./memoryBacking/access/@mode";
  private static final String BACKING_SOURCE = "./memoryBacking/source";
  private static final String BACKING_SOURCE_TYPE = "./memoryBacking/source/@type";
  private static final String READONLY = "./readonly";
  private static final String SOURCE_DIR = "./source/@dir";
  private static final String TARGET_DIR = "./target/@dir";
  static final String KIND = "filesystem";
  static final String SHARED_MEMORY = "shared-memory";

  /** Shares are the share verb's: plan and vm tune keep what it added. */
  @Override
  public void tune(XmlDoc doc, Plan plan, TuneScope scope, Ownership owned) {
    owned.carryOver(KIND);
    owned.carryOver(SHARED_MEMORY);
  }

  /** Makes vgapass's virtiofs shares exactly {@code wanted}; the user's own filesystems stay. */
  static void share(XmlDoc doc, List<FilesystemShare> wanted, Ownership owned) {
    for (Ownership.Owned o : owned.previously(KIND)) {
      owned.ownedOf(o, withTag(doc, o.key())).forEach(XmlNode::remove);
    }
    for (FilesystemShare s : wanted) {
      boolean theirs = doc.list("./devices/filesystem").stream().anyMatch(f -> s.tag().equals(f.get(TARGET_DIR)));
      if (theirs) {
        throw new IllegalArgumentException("--name " + s.tag() + ": the domain already has a filesystem with that "
            + "target (not vgapass's): choose another --name");
      }
      XmlNode fs = doc.add(MOUNTS);
      fs.set("./@accessmode", "passthrough");
      fs.set(DevicePaths.DRIVER_TYPE, "virtiofs");
      fs.set(SOURCE_DIR, s.source());
      fs.set(TARGET_DIR, s.tag());
      if (s.readOnly()) fs.ensure(READONLY);
      owned.claim(KIND, s.tag(), fs);
    }
    boolean hadShared = owned.ownedBefore(SHARED_MEMORY, "memfd", sharedMemory(doc));
    if (wanted.isEmpty()) {
      if (hadShared) {
        doc.remove(BACKING_SOURCE);
        doc.remove(BACKING_ACCESS);
        XmlNode mb = doc.find(MEMORY_BACKING);
        if (mb != null && !hasElements(mb)) doc.remove(MEMORY_BACKING);
      }
      return;
    }
    boolean present = "memfd".equals(doc.get(BACKING_SOURCE_TYPE))
        && "shared".equals(doc.get(BACKING_ACCESS_MODE));
    if (present && !hadShared) return; // the domain's own setting: not ours to remove later
    doc.set(BACKING_SOURCE_TYPE, "memfd");
    doc.set(BACKING_ACCESS_MODE, "shared");
    owned.claim(SHARED_MEMORY, "memfd", sharedMemory(doc));
  }

  /** The two elements of the shared memory backing, or none unless both are there. */
  private static List<XmlNode> sharedMemory(XmlDoc doc) {
    XmlNode source = doc.find(BACKING_SOURCE);
    XmlNode access = doc.find(BACKING_ACCESS);
    return source == null || access == null ? List.of() : List.of(source, access);
  }

  private static List<XmlNode> withTag(XmlDoc doc, String tag) {
    return doc.list(MOUNTS).stream().filter(f -> tag.equals(f.get(TARGET_DIR)))
        .toList();
  }

  private static boolean hasElements(XmlNode n) {
    for (Node c = n.element().getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) return true;
    }
    return false;
  }

  /** vgapass's shares in the domain, from its ownership records. */
  static List<FilesystemShare> owned(XmlDoc doc, Ownership owned) {
    List<FilesystemShare> out = new ArrayList<>();
    for (Ownership.Owned o : owned.previously(KIND)) {
      for (XmlNode fs : owned.ownedOf(o, withTag(doc, o.key()))) {
        out.add(new FilesystemShare(fs.get(SOURCE_DIR), o.key(), fs.exists(READONLY)));
      }
    }
    return out;
  }
}
