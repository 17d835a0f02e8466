package io.vgapass.cli;

import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.TuneScope;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Host;
import io.vgapass.host.HostReader;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.DomainInfo;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.AudioSpec;
import io.vgapass.plan.CpuPinningPlanner;
import io.vgapass.plan.CpuPlan;
import io.vgapass.plan.Firmware;
import io.vgapass.plan.HugepagePlan;
import io.vgapass.plan.Plan;
import io.vgapass.plan.Planner;
import io.vgapass.runtime.HookInstaller;
import io.vgapass.verify.Verifier;
import io.vgapass.verify.VerifyCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "selftest", mixinStandardHelpOptions = true,
    description = {"Prove on this host, before touching a real VM, that libvirt, QEMU and the kernel accept vgapass's "
        + "tuning: a throwaway TCG domain with the hooks, pinning, FIFO I/O thread and hugepages is defined, started, "
        + "verified, stopped and undefined, and nothing may be left behind.",
        "Exit 0 when every check passes."})
public final class SelftestCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print {\"passed\", \"checks\": [{name, passed, detail}]}.") boolean json;
  @Option(names = "--kernel", paramLabel = "FILE", description = "Boot this kernel in the guest (optional).") Path kernel;
  @Option(names = "--initrd", paramLabel = "FILE", description = "Its initramfs (with --kernel).") Path initrd;
  @Option(names = "--fix", description = "First apply, through the host journal (vgapass host undo takes it back), the "
      + "fixes doctor knows for the libvirt host: the cgroup v1 RT trap in qemu.conf, a missing hugetlbfs mount.")
  boolean fix;
  @Mixin ConnectOption connect;
  @Spec CommandSpec spec;

  private final List<VerifyCheck> checks = new ArrayList<>();

  private void check(String name, boolean passed, String detail) {
    checks.add(new VerifyCheck(name, passed, detail));
  }

  @Override
  public Integer call() throws InterruptedException {
    checkBootFiles(); // before anything is read or defined
    SysRoot root = SysRoot.live();
    Host host = HostReader.read(root);
    if (fix) {
      java.util.List<io.vgapass.apply.HostChange> changes = io.vgapass.apply.LibvirtHostFixes.plan(root, host);
      io.vgapass.apply.Applier applier = new io.vgapass.apply.Applier(root, io.vgapass.apply.Applier.runnerFor(root),
          line -> spec.commandLine().getErr().println("vgapass: " + line), io.vgapass.apply.StepHook.NONE);
      applier.apply(changes, Map.of("command", "selftest --fix"));
      for (io.vgapass.apply.HostChange c : changes) {
        check("fixed", true, c.why() + " (undo: vgapass host undo)");
      }
      if (!changes.isEmpty() && !root.exists("run/systemd/system")) {
        check("fixed", true, "restart libvirtd by hand so it reads qemu.conf (no systemd here)");
      }
      host = HostReader.read(root);
    }
    for (io.vgapass.doctor.Finding f : io.vgapass.doctor.Doctor.examine(host).findings()) {
      if (f.id().equals("cgroup.rt-trap") || f.id().equals("hugepages.mount")) {
        check(f.id(), f.severity() == io.vgapass.doctor.Severity.OK, f.message() + (f.fix().isEmpty() ? ""
            : "; fix: " + f.fix()));
      }
    }
    boolean hooks = new HookInstaller(root).installed();
    check("hooks-installed", hooks, hooks ? "libvirt's qemu hook runs vgapass"
        : "no vgapass hook: sudo vgapass hooks install (then restart libvirtd once)");
    String name = "vgapass-selftest-" + UUID.randomUUID().toString().substring(0, 8);
    long pagesBefore = pages(root);
    try (LibvirtPort port = connect.open()) {
      Plan plan = plan(host, name);
      XmlDoc doc = domain(plan, host);
      String note = SchemaCheck.validate(doc);
      check("schema", true, note == null ? "the throwaway domain is valid against libvirt's schema" : note);
      port.define(doc.serialize());
      try {
        port.start(name);
        check("start", true, "started " + name + " (TCG, " + plan.cpu().vcpus() + " vCPU, "
            + plan.memoryKiB() / 1024 + " MiB on 2 MiB pages)");
        VgapassMetadata m = VgapassMetadata.read(XmlDoc.parse(name, port.domainXml(name, false)));
        long pid = Long.parseLong(root.read("run/libvirt/qemu/" + name + ".pid").orElse("0").trim());
        for (VerifyCheck c : new Verifier(root).verify(m, pid)) {
          if (!c.name().equals("cpu-shield") || hooks) checks.add(c);
        }
        port.destroy(name);
      } catch (io.vgapass.libvirt.LibvirtFailure e) {
        check("start", false, e.getMessage());
      } finally {
        if (port.domain(name).map(DomainInfo::active).orElse(false)) port.destroy(name);
        port.undefine(name);
      }
      cleanup(root, name, pagesBefore, port);
    }
    boolean passed = checks.stream().allMatch(VerifyCheck::passed);
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("passed", passed);
      o.put("checks", checks);
      spec.commandLine().getOut().println(Json.write(o));
    } else {
      checks.forEach(c -> spec.commandLine().getOut().printf("%s %-20s %s%n", c.passed() ? "PASS" : "FAIL", c.name(),
          c.detail()));
      spec.commandLine().getOut().println(passed ? "selftest passed" : "selftest failed");
    }
    return passed ? ExitCode.OK : ExitCode.SHORT;
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
    if (kernel != null) {
      doc.set("./os/kernel", kernel.toAbsolutePath().toString());
      if (initrd != null) doc.set("./os/initrd", initrd.toAbsolutePath().toString());
      doc.set("./os/cmdline", "console=ttyS0 quiet");
    }
    doc.set(DomainPaths.MEMBALLOON_MODEL, "none");
    doc.set("./devices/controller[@type='scsi']/@model", "virtio-scsi"); // gives the I/O thread a user
    doc.set("./devices/controller[@type='scsi']/driver/@iothread", "1");
    return doc;
  }

  private void cleanup(SysRoot root, String name, long pagesBefore, LibvirtPort port) throws InterruptedException {
    for (int i = 0; i < 100 && root.exists("run/vgapass/" + name + ".state"); i++) Thread.sleep(100);
    boolean noState = !root.exists("run/vgapass/" + name + ".state");
    boolean noDomain = port.domain(name).isEmpty();
    long pagesAfter = pages(root);
    boolean noShield = !root.exists("sys/fs/cgroup/cpuset/vgapass-shield");
    check("cleanup", noState && noDomain && pagesAfter == pagesBefore && noShield,
        "domain " + (noDomain ? "undefined" : "still defined") + ", state file " + (noState ? "gone" : "left")
            + ", 2 MiB pages " + pagesBefore + " -> " + pagesAfter + ", shield " + (noShield ? "gone" : "left"));
  }

  /** --kernel must be a Linux kernel image (a bzImage or an ELF vmlinux), --initrd a file that comes with it. */
  private void checkBootFiles() {
    if (initrd != null && kernel == null) throw new UserError("--initrd " + initrd + ": only with --kernel; add --kernel");
    if (kernel != null) {
      byte[] head = readHead(kernel, "--kernel", 0x206);
      boolean elf = head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
      boolean bzImage = head.length >= 0x206 && new String(head, 0x202, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
          .equals("HdrS");
      if (!elf && !bzImage) {
        throw new UserError("--kernel " + kernel + ": not a Linux kernel image (neither a bzImage nor an ELF vmlinux); "
            + "give e.g. /boot/vmlinuz-$(uname -r)");
      }
    }
    if (initrd != null) readHead(initrd, "--initrd", 1);
  }

  private static byte[] readHead(Path file, String option, int bytes) {
    if (java.nio.file.Files.isDirectory(file)) throw new UserError(option + " " + file + ": a directory; give a file");
    if (!java.nio.file.Files.isRegularFile(file)) throw new UserError(option + " " + file + ": no such file");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
      return in.readNBytes(bytes);
    } catch (java.io.IOException e) {
      throw new UserError(option + " " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  private static long pages(SysRoot root) {
    return root.read("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages").map(Long::parseLong).orElse(0L);
  }
}
