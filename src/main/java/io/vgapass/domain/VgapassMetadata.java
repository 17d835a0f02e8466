package io.vgapass.domain;

import io.vgapass.host.CpuList;
import io.vgapass.plan.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    boolean hookHandover) {

  static final String ROOT = "./metadata/vgapass:vm";

  /** Reads our metadata from a domain, or null when it carries none. */
  public static VgapassMetadata read(XmlDoc doc) {
    XmlNode vm = doc.find(ROOT);
    if (vm == null) return null;
    List<String> hostdevs = new ArrayList<>();
    vm.list("./vgapass:hostdev").forEach(h -> hostdevs.add(h.get("./@address")));
    List<Ownership.Owned> owned = new ArrayList<>();
    vm.list("./vgapass:owns").forEach(o -> owned.add(new Ownership.Owned(o.get("./@kind"), o.get("./@key"))));
    String node = vm.get("./vgapass:memory/@node");
    return new VgapassMetadata(
        vm.get("./vgapass:gpu/@address"),
        hostdevs,
        ints(vm.get("./vgapass:cpu/@vcpus")),
        CpuList.parse(orEmpty(vm.get("./vgapass:cpu/@emulator"))),
        CpuList.parse(orEmpty(vm.get("./vgapass:cpu/@iothread"))),
        (int) num(vm.get("./vgapass:cpu/@iothread-priority")),
        num(vm.get("./vgapass:memory/@kib")),
        num(vm.get("./vgapass:memory/@hugepage-kib")),
        num(vm.get("./vgapass:memory/@hugepages")),
        node == null || node.isEmpty() ? null : Integer.valueOf(node),
        owned,
        "hook".equals(vm.get("./vgapass:gpu/@handover")));
  }

  /**
   * Replaces our metadata element with the plan and the devices now owned. The GPU is recorded only when this run
   * tuned the hostdevs (else the earlier record stays): hooks hand over the card named here, and a domain tuned
   * without {@code --gpu} has no card of the plan's.
   */
  static void write(XmlDoc doc, Plan plan, List<Ownership.Owned> owned, boolean hostdevsTuned) {
    String gpu;
    String ids;
    boolean hook;
    List<String> hostdevs = new ArrayList<>();
    if (hostdevsTuned) {
      boolean any = !plan.hostdevs().isEmpty() && plan.gpu() != null;
      gpu = any ? plan.gpu().address().toString() : null;
      ids = any ? plan.gpu().ids() : null;
      hook = any && plan.hookHandover();
      if (any) plan.hostdevs().forEach(a -> hostdevs.add(a.toString()));
    } else {
      gpu = doc.get(ROOT + "/vgapass:gpu/@address");
      ids = doc.get(ROOT + "/vgapass:gpu/@ids");
      hook = "hook".equals(doc.get(ROOT + "/vgapass:gpu/@handover"));
      doc.list(ROOT + "/vgapass:hostdev").forEach(h -> hostdevs.add(h.get("./@address")));
    }
    doc.remove(ROOT);
    XmlNode vm = doc.ensure(ROOT);
    vm.set("./@format", "1");
    if (gpu != null) {
      vm.set("./vgapass:gpu/@address", gpu);
      vm.set("./vgapass:gpu/@ids", ids);
      if (hook) vm.set("./vgapass:gpu/@handover", "hook");
    }
    for (String a : hostdevs) vm.add("./vgapass:hostdev").set("./@address", a);
    vm.set("./vgapass:cpu/@vcpus", String.join(",", plan.cpu().vcpuToCpu().stream().map(String::valueOf).toList()));
    vm.set("./vgapass:cpu/@emulator", CpuList.format(plan.cpu().emulatorCpus()));
    vm.set("./vgapass:cpu/@iothread", CpuList.format(plan.cpu().iothreadCpus()));
    vm.set("./vgapass:cpu/@iothread-priority", String.valueOf(plan.iothreadPriority()));
    vm.set("./vgapass:memory/@kib", String.valueOf(plan.memoryKiB()));
    vm.set("./vgapass:memory/@hugepage-kib", String.valueOf(plan.hugepages().sizeKiB()));
    vm.set("./vgapass:memory/@hugepages", String.valueOf(plan.hugepages().count()));
    vm.set("./vgapass:memory/@node", plan.numaNode() == null ? "" : String.valueOf(plan.numaNode()));
    for (Ownership.Owned o : owned) {
      XmlNode e = vm.add("./vgapass:owns");
      e.set("./@kind", o.kind());
      e.set("./@key", o.key());
    }
  }

  /**
   * Replaces only the ownership records. A domain vgapass never tuned gets a {@code <vgapass:vm>} holding nothing
   * else; the hook and verify leave such a domain alone (it has no CPU plan).
   */
  static void writeOwned(XmlDoc doc, List<Ownership.Owned> owned) {
    XmlNode vm = doc.find(ROOT);
    if (vm == null) {
      vm = doc.ensure(ROOT);
      vm.set("./@format", "1");
    }
    vm.remove("./vgapass:owns");
    for (Ownership.Owned o : owned) {
      XmlNode e = vm.add("./vgapass:owns");
      e.set("./@kind", o.kind());
      e.set("./@key", o.key());
    }
  }

  /** True when the metadata carries a CPU plan (vgapass planned or tuned the domain, not only shared a folder). */
  public boolean planned() {
    return !vcpuPins.isEmpty();
  }

  static List<Ownership.Owned> owned(XmlDoc doc) {
    VgapassMetadata m = read(doc);
    return m == null ? List.of() : m.owned();
  }

  private static List<Integer> ints(String csv) {
    if (csv == null || csv.isBlank()) return List.of();
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  private static long num(String s) {
    return s == null || s.isBlank() ? 0 : Long.parseLong(s.trim());
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
