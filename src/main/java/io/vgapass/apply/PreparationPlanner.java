package io.vgapass.apply;

import io.vgapass.host.Boot;
import io.vgapass.host.Cpu;
import io.vgapass.host.CpuList;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import io.vgapass.host.Security;
import io.vgapass.host.SingleGpuPick;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides what {@code vgapass host apply} changes on one host: a pure function of the files under the root,
 * the Host model, the request and the commands that earlier applies already ran. Refuses (nothing changed)
 * where a change would be unsafe: the only display, a kernel without vfio-pci, an /etc/default/grub it cannot
 * read with certainty.
 */
public final class PreparationPlanner {
  static final String MODPROBE = "etc/modprobe.d/vgapass-vfio.conf";
  static final String UDEV = "etc/udev/rules.d/61-vgapass-vfio.rules";
  static final String DRACUT = "etc/dracut.conf.d/vgapass-vfio.conf";
  static final String MKINITCPIO = "etc/mkinitcpio.conf";
  static final String INITRAMFS_TOOLS = "etc/initramfs-tools/modules";
  static final String BOOSTER = "etc/booster.yaml";
  static final String SELINUX_MODULE = "vgapass_vm";
  static final String SELINUX_CIL = "etc/vgapass/selinux/" + SELINUX_MODULE + ".cil";

  /** The GPU and sound drivers that must load after vfio-pci has taken the card. */
  static final List<String> SOFTDEP_DRIVERS = List.of("nvidia", "nouveau", "amdgpu", "radeon", "snd_hda_intel");
  static final List<String> VFIO_MODULES = List.of("vfio_pci", "vfio", "vfio_iommu_type1", "vfio_virqfd");

  private PreparationPlanner() {}

