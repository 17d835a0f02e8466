package io.vgapass.domain;

import io.vgapass.host.CpuList;
import io.vgapass.plan.LookingGlassSpec;
import io.vgapass.plan.Plan;
import io.vgapass.plan.ShieldMode;
import io.vgapass.plan.SingleGpu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * vgapass's record of intent inside the domain's own {@code <metadata>}: what hooks and verify
 * compare the running VM against, and which devices vgapass added. Only our element (in our
 * namespace) is ever replaced; other tools' metadata stays.
 */
public record VgapassMetadata(
    String gpu,
    List<String> hostdevs,
    List<Integer> vcpuPins,
    List<Integer> emulatorCpus,
    List<Integer> iothreadCpus,
    int iothreadPriority,
    long memoryKiB,
    long hugepageKiB,
    long hugepages,
    Integer node,
    List<Ownership.Owned> owned,
    boolean hookHandover,
    LookingGlassSpec lookingGlass,
    ShieldMode shield,
    SingleGpu singleGpu) {

  private static final String ADDRESS = "./@address";
  private static final String DIGEST = "./@digest";
  private static final String FORMAT = "./@format";
  private static final String KEY = "./@key";
  private static final String KIND = "./@kind";
  private static final String OWNS = "./vgapass:owns";
  // single-GPU mode: handover='single' and its start limit (the hook hands any handover= to Java)
  private static final String SINGLE = "single";
  private static final String START_LIMIT = "./vgapass:gpu/@start-limit";
  static final String ROOT = "./metadata/vgapass:vm";
  static final String LG = "/vgapass:looking-glass";

  public VgapassMetadata {
    if (shield == null) shield = ShieldMode.CGROUP;
  }

  /**
   * Reads our metadata from a domain, or null when it carries no plan record: none at all, or only the devices
   * {@code input evdev}, {@code net setup} or {@code audio setup} added (hooks and verify have nothing to act on).
   */
  public static VgapassMetadata read(XmlDoc doc) {
    XmlNode vm = doc.find(ROOT);
    if (vm == null) return null;
    List<MetadataScanner.Element> children = new ArrayList<>();
    for (Node n = vm.element().getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && XmlDoc.VGAPASS_NS.equals(e.getNamespaceURI())) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
          Node at = e.getAttributes().item(i);
          attributes.put(at.getNodeName(), at.getNodeValue());
        }
        children.add(new MetadataScanner.Element(e.getLocalName(), attributes));
      }
    }
    return of(children);
  }

  /**
   * Reads our metadata from the domain XML text, or null when it carries no plan record (as
   * {@link #read(XmlDoc)}): the hook's fast path ({@link MetadataScanner}), with the full parser
   * for anything it does not recognise.
   */
  public static VgapassMetadata read(String xml, String label) {
    MetadataScanner.Result r = MetadataScanner.scan(xml, XmlDoc.VGAPASS_NS);
    if (!r.present()) return null;
    return r.simple() ? of(r.children()) : read(XmlDoc.parse(label, xml));
  }

  /** The record from the children of {@code <vm>}, however they were read; null without a CPU plan. */
  private static VgapassMetadata of(List<MetadataScanner.Element> children) {
    if (children.stream().noneMatch(e -> e.name().equals("cpu"))) return null;
    List<String> hostdevs = new ArrayList<>();
    List<Ownership.Owned> owned = new ArrayList<>();
    for (MetadataScanner.Element e : children) {
      if (e.name().equals("hostdev")) hostdevs.add(e.attributes().get("address"));
      if (e.name().equals("owns")) {
        owned.add(new Ownership.Owned(e.attributes().get("kind"), e.attributes().get("key"),
            e.attributes().get("digest")));
      }
    }
    return of((element, attribute) -> children.stream()
        .filter(e -> e.name().equals(element) && e.attributes().containsKey(attribute))
        .map(e -> e.attributes().get(attribute)).findFirst().orElse(null), hostdevs, owned);
  }

  /** One attribute of the first child element of {@code <vm>} that has it, or null. */
  private interface Attributes {
    String get(String element, String attribute);

    default String get(MetadataAttribute a) {
      return get(a.element(), a.attribute());
    }
  }

  private static VgapassMetadata of(Attributes vm, List<String> hostdevs, List<Ownership.Owned> owned) {
    String node = vm.get(MetadataAttribute.MEMORY_NODE);
    return builder()
        .gpu(vm.get("gpu", "address"))
        .hostdevs(hostdevs)
        .vcpuPins(ints(vm.get(MetadataAttribute.CPU_VCPUS)))
        .emulatorCpus(CpuList.parse(orEmpty(vm.get(MetadataAttribute.CPU_EMULATOR))))
        .iothreadCpus(CpuList.parse(orEmpty(vm.get(MetadataAttribute.CPU_IOTHREAD))))
        .iothreadPriority((int) number(MetadataAttribute.CPU_IOTHREAD_PRIORITY,
            vm.get(MetadataAttribute.CPU_IOTHREAD_PRIORITY), MAX_PRIORITY))
        .memoryKiB(number(MetadataAttribute.MEMORY_KIB, vm.get(MetadataAttribute.MEMORY_KIB), MAX_KIB))
        .hugepageKiB(number(MetadataAttribute.MEMORY_HUGEPAGE_KIB, vm.get(MetadataAttribute.MEMORY_HUGEPAGE_KIB),
            MAX_COUNT))
        .hugepages(number(MetadataAttribute.MEMORY_HUGEPAGES, vm.get(MetadataAttribute.MEMORY_HUGEPAGES), MAX_COUNT))
        .node(node == null || node.isEmpty() ? null : (int) number(MetadataAttribute.MEMORY_NODE, node, MAX_COUNT))
        .owned(owned)
        .hookHandover("hook".equals(vm.get(MetadataAttribute.GPU_HANDOVER))
            || SINGLE.equals(vm.get(MetadataAttribute.GPU_HANDOVER)))
        .lookingGlass(lookingGlass(vm))
        .shield(shield(vm.get(MetadataAttribute.CPU_SHIELD)))
        .singleGpu(singleGpu(vm))
        .build();
  }

  /**
   * Single-GPU mode as {@link #write} records it ({@code handover='single' start-limit='60'}), or null. A limit that
   * is not one vgapass writes is refused like any number of ours.
   */
  private static SingleGpu singleGpu(Attributes vm) {
    if (!SINGLE.equals(vm.get(MetadataAttribute.GPU_HANDOVER))) return null;
    String limit = vm.get("gpu", "start-limit");
    if (limit == null || limit.isEmpty()) return new SingleGpu(SingleGpu.DEFAULT_LIMIT);
    long n = number("gpu", "start-limit", limit, 9999);
    if (n < 1 || n > SingleGpu.MAX_LIMIT) throw refused("gpu", "start-limit", limit, SingleGpu.MAX_LIMIT);
    return new SingleGpu((int) n);
  }

  /**
   * The shield mode as {@link #write} records it (absent: the default, cgroup). Any other word is refused like a
   * number we did not write: the hook acts on it as root (prepare.sh hands every mode but the default to Java).
   */
  private static ShieldMode shield(String word) {
    if (word == null) return ShieldMode.CGROUP;
    for (ShieldMode m : ShieldMode.values()) if (m.word().equals(word)) return m;
    throw new IllegalArgumentException("the vgapass metadata's <cpu shield='" + word + "'> is not what vgapass writes"
        + " there (cgroup, deep or off); run vgapass vm tune on the domain again to rewrite it");
  }

  /** The planned Looking Glass, or null when none is recorded (or the record is not one we can read). */
  private static LookingGlassSpec lookingGlass(Attributes vm) {
    String mode = vm.get("looking-glass", "mode");
    if (mode == null) return null;
    try {
      return new LookingGlassSpec(Integer.parseInt(vm.get("looking-glass", "width")),
          Integer.parseInt(vm.get("looking-glass", "height")), "yes".equals(vm.get("looking-glass", "hdr")),
          LookingGlassSpec.Video.parse(vm.get("looking-glass", "video")),
          LookingGlassSpec.Mode.valueOf(mode.toUpperCase(Locale.ROOT)),
          Integer.parseInt(vm.get("looking-glass", "size-mib")));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Replaces our metadata element with the plan and the devices now owned. The GPU is recorded only when this run
   * tuned the hostdevs (else the earlier record stays): hooks hand over the card named here, and a domain tuned
   * without {@code --gpu} has no card of the plan's.
   */
  static void write(XmlDoc doc, Plan plan, List<Ownership.Owned> owned, boolean hostdevsTuned,
      boolean lookingGlassTuned) {
    // like the GPU: a run that did not tune Looking Glass keeps the earlier record
    VgapassMetadata earlier = lookingGlassTuned ? null : read(doc);
    LookingGlassSpec lg = lookingGlassTuned ? plan.lookingGlass() : earlier == null ? null : earlier.lookingGlass();
    String gpu;
    String ids;
    boolean hook;
    String single; // the start limit in single-GPU mode, else null
    List<String> hostdevs = new ArrayList<>();
    List<io.vgapass.host.DeviceIdentity> identities = new ArrayList<>();
    if (hostdevsTuned) {
      boolean any = !plan.hostdevs().isEmpty() && plan.gpu() != null;
      gpu = any ? plan.gpu().address().toString() : null;
      ids = any ? plan.gpu().ids() : null;
      hook = any && plan.hookHandover();
      single = any && plan.singleGpu() != null ? String.valueOf(plan.singleGpu().limitSeconds()) : null;
      if (any) plan.hostdevs().forEach(a -> hostdevs.add(a.toString()));
    } else {
      gpu = doc.get(ROOT + "/vgapass:gpu/@address");
      ids = doc.get(ROOT + "/vgapass:gpu/@ids");
      hook = "hook".equals(doc.get(ROOT + "/vgapass:gpu/@handover"));
      single = SINGLE.equals(doc.get(ROOT + "/vgapass:gpu/@handover"))
          ? orEmpty(doc.get(ROOT + START_LIMIT.substring(1))) : null;
      doc.list(ROOT + "/vgapass:hostdev").forEach(h -> hostdevs.add(h.get(ADDRESS)));
      try {
        identities.addAll(DeviceRecords.read(doc)); // the devices' identity stays with them
      } catch (IllegalArgumentException unreadable) {
        // a record vgapass did not write: dropped here, and recorded again from the host (DeviceRecords.record)
      }
    }
    doc.remove(ROOT);
    XmlNode vm = doc.ensure(ROOT);
    vm.set(FORMAT, "1");
    if (gpu != null) {
      vm.set("./vgapass:gpu/@address", gpu);
      vm.set("./vgapass:gpu/@ids", ids);
      if (single != null) {
        vm.set(MetadataAttribute.GPU_HANDOVER.path(), SINGLE);
        if (!single.isEmpty()) vm.set(START_LIMIT, single);
      } else if (hook) {
        vm.set(MetadataAttribute.GPU_HANDOVER.path(), "hook");
      }
    }
    for (String a : hostdevs) {
      XmlNode h = vm.add("./vgapass:hostdev");
      h.set(ADDRESS, a);
      identities.stream().filter(d -> d.address().toString().equals(a)).findFirst()
          .ifPresent(d -> DeviceRecords.write(h, d));
    }
    vm.set(MetadataAttribute.CPU_VCPUS.path(),
        String.join(",", plan.cpu().vcpuToCpu().stream().map(String::valueOf).toList()));
    vm.set(MetadataAttribute.CPU_EMULATOR.path(), CpuList.format(plan.cpu().emulatorCpus()));
    vm.set(MetadataAttribute.CPU_IOTHREAD.path(), CpuList.format(plan.cpu().iothreadCpus()));
    vm.set(MetadataAttribute.CPU_IOTHREAD_PRIORITY.path(), String.valueOf(plan.iothreadPriority()));
    // the default is not written, so domains planned before --shield came read back the same
    if (plan.shield() != ShieldMode.CGROUP) vm.set(MetadataAttribute.CPU_SHIELD.path(), plan.shield().word());
    vm.set(MetadataAttribute.MEMORY_KIB.path(), String.valueOf(plan.memoryKiB()));
    vm.set(MetadataAttribute.MEMORY_HUGEPAGE_KIB.path(), String.valueOf(plan.hugepages().sizeKiB()));
    vm.set(MetadataAttribute.MEMORY_HUGEPAGES.path(), String.valueOf(plan.hugepages().count()));
    vm.set(MetadataAttribute.MEMORY_NODE.path(), plan.numaNode() == null ? "" : String.valueOf(plan.numaNode()));
    if (lg != null) {
      XmlNode e = vm.ensure("." + LG);
      e.set("./@width", String.valueOf(lg.width()));
      e.set("./@height", String.valueOf(lg.height()));
      e.set("./@hdr", lg.hdr() ? "yes" : "no");
      e.set("./@size-mib", String.valueOf(lg.sizeMiB()));
      e.set("./@mode", lg.mode().word());
      e.set("./@video", lg.video().word());
    }
    writeOwns(vm, owned);
  }

  /**
   * A devices-only run's record: the owned devices are replaced, the plan record (if any) stays. A domain that
   * ends up owning nothing and never had a record gets none.
   */
  static void writeOwned(XmlDoc doc, List<Ownership.Owned> owned) {
    XmlNode vm = doc.find(ROOT);
    if (vm == null && owned.isEmpty()) return;
    if (vm == null) {
      vm = doc.ensure(ROOT);
      vm.set(FORMAT, "1");
    }
    vm.remove(OWNS);
    writeOwns(vm, owned);
    if (!hasElements(vm)) {
      XmlNode metadata = vm.parent();
      vm.remove(); // prunes a <metadata> it leaves empty, too
      if (metadata != null && metadata.parent() != null && !hasElements(metadata)) metadata.remove();
    }
  }

  /** One {@code <vgapass:owns kind key digest/>} per owned device (no digest: a record of a version before them). */
  private static void writeOwns(XmlNode vm, List<Ownership.Owned> owned) {
    for (Ownership.Owned o : owned) {
      XmlNode e = vm.add(OWNS);
      e.set(KIND, o.kind());
      e.set(KEY, o.key());
      if (o.digest() != null) e.set(DIGEST, o.digest());
    }
  }

  /** True when the metadata carries a CPU plan (read() already returns null for a domain with device records only). */
  public boolean planned() {
    return !vcpuPins.isEmpty();
  }

  static List<Ownership.Owned> owned(XmlDoc doc) {
    List<Ownership.Owned> owned = new ArrayList<>();
    doc.list(ROOT + "/vgapass:owns").forEach(o -> owned.add(new Ownership.Owned(o.get(KIND), o.get(KEY),
        o.get(DIGEST))));
    return owned;
  }

  private static boolean hasElements(XmlNode n) {
    for (Node c = n.element().getFirstChild(); c != null; c = c.getNextSibling()) {
      if (c.getNodeType() == Node.ELEMENT_NODE) return true;
    }
    return false;
  }

  private static List<Integer> ints(String csv) {
    if (csv == null || csv.isEmpty()) return List.of();
    List<Integer> out = new ArrayList<>();
    for (String part : csv.split(",", -1)) {
      MetadataAttribute a = MetadataAttribute.CPU_VCPUS;
      if (part.isEmpty()) throw refused(a.element(), a.attribute(), csv, MAX_COUNT);
      out.add((int) number(a.element(), a.attribute(), part, csv, MAX_COUNT));
    }
    return out;
  }

  /** The largest SCHED_FIFO priority; and the largest count, CPU, node or page size the hook takes (sums stay in a long). */
  static final long MAX_PRIORITY = 99;
  static final long MAX_COUNT = 999_999_999L;
  static final long MAX_KIB = 999_999_999_999_999_999L;

  /**
   * A number of our record as {@link #write} puts it: ASCII digits, no sign, no space, no leading zero, at most
   * {@code max} (empty or absent: 0). The domain XML is anyone's who may define domains and the hook acts on it as
   * root, so anything else is refused, never read leniently; runtime/prepare.sh refuses the same values with the
   * same message.
   */
  private static long number(MetadataAttribute a, String text, long max) {
    return number(a.element(), a.attribute(), text, text, max);
  }

  private static long number(String element, String attribute, String text, long max) {
    return number(element, attribute, text, text, max);
  }

  private static long number(String element, String attribute, String text, String whole, long max) {
    if (text == null || text.isEmpty()) return 0;
    if ((text.equals("0") || text.matches("[1-9][0-9]*")) && text.length() <= String.valueOf(max).length()) {
      return Long.parseLong(text); // max is all nines: at most as many digits is at most max
    }
    throw refused(element, attribute, whole, max);
  }

  private static IllegalArgumentException refused(String element, String attribute, String value, long max) {
    return new IllegalArgumentException("the vgapass metadata's <" + element + " " + attribute + "='" + value
        + "'> is not what vgapass writes there (whole numbers from 0 to " + max + "); run vgapass vm tune on the"
        + " domain again to rewrite it");
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** A builder with nothing recorded: empty lists, zeros, no node, the default shield. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this VgapassMetadata's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.gpu = gpu;
    b.hostdevs = hostdevs;
    b.vcpuPins = vcpuPins;
    b.emulatorCpus = emulatorCpus;
    b.iothreadCpus = iothreadCpus;
    b.iothreadPriority = iothreadPriority;
    b.memoryKiB = memoryKiB;
    b.hugepageKiB = hugepageKiB;
    b.hugepages = hugepages;
    b.node = node;
    b.owned = owned;
    b.hookHandover = hookHandover;
    b.lookingGlass = lookingGlass;
    b.shield = shield;
    b.singleGpu = singleGpu;
    return b;
  }

  /** Builds a {@link VgapassMetadata} by naming each value; what is not named keeps its default. */
  public static final class Builder {
    private String gpu;
    private List<String> hostdevs = List.of();
    private List<Integer> vcpuPins = List.of();
    private List<Integer> emulatorCpus = List.of();
    private List<Integer> iothreadCpus = List.of();
    private int iothreadPriority;
    private long memoryKiB;
    private long hugepageKiB;
    private long hugepages;
    private Integer node;
    private List<Ownership.Owned> owned = List.of();
    private boolean hookHandover;
    private LookingGlassSpec lookingGlass;
    private ShieldMode shield = ShieldMode.CGROUP;
    private SingleGpu singleGpu;

    private Builder() {}

    public Builder gpu(String gpu) {
      this.gpu = gpu;
      return this;
    }

    public Builder hostdevs(List<String> hostdevs) {
      this.hostdevs = hostdevs;
      return this;
    }

    public Builder vcpuPins(List<Integer> vcpuPins) {
      this.vcpuPins = vcpuPins;
      return this;
    }

    public Builder emulatorCpus(List<Integer> emulatorCpus) {
      this.emulatorCpus = emulatorCpus;
      return this;
    }

    public Builder iothreadCpus(List<Integer> iothreadCpus) {
      this.iothreadCpus = iothreadCpus;
      return this;
    }

    public Builder iothreadPriority(int iothreadPriority) {
      this.iothreadPriority = iothreadPriority;
      return this;
    }

    public Builder memoryKiB(long memoryKiB) {
      this.memoryKiB = memoryKiB;
      return this;
    }

    public Builder hugepageKiB(long hugepageKiB) {
      this.hugepageKiB = hugepageKiB;
      return this;
    }

    public Builder hugepages(long hugepages) {
      this.hugepages = hugepages;
      return this;
    }

    public Builder node(Integer node) {
      this.node = node;
      return this;
    }

    public Builder owned(List<Ownership.Owned> owned) {
      this.owned = owned;
      return this;
    }

    public Builder hookHandover(boolean hookHandover) {
      this.hookHandover = hookHandover;
      return this;
    }

    public Builder lookingGlass(LookingGlassSpec lookingGlass) {
      this.lookingGlass = lookingGlass;
      return this;
    }

    public Builder shield(ShieldMode shield) {
      this.shield = shield;
      return this;
    }

    public Builder singleGpu(SingleGpu singleGpu) {
      this.singleGpu = singleGpu;
      return this;
    }

    public VgapassMetadata build() {
      return new VgapassMetadata(gpu, hostdevs, vcpuPins, emulatorCpus, iothreadCpus, iothreadPriority, memoryKiB,
          hugepageKiB, hugepages, node, owned, hookHandover, lookingGlass, shield, singleGpu);
    }
  }
}
