package io.vgapass.verify;

import io.vgapass.apply.Applier;
import io.vgapass.apply.HostChange;
import io.vgapass.apply.LibvirtHostFixes;
import io.vgapass.apply.StepHook;
import io.vgapass.doctor.Doctor;
import io.vgapass.doctor.Finding;
import io.vgapass.doctor.Severity;
import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.TuneScope;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtFailure;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.CpuPinningPlanner;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.Firmware;
import io.vgapass.plan.HugepagePlan;
import io.vgapass.plan.Plan;
import io.vgapass.plan.Planner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * selftest's run on a live host: the optional libvirt host fixes (through the journal), a throwaway TCG domain with
 * the hooks, pinning, FIFO I/O thread and hugepages defined, started, verified, stopped and undefined, and a check
 * that nothing was left behind. Each step adds a check; the run never stops half-way with the domain still defined.
 */
public final class Selftest {
  /**
   * What the caller decided: apply the host fixes first, boot this kernel/initrd (already checked to be files; null
   * for none), and whether the vgapass hook is installed (runtime's fact, one floor across).
   */
  public record Options(boolean fix, Path kernel, Path initrd, boolean hooksInstalled) {}

  /** The checks in the order they ran; passed when every one passed. */
  public record Result(boolean passed, List<VerifyCheck> checks) {}

  private final SysRoot root;
  private final Options options;
  private final Function<XmlDoc, String> schemaCheck;
  private final Consumer<String> progress;
  private final List<VerifyCheck> checks = new ArrayList<>();

  /**
   * @param schemaCheck validates the domain before libvirt sees it; returns a note when it could not (no schema)
   * @param progress the applier's one-line messages while --fix changes the host
   */
  public Selftest(SysRoot root, Options options, Function<XmlDoc, String> schemaCheck, Consumer<String> progress) {
    this.root = root;
    this.options = options;
    this.schemaCheck = schemaCheck;
    this.progress = progress;
  }

  private void check(String name, boolean passed, String detail) {
    checks.add(new VerifyCheck(name, passed, detail));
  }

  /** Runs once; the connection is opened only after the host is read (and fixed). */
  public Result run(Supplier<LibvirtPort> connect) throws InterruptedException {
    Host host = HostReader.read(root);
    if (options.fix()) host = fix(host);
    for (Finding f : Doctor.examine(host).findings()) {
      if (f.id().equals("cgroup.rt-trap") || f.id().equals("hugepages.mount")) {
        check(f.id(), f.severity() == Severity.OK, f.message() + (f.fix().isEmpty() ? "" : "; fix: " + f.fix()));
      }
    }
    boolean hooks = options.hooksInstalled();
    check("hooks-installed", hooks, hooks ? "libvirt's qemu hook runs vgapass"
        : "no vgapass hook: sudo vgapass hooks install (then restart libvirtd once)");
    String name = "vgapass-selftest-" + UUID.randomUUID().toString().substring(0, 8);
    long pagesBefore = pages();
    try (LibvirtPort port = connect.get()) {
      runDomain(port, host, name, hooks);
      cleanup(name, pagesBefore, port);
    }
    return new Result(checks.stream().allMatch(VerifyCheck::passed), List.copyOf(checks));
  }

  private Host fix(Host host) {
    List<HostChange> changes = LibvirtHostFixes.plan(root, host);
    Applier applier = new Applier(root, Applier.runnerFor(root), progress, StepHook.NONE);
    applier.apply(changes, Map.of("command", "selftest --fix"));
    for (HostChange c : changes) {
      check("fixed", true, c.why() + " (undo: vgapass host undo)");
    }
    if (!changes.isEmpty() && !root.exists("run/systemd/system")) {
      check("fixed", true, "restart libvirtd by hand so it reads qemu.conf (no systemd here)");
    }
    return HostReader.read(root);
  }