  public static Preparation plan(SysRoot root, Host host, HostRequest req, List<List<String>> inEffect) {
    Changes c = new Changes(root, inEffect);
    GpuCandidate gpu = chooseGpu(host, req.gpu(), req.allowHostDisplay(), req.singleGpu());
    if (req.singleGpu()) {
      c.notes.add("single-GPU mode: " + gpu.address() + " stays " + (bootVga(gpu) ? "the host's display" : "on its "
          + "host driver") + " at boot; vgapass's hook hands it to vfio-pci when the VM starts and gives it back when "
          + "it stops (the VM is planned with vgapass plan --single-gpu)");
    } else if (bootVga(gpu)) {
      c.notes.add(gpu.address() + " is the boot VGA (--allow-host-display): after the reboot the host has no console "
          + "or desktop on it; reach the host through another card or ssh");
    }

    // what vfio-pci takes: every function of the card and every non-bridge device of its groups
    Set<PciAddress> bind = new TreeSet<>(gpu.functions());
    for (PciAddress a : gpu.groupMembers()) {
      host.device(a).filter(d -> !d.isBridge()).ifPresent(d -> bind.add(a));
    }
    List<PciDevice> devices = bind.stream().map(a -> host.device(a).orElseThrow()).toList();
    List<String> ids = devices.stream().map(PciDevice::ids).distinct().toList();
    List<PciDevice> sharing = host.pciDevices().stream()
        .filter(d -> !bind.contains(d.address()) && !d.isBridge() && ids.contains(d.ids())).toList();
    boolean byAddress = !sharing.isEmpty();
    if (byAddress) {
      c.notes.add("the ids " + sharing.stream().map(PciDevice::ids).distinct().collect(Collectors.joining(", "))
          + " are shared with " + sharing.stream().map(d -> d.address().toString()).collect(Collectors.joining(", "))
          + ", which the host keeps: vfio-pci takes " + gpu.address() + " by address (driver_override) instead of "
          + "by ids, through a udev rule and modprobe install hooks");
    }

    // which vfio modules exist in every installed kernel
    InstalledKernels read = InstalledKernels.read(root);
    InstalledKernels kernels = read.isEmpty() ? assumeRunning(host, c) : read;
    for (String m : List.of("vfio_pci", "vfio", "vfio_iommu_type1")) {
      List<String> lacking = kernels.without(m);
      if (!lacking.isEmpty()) {
        throw new Refusal("kernel " + String.join(", ", lacking) + " has no " + m + " module (neither in modules.dep "
            + "nor built in); install that kernel's modules package or remove the kernel, then run again");
      }
    }
    List<String> early = new ArrayList<>(VFIO_MODULES.stream()
        .filter(m -> kernels.everywhere(m) && kernels.moduleAnywhere(m)).toList());
    // the card family table: late binding leaves the card to its host driver at boot; vendor-reset loads first
    io.vgapass.host.CardPolicy policy = CardFamilySetup.policy(gpu);
    boolean late = req.singleGpu() || CardFamilySetup.late(policy);
    boolean vendorReset = CardFamilySetup.vendorReset(c, gpu, policy, kernels);
    if (vendorReset) early.add(0, CardFamilySetup.VENDOR_RESET);
    if (!kernels.builtinEverywhere("vfio_pci") && !kernels.everywhere("vfio_virqfd")
        && kernels.kernels().stream().anyMatch(k -> k.has("vfio_virqfd"))) {
      c.notes.add("vfio_virqfd is left out: kernel " + String.join(", ", kernels.without("vfio_virqfd"))
          + " has no such module (Linux 6.2 folded it into vfio), and an initramfs asked for it can stop the boot");
    }
    boolean builtinAny = kernels.builtinAnywhere("vfio_pci");
    boolean builtinAll = kernels.builtinEverywhere("vfio_pci");
    Boot.Initramfs initramfs = host.boot().initramfs();
    boolean atomic = BootConfig.atomic(root);
    BootConfig.Kind kind = BootConfig.kind(root, host);

    // kernel arguments
    List<String> args = new ArrayList<>(iommuArgs(host));
    String binding;
    if (req.singleGpu()) {
      binding = "single-gpu";
    } else if (late) {
      binding = "late";
      c.notes.add(gpu.address() + " (" + policy.family() + ") binds late: it stays on its host driver at boot and is "
          + "handed to vfio-pci when the VM starts (libvirt's managed hostdev, or the hook), so no vfio-pci ids are set"
          + " and the initramfs is left as it is" + (policy.confirmed() ? "" : " (the table's row is unconfirmed: "
          + policy.source() + ")"));
    } else if (byAddress) {
      binding = "driver_override";
    } else if (builtinAll) {
      binding = "kernel-argument";
    } else if (builtinAny || initramfs == Boot.Initramfs.BOOSTER && !atomic) {
      binding = "ids+kernel-argument";
    } else {
      binding = "ids";
    }
    if (binding.endsWith("kernel-argument")) args.add("vfio-pci.ids=" + String.join(",", ids));
    if (builtinAll && !byAddress && !late) {
      c.notes.add("vfio-pci is built into every installed kernel: vfio-pci.ids= on the kernel line binds the card "
          + "(modprobe options would be ignored), so the initramfs is left as it is");
    }
    args.addAll(isolationArgs(host, req.isolate()));
    args.addAll(hugepageArgs(host, req.hugepages()));
    BootConfig.plan(c, host, kind, args);

    // vfio-pci takes the card at boot
    boolean modprobeNeeded = !late && (byAddress || !builtinAll || vendorReset);
    if (modprobeNeeded) {
      String conf = modprobeConf(gpu, devices, ids, bind, byAddress, builtinAll);
      c.edit(MODPROBE, vendorReset ? conf + CardFamilySetup.softdep() : conf, "vfio-pci takes the card at boot");
    } else if (late && vendorReset) {
      // nothing binds at boot, but vfio-pci loads when the VM takes the card: vendor-reset must be there first
      c.edit(MODPROBE, "# Written by vgapass host apply; take it back with: vgapass host undo\n"
          + CardFamilySetup.softdep(), "vendor-reset loads before vfio-pci when the VM takes the card");
    }
    if (byAddress && !late) c.edit(UDEV, udevRule(bind), "driver_override by address");
    if (vendorReset) {
      c.edit(CardFamilySetup.VENDOR_RESET_UDEV, CardFamilySetup.udevRule(gpu), "vendor-reset's reset for " + gpu.ids());
    }
    boolean carry = !late && (modprobeNeeded && !early.isEmpty() || byAddress);
    String initramfsLabel = carry ? initramfs(c, host, initramfs, atomic, kernels, early, byAddress) : "unchanged";

    selinux(c, host, req);

    List<String> recovery = recovery(kind, args, binding);
    Preparation p = new Preparation(gpu.address(), List.copyOf(bind), ids, binding, List.copyOf(args),
        carry ? early : List.of(), BootConfig.label(kind), initramfsLabel, kernels.versions(), c.all(),
        List.copyOf(c.notes), recovery);
    return p;
  }

