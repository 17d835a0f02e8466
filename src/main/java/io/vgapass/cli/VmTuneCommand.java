package io.vgapass.cli;

import io.vgapass.apply.Diffs;
import io.vgapass.domain.DomainPaths;
import io.vgapass.domain.DomainWriter;
import io.vgapass.domain.TuneScope;
import io.vgapass.domain.VgapassMetadata;
import io.vgapass.domain.XmlDoc;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import io.vgapass.libvirt.LibvirtPort;
import io.vgapass.plan.Intent;
import io.vgapass.plan.Plan;
import io.vgapass.plan.PlanRefused;
import io.vgapass.plan.Planner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tune",
    footerHeading = "%nExamples:%n",
    footer = {"  sudo vgapass vm tune --domain win10 --dry-run   # the change as a diff",
        "  sudo vgapass vm tune --domain win10 --gpu 0000:01:00.0",
        "  vgapass vm tune --in old.xml --out tuned.xml"},
    sortOptions = false,
    description = {"Apply vgapass's tuning to an existing domain's XML.",
        "Owns only what it tunes (vcpu, cputune, cpu mode/topology, memoryBacking, iothreads, numatune, its metadata, "
            + "and the devices it adds); everything else comes out untouched. Tuning twice gives the same XML.",
        "Devices (GPU, disks, NICs, sound, inputs, Looking Glass) are added only when their flags are given."})
public final class VmTuneCommand implements Callable<Integer> {
  @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--in", paramLabel = "FILE", description = "The domain XML (virsh dumpxml --inactive NAME).")
    Path in;