  private void runDomain(LibvirtPort port, Host host, String name, boolean hooks) {
    Plan plan = plan(host, name);
    XmlDoc doc = domain(plan, host);
    String note = schemaCheck.apply(doc);
    check("schema", true, note == null ? "the throwaway domain is valid against libvirt's schema" : note);
    port.define(doc.serialize());
    try {
      port.start(name);
      check("start", true, "started " + name + " (TCG, " + plan.cpu().vcpus() + " vCPU, "
          + plan.memoryKiB() / 1024 + " MiB on 2 MiB pages)");
      VgapassMetadata m = VgapassMetadata.read(XmlDoc.parse(name, port.domainXml(name, false)));
      long pid = QemuPid.of(root, name).orElse(0L);
      for (VerifyCheck c : new Verifier(root).verify(m, pid)) {
        if (!c.name().equals("cpu-shield") || hooks) checks.add(c);
      }
      port.destroy(name);
    } catch (LibvirtFailure e) {
      check("start", false, e.getMessage());
    } finally {
      if (port.domain(name).map(DomainInfo::active).orElse(false)) port.destroy(name);
      port.undefine(name);
    }
  }

  /** One vCPU (two on hosts with more than two CPUs), 128 MiB on 2 MiB pages, FIFO I/O thread. */
  private static Plan plan(Host host, String name) {
    int vcpus = host.cpu().cpus().size() > 2 ? 2 : 1;
    CpuPlan cpu = CpuPinningPlanner.plan(host.cpu(), vcpus);
    long mem = 128 * 1024;
    return Plan.builder().name(name).cpu(cpu).memoryKiB(mem).hugepages(new HugepagePlan(2048, mem / 2048, null))
        .firmware(new Firmware(null, null, false, null)).audio(AudioSpec.NONE)
        .iothreadPriority(Planner.DEFAULT_IOTHREAD_PRIORITY).libvirtVersion(host.virt().libvirtVersion()).build();
  }

  /** The tuned domain, made runnable under TCG: no host-passthrough CPU, no firmware files needed. */
  private XmlDoc domain(Plan plan, Host host) {
    XmlDoc doc = XmlDoc.parse("selftest", "<domain type='qemu'>\n  <name>" + plan.name() + "</name>\n  <devices/>\n"
        + "</domain>\n");
    if (host.virt().qemu() != null) doc.set(DomainPaths.EMULATOR, host.virt().qemu());
    DomainWriter.tune(doc, plan, TuneScope.builder().memorySize(true).build());
    doc.set("./cpu/@mode", "maximum"); // host-passthrough needs KVM; TCG offers the maximum model
    doc.remove("./cpu/cache");
    doc.remove("./cpu/@check");
    doc.set(DomainPaths.OS_TYPE, "hvm");
    doc.set(DomainPaths.OS_ARCH, "x86_64");
    doc.set(DomainPaths.OS_MACHINE, "q35");
    if (options.kernel() != null) {
      doc.set("./os/kernel", options.kernel().toAbsolutePath().toString());
      if (options.initrd() != null) doc.set("./os/initrd", options.initrd().toAbsolutePath().toString());
      doc.set("./os/cmdline", "console=ttyS0 quiet");
    }
    doc.set(DomainPaths.MEMBALLOON_MODEL, "none");
    doc.set("./devices/controller[@type='scsi']/@model", "virtio-scsi"); // gives the I/O thread a user
    doc.set("./devices/controller[@type='scsi']/driver/@iothread", "1");
    return doc;
  }

  private void cleanup(String name, long pagesBefore, LibvirtPort port) throws InterruptedException {
    for (int i = 0; i < 100 && root.exists("run/vgapass/" + name + ".state"); i++) Thread.sleep(100);
    boolean noState = !root.exists("run/vgapass/" + name + ".state");
    boolean noDomain = port.domain(name).isEmpty();
    long pagesAfter = pages();
    boolean noShield = !root.exists("sys/fs/cgroup/cpuset/vgapass-shield");
    check("cleanup", noState && noDomain && pagesAfter == pagesBefore && noShield,
        "domain " + (noDomain ? "undefined" : "still defined") + ", state file " + (noState ? "gone" : "left")
            + ", 2 MiB pages " + pagesBefore + " -> " + pagesAfter + ", shield " + (noShield ? "gone" : "left"));
  }

  private long pages() {
    return root.read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages").map(Long::parseLong).orElse(0L);
  }
}