  /** With {@code single} the host's only card may be chosen: it stays the host's display until the VM starts. */
  static GpuCandidate chooseGpu(Host host, PciAddress wanted, boolean allowHostDisplay, boolean single) {
    if (single) {
      SingleGpuPick pick = SingleGpuPick.of(host, wanted);
      if (pick.gpu() == null) throw new Refusal(pick.refusal());
      return pick.gpu();
    }
    if (wanted == null) {
      List<GpuCandidate> analysed = GpuAnalyzer.analyze(host);
      List<GpuCandidate> all = GpuAnalyzer.guestCandidates(analysed);
      List<GpuCandidate> usable = all.stream().filter(g -> !onlyDisplay(host, g)).toList();
      if (usable.isEmpty() && analysed.size() == 1 && analysed.get(0).reasons().contains(GpuAnalyzer.ONLY_DISPLAY)) {
        GpuCandidate g = analysed.get(0);
        throw new Refusal("the only GPU, " + g.address() + " (" + g.vendor() + " " + g.ids() + "), is the boot VGA that "
            + "drives this host's display: binding it to vfio-pci at boot would leave the host without one; add "
            + "--single-gpu (it stays the host's display until the VM starts), or add a second GPU");
      }
      if (usable.size() != 1) {
        throw new Refusal(usable.isEmpty() ? "no GPU on this host can go to a guest (see vgapass doctor)"
            : "several GPUs qualify (" + usable.stream().map(g -> g.address().toString()).collect(Collectors.joining(", "))
            + "); choose one with --gpu ADDR");
      }
      // the only card left is the host's own screen: never taken unasked
      if (bootVga(usable.get(0)) && !allowHostDisplay) throw hostDisplay(usable.get(0), "the only card that qualifies, ");
      return usable.get(0);
    }
    PciDevice d = host.device(wanted).orElseThrow(() -> new Refusal("--gpu " + wanted + ": no such PCI device on this "
        + "host; see vgapass doctor for the GPUs"));
    if (!d.isDisplay()) {
      throw new Refusal("--gpu " + wanted + " is a " + d.kind() + ", not a GPU; give the card's display function");
    }
    GpuCandidate g = GpuAnalyzer.judge(host, d);
    if (onlyDisplay(host, g)) {
      throw new Refusal("--gpu " + wanted + " is the boot VGA and the host's only GPU: binding it to vfio-pci at boot "
          + "would leave the host without a display (recoverable only from a live USB); add --single-gpu (the card "
          + "stays the host's display until the VM starts), or add a second GPU or enable the integrated one");
    }
    if (!g.plannable()) {
      throw new Refusal("--gpu " + wanted + " cannot go to a guest: " + String.join("; ", g.reasons()));
    }
    if (bootVga(g) && !allowHostDisplay) throw hostDisplay(g, "--gpu ");
    return g;
  }

  private static boolean bootVga(GpuCandidate g) {
    return Boolean.TRUE.equals(g.bootVga());
  }

  /** The boot VGA drives the console and the desktop: binding it at boot takes both away, so only when asked for. */
  private static Refusal hostDisplay(GpuCandidate g, String named) {
    return new Refusal(named + g.address() + " (" + g.vendor() + " " + g.ids() + ") is the boot VGA that drives this "
        + "host's display: bound to vfio-pci at boot, it leaves the host no console or desktop on that output after "
        + "the reboot; add --allow-host-display if the host can do without it (another card, or ssh only)");
  }

  private static boolean onlyDisplay(Host host, GpuCandidate g) {
    return Boolean.TRUE.equals(g.bootVga()) && host.gpus().size() == 1;
  }