    @Option(names = "--domain", paramLabel = "NAME",
        description = "Tune a defined domain in libvirt: edit its inactive XML, validate, redefine.")
    String domain;
  }

  @Mixin ConnectOption connect;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the tuned XML here and nowhere else (with "
      + "--domain the defined domain stays as it is; default: print it, or redefine the --domain).")
  Path out;

  @Mixin DryRunOption dryRun;

  @Option(names = "--follow-devices", description = "The passed devices moved (new card, BIOS update, renumbered "
      + "buses): point the domain's hostdevs at the addresses where the recorded devices are now (shown first; with "
      + "--dry-run, only shown).")
  boolean followDevices;

  @Mixin HostOptions host;
  @Mixin PlanOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    options.checkDisks(host.live());
    options.checkMedia(host.live());
    XmlDoc doc;
    LibvirtPort port = null;
    if (input.domain != null) {
      port = connect.open();
      try {
        doc = DomainEdit.read(port, input.domain, connect.uri).doc();
      } catch (RuntimeException e) {
        port.close();
        throw e;
      }
    } else {
      if (Files.isDirectory(input.in)) {
        throw new UserError("--in " + input.in + ": a directory; give the domain's XML file (virsh dumpxml --inactive "
            + "NAME > FILE)");
      }
      if (!Files.isRegularFile(input.in)) {
        throw new UserError("--in " + input.in + ": no such file; export the domain with virsh dumpxml --inactive NAME > FILE");
      }
      doc = XmlDoc.read(input.in);
    }
    try {
      return tune(doc, port);
    } finally {
      if (port != null) port.close();
    }
  }

  /** Without --shield the domain keeps the mode its metadata records (a run for --vcpus must not drop --shield deep). */
  private Intent keptShield(XmlDoc doc, Intent intent) {
    if (options.shield != null) return intent;
    try {
      VgapassMetadata earlier = VgapassMetadata.read(doc);
      return earlier == null ? intent : intent.withShield(earlier.shield());
    } catch (IllegalArgumentException unreadable) {
      return intent; // a record vgapass did not write: this run rewrites it with the default
    }
  }

  private int tune(XmlDoc doc, LibvirtPort port) {
    String before = doc.serialize(); // as vgapass's writer prints it, so a diff shows only the tuning
    SysRoot root = host.sysRoot();
    if (followDevices) return follow(doc, root, port, before);
    Host h = host.read(root);
    Integer vcpus = DomainFacts.vcpus(doc);
    Long memory = DomainFacts.memoryKiB(doc);
    checkDomainFits(doc.name(), h, vcpus, memory);
    Plan plan;
    try {
      // the card is the domain's business only with --gpu; without it no card needs to qualify
      plan = Planner.planGpuOptional(h, keptShield(doc, options.intent(vcpus, memory, doc.get(DomainPaths.NAME))));
    } catch (PlanRefused e) {
      if (options.memory == null && memory != null && e.getMessage().startsWith("--memory must be a multiple")) {
        throw new UserError(doc.name() + ": <memory> is " + memory + " KiB, which " + e.getMessage().substring(
            "--memory ".length()) + "; pass --memory (e.g. " + Math.max(1, memory / 1048576) + "G) or --hugepages off");
      }
      throw e;
    }
    checkNumaCells(doc, plan.memoryKiB());
    TuneScope scope = TuneScope.builder().memorySize(options.memory != null).hostdevs(options.gpu != null || options.singleGpu)
        .disks(!options.disks.isEmpty()).nics(!options.nics.isEmpty()).audio(options.audio != null)
        .inputs(!options.inputs.isEmpty()).hideKvm(options.nvidiaHideKvm).lookingGlass(options.lookingGlass != null)
        .firmware(options.secureBoot != null).tpm(options.tpm != null).installMedia(options.installMediaGiven())
        .build();
    DomainWriter.tune(doc, plan, scope, n -> spec.commandLine().getErr().println("vgapass: " + n));
    DeviceFollowing.record(doc, root).forEach(n -> spec.commandLine().getErr().println("vgapass: " + n));
    if (options.singleGpu) {
      String single = SingleGpuNote.of(plan, host.sysRoot());
      if (single != null) spec.commandLine().getErr().println("vgapass: " + single);
    }
    if (options.lookingGlass != null) {
      // what the user must still do on the host, and what the domain could not get
      plan.notes().stream().filter(n -> n.startsWith("looking glass: "))
          .forEach(n -> spec.commandLine().getErr().println("vgapass: " + n));
    }
    if (options.secureBoot != null) {
      // the variable file libvirt made for the old firmware keeps its keys (or lack of them) until it is made anew
      spec.commandLine().getErr().println("vgapass: the firmware changed: start the domain once with virsh start "
          + doc.get("./name") + " --reset-nvram so its UEFI variables come from the new firmware's template (this "
          + "also resets the guest's UEFI boot entries; Windows finds its boot loader again on the disk)");
    }
    // what the host still lacks for what was asked (swtpm, a Secure Boot build), and what setup needs
    plan.notes().stream().filter(n -> options.tpm != null && n.startsWith("tpm: ")
        || options.secureBoot != null && n.startsWith("secure boot: ")
        || (options.installIso != null || options.driversIso != null) && n.startsWith("install: "))
        .forEach(n -> spec.commandLine().getErr().println("vgapass: " + n));
    return write(doc, port, before);
  }

  /**
   * {@code --follow-devices}: only the passed devices' addresses (and vgapass's records of them) change; the tuning
   * stays as it is, so the diff shows the move and nothing else.
   */
  private int follow(XmlDoc doc, SysRoot root, LibvirtPort port, String before) {
    java.util.Set<String> alone = java.util.Set.of("--follow-devices", "--domain", "--in", "--out", "--dry-run",
        "--connect", "--sysroot", "--example", "--debug");
    java.util.List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
        .map(opt -> opt.longestName()).filter(n -> !alone.contains(n)).toList();
    if (!others.isEmpty()) {
      throw new UserError("--follow-devices moves the passed devices and changes nothing else; run it without "
          + String.join(", ", others) + ", then vm tune again for the tuning");
    }
    PrintWriter shown = port == null && out == null && !dryRun.on ? spec.commandLine().getErr() : spec.commandLine().getOut();
    DeviceFollowing.follow(doc, root, shown);
    return write(doc, port, before);
  }

  /** Validates the tuned XML and shows it (--dry-run), writes it (--out), redefines it (--domain) or prints it. */
  private int write(XmlDoc doc, LibvirtPort port, String before) {
    String note = SchemaCheck.validate(doc);
    String xml = doc.serialize();
    PrintWriter o = spec.commandLine().getOut();
    String name = doc.get(DomainPaths.NAME);
    if (dryRun.on) {
      String label = port != null ? "domain " + name + " (inactive XML)" : input.in.toString();
      o.print(before.equals(xml) ? label + ": the XML does not change\n" : Diffs.text(label, before, xml));
      o.println("dry run: nothing was defined or written" + (note == null
          ? " (the tuned XML is valid against libvirt's schema)" : "; " + note));
      return ExitCode.OK;
    }
    if (out != null) {
      // --out asks for a file: a --domain is read, never redefined
      OutputFiles.write(out, xml, "--out");
      o.println("tuned " + name + " -> " + out + (port != null ? " (the domain on " + connect.uri + " is unchanged)" : "")
          + (note == null ? " (valid against libvirt's schema)" : "; " + note));
      NextStep.print(o, NextStep.vgapass("vm define " + out));
      return ExitCode.OK;
    }
    if (port != null) {
      port.define(xml);
      o.println("tuned and redefined " + name + " on " + connect.uri
          + (note == null ? " (valid against libvirt's schema)" : "; " + note));
      // a running domain keeps its old definition until it starts again
      NextStep.print(o, NextStep.start(port, name), NextStep.vgapass("verify " + name));
      return ExitCode.OK;
    }
    o.print(xml);
    if (note != null) spec.commandLine().getErr().println("vgapass: " + note);
    return ExitCode.OK;
  }

  /**
   * A guest with NUMA cells gets the cells' memory from libvirt, not {@code <memory>}: were they to hold another size
   * than the plan, the guest would run with the cells' size while the hook reserves hugepages for the plan's.
   */
  private void checkNumaCells(XmlDoc doc, long planKiB) {
    Long cells = DomainFacts.numaCellsKiB(doc);
    if (cells == null || cells == planKiB) return;
    throw new UserError(doc.name() + ": the guest's NUMA cells (<cpu><numa>) hold " + cells / 1024 + " MiB, and "
        + "libvirt gives the guest the cells' memory, not <memory>; vgapass would plan " + planKiB / 1024 + " MiB "
        + "(hugepages included): resize the cells to " + planKiB / 1024 + " MiB in total (virsh edit), or pass "
        + "--memory " + cells / 1024 + "M");
  }

  /**
   * Without --vcpus or --memory the domain's own size is kept; when the host cannot hold it, say so in terms of the
   * domain (the user gave neither flag) rather than with the planner's "--vcpus 8: ..." message.
   */
  private void checkDomainFits(String in, Host h, Integer vcpus, Long memoryKiB) {
    int cpus = h.cpu().cpus().size();
    if (options.vcpus == null && vcpus != null && cpus > 0 && (vcpus < 1 || vcpus > cpus)) {
      throw new UserError(in + ": the domain has <vcpu>" + vcpus + "</vcpu>, but this host has " + cpus
          + (cpus == 1 ? " online CPU" : " online CPUs") + "; pass --vcpus N (1 to " + cpus + ")");
    }
    if (options.memory == null && memoryKiB != null && memoryKiB < 256 * 1024) {
      throw new UserError(in + ": the domain has " + memoryKiB / 1024 + " MiB of <memory>, less than the 256 MiB "
          + "vgapass tunes a guest for; pass --memory SIZE (e.g. 4G)");
    }
    Long total = h.memory().totalKiB();
    if (options.memory == null && memoryKiB != null && total != null && memoryKiB > total - 1024L * 1024) {
      throw new UserError(in + ": the domain has " + memoryKiB / 1024 + " MiB of <memory>, but this host has "
          + total / 1024 + " MiB and needs at least 1 GiB for itself; pass --memory SIZE (e.g. "
          + Math.max(1, (total - 4L * 1024 * 1024) / 1048576) + "G)");
    }
  }
}