  /**
   * Intel: intel_iommu=on unless the IOMMU is already on without it (kernels built with it on by default);
   * kept when the running kernel line has it. AMD: on by default. Both: iommu=pt (host devices skip
   * translation).
   */
  static List<String> iommuArgs(Host host) {
    List<String> out = new ArrayList<>();
    boolean intel = host.cpu().vendor().equals("GenuineIntel") || host.cpu().hasVmx() && !host.cpu().hasSvm();
    boolean onByArg = host.kernel().argument("intel_iommu").map(v -> v.contains("on")).orElse(false);
    if (intel && (!host.iommu().active() || onByArg)) out.add("intel_iommu=on");
    out.add("iommu=pt");
    return out;
  }

  static List<String> isolationArgs(Host host, List<Integer> cpus) {
    if (cpus.isEmpty()) return List.of();
    Set<Integer> online = host.cpu().cpus().stream().map(Cpu::id).collect(Collectors.toSet());
    String list = CpuList.format(cpus);
    if (!online.isEmpty() && !online.containsAll(cpus)) {
      throw new Refusal("--static-isolation " + list + ": this host has CPUs " + CpuList.format(online) + " only");
    }
    if (cpus.contains(0)) {
      throw new Refusal("--static-isolation " + list + ": CPU 0 stays with the host (timekeeping and housekeeping "
          + "run there); leave it out");
    }
    if (!online.isEmpty() && cpus.containsAll(online)) {
      throw new Refusal("--static-isolation " + list + " would leave the host no CPU; keep at least one core");
    }
    List<String> args = new ArrayList<>(List.of("isolcpus=" + list, "nohz_full=" + list, "rcu_nocbs=" + list));
    // every IRQ starts on the host's CPUs from boot (the hook's deep shield moves them only while a VM runs)
    TreeSet<Integer> housekeeping = new TreeSet<>(online);
    housekeeping.removeAll(cpus);
    if (!housekeeping.isEmpty()) args.add("irqaffinity=" + CpuList.format(housekeeping));
    return args;
  }

  static List<String> hugepageArgs(Host host, HostRequest.BootHugepages h) {
    if (h == null) return List.of();
    if (h.sizeKiB() == 1024L * 1024 && !host.cpu().flags().contains("pdpe1gb") && !host.cpu().flags().isEmpty()) {
      throw new Refusal("--boot-hugepages " + h.size() + ":" + h.count() + ": this CPU has no 1 GiB pages (no pdpe1gb "
          + "flag); use 2M");
    }
    Long total = host.memory().totalKiB();
    long want = h.sizeKiB() * h.count();
    if (total != null && want > total - 4L * 1024 * 1024) {
      throw new Refusal(String.format(Locale.ROOT, "--boot-hugepages %s:%d reserves %d MiB of %d MiB; leave the host "
          + "at least 4 GiB", h.size(), h.count(), want / 1024, total / 1024));
    }
    return List.of("default_hugepagesz=" + h.size(), "hugepagesz=" + h.size(), "hugepages=" + h.count());
  }

  /** No lib/modules under the root (a capture): assume the running kernel with modular VFIO, and say so. */
  private static InstalledKernels assumeRunning(Host host, Changes c) {
    String release = host.kernel().release();
    Set<String> mods = new TreeSet<>(List.of("vfio", "vfio_pci", "vfio_iommu_type1"));
    if (InstalledKernels.compareVersions(release, "6.2") < 0) mods.add("vfio_virqfd");
    c.notes.add("no lib/modules/ under the root: assumed one kernel (" + release + ") with VFIO as modules; "
        + "on the real host every installed kernel is checked");
    return new InstalledKernels(List.of(new InstalledKernels.Installed(release, mods, Set.of())));
  }

  static String modprobeConf(GpuCandidate gpu, List<PciDevice> devices, List<String> ids, Set<PciAddress> bind,
      boolean byAddress, boolean builtinAll) {
    List<String> addrs = bind.stream().map(PciAddress::toString).toList();
    Set<String> drivers = new LinkedHashSet<>(SOFTDEP_DRIVERS);
    if (devices.stream().anyMatch(d -> d.vendorId().equalsIgnoreCase("8086") && d.isDisplay())) {
      drivers.addAll(List.of("i915", "xe"));
    }
    StringBuilder b = new StringBuilder();
    b.append("# Written by vgapass host apply: vfio-pci takes ").append(String.join(", ", addrs)).append(" at boot.\n");
    b.append("# Take it back with: vgapass host undo\n");
    if (!byAddress) {
      if (!builtinAll) b.append("options vfio-pci ids=").append(String.join(",", ids)).append('\n');
      for (String d : drivers) b.append("softdep ").append(d).append(" pre: vfio-pci\n");
      return b.toString();
    }
    b.append("# By address (driver_override): the ids are shared with a device the host keeps.\n");
    String set = "for d in " + String.join(" ", addrs) + "; do echo vfio-pci > /sys/bus/pci/devices/$d/driver_override; done";
    String probe = "for d in " + String.join(" ", addrs) + "; do echo $d > /sys/bus/pci/drivers_probe; done";
    b.append("install vfio-pci ").append(set).append("; /sbin/modprobe --ignore-install vfio-pci $CMDLINE_OPTS; ")
        .append(probe).append('\n');
    for (String d : drivers) {
      b.append("install ").append(d).append(" /sbin/modprobe vfio-pci; /sbin/modprobe --ignore-install ").append(d)
          .append(" $CMDLINE_OPTS\n");
    }
    return b.toString();
  }

  static String udevRule(Set<PciAddress> bind) {
    StringBuilder b = new StringBuilder("# Written by vgapass host apply: these functions go to vfio-pci by address.\n"
        + "# Take it back with: vgapass host undo\n");
    for (PciAddress a : bind) {
      b.append("ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"").append(a)
          .append("\", ATTR{driver_override}=\"vfio-pci\"\n");
    }
    return b.toString();
  }

  /** Puts vfio into the initramfs and plans its rebuild for every installed kernel. */
  private static String initramfs(Changes c, Host host, Boot.Initramfs kind, boolean atomic, InstalledKernels kernels,
      List<String> early, boolean byAddress) {
    if (atomic) {
      c.edit(DRACUT, dracutConf(early, byAddress), "vfio in the initramfs (dracut through rpm-ostree)");
      if (!c.changed(DRACUT) && !c.changed(MODPROBE) && !c.changed(UDEV)) return "rpm-ostree";
      if (initramfsRegenerationOn(c)) {
        c.notes.add("rpm-ostree already regenerates the initramfs: the new settings go into it with the next deployment "
            + "(rpm-ostree upgrade), or now with rpm-ostree initramfs --disable then --enable");
      } else {
        c.reversible(c.initramfsCommands, new HostChange.Command(List.of("rpm-ostree", "initramfs", "--enable"),
            List.of("rpm-ostree", "initramfs", "--disable"), "build the initramfs locally (rpm-ostree)", true));
      }
      c.notes.add("rpm-ostree system: kernel arguments through rpm-ostree kargs, the initramfs through rpm-ostree "
          + "initramfs; /usr is read-only and left alone; the changes take effect in the next deployment (reboot)");
      return "rpm-ostree";
    }
    switch (kind) {
      case DRACUT -> {
        c.edit(DRACUT, dracutConf(early, byAddress), "vfio in the initramfs (dracut)");
        if (touched(c, DRACUT)) {
          for (String v : kernels.versions()) {
            Changes.addOnce(c.initramfsCommands, HostChange.Command.regenerator("rebuild the initramfs of " + v, true,
                "dracut", "-f", "--kver", v));
          }
        }
        return "dracut";
      }
      case MKINITCPIO -> {
        String text = c.text(MKINITCPIO);
        if (text == null) {
          throw new Refusal("/" + MKINITCPIO + " does not exist; restore it (the mkinitcpio package has it) and run again");
        }
        c.edit(MKINITCPIO, Mkinitcpio.withModules(text, early), "vfio first in the initramfs (mkinitcpio MODULES)");
        if (!Mkinitcpio.hasHook(text, "modconf")) {
          c.notes.add("HOOKS in /" + MKINITCPIO + " has no modconf: the initramfs will not carry /etc/modprobe.d; "
              + "add modconf to HOOKS");
        }
        if (touched(c, MKINITCPIO)) {
          Changes.addOnce(c.initramfsCommands, HostChange.Command.regenerator("rebuild every initramfs preset", true,
              "mkinitcpio", "-P"));
        }
        return "mkinitcpio";
      }
      case INITRAMFS_TOOLS -> {
        String text = c.text(INITRAMFS_TOOLS);
        c.edit(INITRAMFS_TOOLS, initramfsToolsModules(text == null ? "" : text, early), "vfio in the initramfs "
            + "(initramfs-tools)");
        if (touched(c, INITRAMFS_TOOLS)) {
          Changes.addOnce(c.initramfsCommands, HostChange.Command.regenerator("rebuild the initramfs of every kernel",
              true, "update-initramfs", "-u", "-k", "all"));
        }
        return "initramfs-tools";
      }
      case BOOSTER -> {
        String text = c.text(BOOSTER);
        c.edit(BOOSTER, boosterConf(text == null ? "" : text, early), "vfio in the initramfs (booster)");
        if (touched(c, BOOSTER)) {
          Changes.addOnce(c.initramfsCommands, HostChange.Command.regenerator("rebuild the booster images", true,
              "/usr/lib/booster/regenerate_images"));
        }
        return "booster";
      }
      default -> throw new Refusal("cannot tell which tool builds this host's initramfs (no dracut, mkinitcpio, "
          + "initramfs-tools or booster found), so vfio-pci cannot be made to load early; install the distribution's "
          + "initramfs tool or add vfio-pci to the initramfs yourself");
    }
  }

  /** The initramfs must be rebuilt when its own config or the files it carries changed. */
  private static boolean touched(Changes c, String config) {
    return c.changed(config) || c.changed(MODPROBE) || c.changed(UDEV)
        || c.changed(BootConfig.KERNEL_CMDLINE);
  }

  static String dracutConf(List<String> early, boolean byAddress) {
    StringBuilder b = new StringBuilder("# Written by vgapass host apply: vfio-pci loads first in the initramfs and "
        + "takes the card.\n# Take it back with: vgapass host undo\n");
    if (!early.isEmpty()) b.append("force_drivers+=\" ").append(String.join(" ", early)).append(" \"\n");
    b.append("install_items+=\" /").append(MODPROBE).append(byAddress ? " /" + UDEV : "").append(" \"\n");
    return b.toString();
  }

  static String initramfsToolsModules(String text, List<String> early) {
    Set<String> have = new TreeSet<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) have.add(InstalledKernels.norm(l.split("\\s+")[0]));
    }
    List<String> order = List.of(CardFamilySetup.VENDOR_RESET, "vfio", "vfio_iommu_type1", "vfio_virqfd", "vfio_pci");
    List<String> add = order.stream().filter(early::contains).filter(m -> !have.contains(m)).toList();
    if (add.isEmpty()) return text;
    StringBuilder b = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) b.append('\n');
    b.append("# vgapass: vfio-pci takes the guest's card before its own driver loads\n");
    add.forEach(m -> b.append(m).append('\n'));
    return b.toString();
  }

  static String boosterConf(String text, List<String> early) {
    List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("modules_force_load:")) {
        List<String> have = new ArrayList<>();
        for (String m : l.substring("modules_force_load:".length()).split(",")) {
          if (!m.isBlank()) have.add(m.strip());
        }
        List<String> merged = new ArrayList<>(early);
        have.stream().filter(m -> !early.contains(InstalledKernels.norm(m))).forEach(merged::add);
        lines.set(i, "modules_force_load: " + String.join(",", merged));
        return String.join("\n", lines) + "\n";
      }
    }
    lines.add("modules_force_load: " + String.join(",", early));
    return String.join("\n", lines) + "\n";
  }

  private static boolean initramfsRegenerationOn(Changes c) {
    for (String os : c.root.list("ostree/deploy")) {
      for (String f : c.root.list("ostree/deploy/" + os + "/deploy")) {
        if (!f.endsWith(".origin")) continue;
        String t = c.text("ostree/deploy/" + os + "/deploy/" + f);
        if (t != null && t.lines().anyMatch(l -> l.strip().equals("regenerate-initramfs=true"))) return true;
      }
    }
    return false;
  }

  /**
   * Fedora with SELinux: a local policy module (CIL) that lets the VM's QEMU (svirt_t) reach the desktop
   * user's sound server socket and, with boot hugepages, use hugetlbfs files; installed with semodule and
   * recorded in the journal like every other change.
   */
  private static void selinux(Changes c, Host host, HostRequest req) {
    Security.SelinuxMode mode = host.security().selinux();
    if (!BootConfig.fedoraLike(host) || mode == Security.SelinuxMode.ABSENT || mode == Security.SelinuxMode.DISABLED) {
      return;
    }
    StringBuilder b = new StringBuilder("; Written by vgapass host apply: what the VM's QEMU (svirt_t) needs beyond "
        + "Fedora's policy.\n; Take it back with: vgapass host undo (or semodule -r " + SELINUX_MODULE + ")\n"
        + "; sound: the desktop user's PulseAudio/PipeWire socket in /run/user/UID\n"
        + "(allow svirt_t user_tmp_t (sock_file (write getattr)))\n"
        + "(allow svirt_t unconfined_t (unix_stream_socket (connectto)))\n");
    if (req.hugepages() != null) {
      b.append("; boot-time hugepages: the hugetlbfs mount the VM's memory is backed by\n"
          + "(allow svirt_t hugetlbfs_t (dir (search getattr add_name remove_name write)))\n"
          + "(allow svirt_t hugetlbfs_t (file (create open read write map getattr unlink)))\n");
    }
    byte[] prior = c.bytes(SELINUX_CIL);
    boolean changed = c.edit(SELINUX_CIL, b.toString(), "SELinux local module " + SELINUX_MODULE);
    List<String> install = List.of("semodule", "-i", "/" + SELINUX_CIL);
    if (changed && prior != null) {
      // an earlier apply installed it: undo reinstalls the restored file
      Changes.addOnce(c.otherCommands, HostChange.Command.regenerator("install the SELinux module", false,
          install.toArray(String[]::new)));
    } else if (changed || !c.inEffect.contains(install)) {
      c.reversible(c.otherCommands, HostChange.Command.reversible("install the SELinux module " + SELINUX_MODULE,
          install, List.of("semodule", "-r", SELINUX_MODULE)));
    }
    if (!c.otherCommands.isEmpty()) {
      c.notes.add("SELinux (" + mode.name().toLowerCase(Locale.ROOT) + "): the local module " + SELINUX_MODULE
          + " lets the VM use the desktop sound socket" + (req.hugepages() != null ? " and hugetlbfs" : "")
          + "; no booleans are changed");
    }
  }

  static List<String> recovery(BootConfig.Kind kind, List<String> args, String binding) {
    String shown = String.join(" ", args);
    List<String> out = new ArrayList<>();
    switch (kind) {
      case GRUB, GRUBBY -> out.add("If the machine does not come back after the reboot: at the GRUB menu (hold Shift "
          + "while it starts, or press Esc on UEFI machines, if the menu is hidden) select the entry, press e, go to "
          + "the line that starts with linux, delete " + shown + ", then press Ctrl-x (or F10) to boot once without "
          + "them.");
      case SYSTEMD_BOOT, KERNELSTUB -> out.add("If the machine does not come back after the reboot: at the "
          + "systemd-boot menu (press Space while it starts if the menu is hidden) select the entry, press e, delete "
          + shown + " from the line, then press Enter to boot once without them.");
      case RPM_OSTREE -> out.add("If the machine does not come back after the reboot: at the boot menu pick the "
          + "previous deployment (rpm-ostree keeps it, with the old arguments and initramfs), or press e and delete "
          + shown + " from the linux line, then Ctrl-x.");
    }
    if (Preparation.leavesCardAtBoot(binding)) {
      out.add("The card is not bound to vfio-pci at boot (late binding), so it cannot keep the host from booting.");
    } else if (!binding.equals("kernel-argument")) {
      out.add("To keep vfio-pci off the card for one boot, add modprobe.blacklist=vfio_pci to that same line"
          + (binding.contains("kernel-argument") ? " and delete vfio-pci.ids=..." : "") + ".");
    } else {
      out.add("Deleting vfio-pci.ids=... from that line gives the card back to its own driver for that boot.");
    }
    out.add("Then, once booted: sudo vgapass host undo (restores every file and rebuilds the initramfs).");
    return out;
  }
}
