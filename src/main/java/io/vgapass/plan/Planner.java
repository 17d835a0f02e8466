package io.vgapass.plan;

import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import io.vgapass.host.HugePagePool;
import io.vgapass.host.Network;
import io.vgapass.host.PciAddress;
import io.vgapass.host.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code (Host, Intent) -> Plan}: a pure function, for the host as it will be after host apply. */
public final class Planner {
  public static final int DEFAULT_IOTHREAD_PRIORITY = 10;
  public static final String DEFAULT_NAME = "win-gpu";
  private static final long GIB = 1024L * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,62}");

  private Planner() {}

  public static Plan plan(Host host, Intent intent) {
    return plan(host, intent, true);
  }

  /**
   * A plan for tuning a domain's CPU, memory and devices without choosing a card ({@code vm tune} without
   * {@code --gpu}): a card is still picked when one qualifies (its NUMA node guides the pinning), but a host where
   * none does, or several do, is no reason to refuse. The plan's gpu is then null and it has no hostdevs.
   */
  public static Plan planGpuOptional(Host host, Intent intent) {
    return plan(host, intent, false);
  }

  /**
   * What the host needs before a VM with this card can start: the "Before the first start" of its plan, so that
   * doctor's verdict says "now" exactly when plan has nothing to prepare.
   */
  public static List<String> hostPreparation(Host host, GpuCandidate gpu) {
    return HostPreparation.needed(host, gpu, hostdevs(host, gpu), DEFAULT_IOTHREAD_PRIORITY);
  }

  private static Plan plan(Host host, Intent intent, boolean gpuRequired) {
    List<String> notes = new ArrayList<>();
    String name = intent.name() == null ? DEFAULT_NAME : intent.name();
    if (!NAME.matcher(name).matches()) {
      throw new PlanRefused("--name " + name + ": use letters, digits, '.', '_', '+' or '-' (max 63)");
    }
    GpuCandidate gpu = null;
    try {
      GpuChooser.Choice choice = GpuChooser.choose(host, intent.gpu(), intent.singleGpu() != null);
      gpu = choice.gpu();
      if (choice.note() != null) notes.add(choice.note());
    } catch (PlanRefused e) {
      if (gpuRequired || intent.gpu() != null || intent.singleGpu() != null) throw e;
    }
    List<PciAddress> hostdevs = gpu == null ? List.of() : hostdevs(host, gpu);

    int vcpus = intent.vcpus() == null ? CpuPinningPlanner.defaultVcpus(host.cpu()) : intent.vcpus();
    Integer gpuNode = gpu == null ? null
        : host.device(gpu.address()).map(PciDevice::numaNode).filter(n -> n >= 0).orElse(null);
    CpuPlan cpu = CpuPinningPlanner.plan(host.cpu(), vcpus,
        gpuNode != null && host.cpu().nodes().size() > 1
            ? CpuPinningPlanner.Options.preferNode(gpuNode) : CpuPinningPlanner.Options.DEFAULT);
    notes.addAll(cpu.costs());

    Integer node = host.cpu().nodes().size() > 1 ? cpu.numaNode() : null;
    long memory = memory(host, intent, notes, node);
    if (node != null && host.memory().totalKiB() != null && memory > nodeShare(host)) {
      long share = nodeShare(host);
      notes.add("memory: " + memory / 1024 + " MiB do not fit on NUMA node " + node + " (about " + share / GIB
          + " GiB): it is not bound to that node, so part of it is reached across nodes; --memory "
          + Math.max(1, (share - Math.max(2 * GIB, share / 4)) / GIB) + "G fits");
      node = null;
    }
    HugepagePlan huge = hugepages(host, intent.hugepages(), memory, node, notes);
    int priority = intent.iothreadPriority() == null ? DEFAULT_IOTHREAD_PRIORITY : intent.iothreadPriority();
    if (priority < 1 || priority > 99) {
      throw new PlanRefused("--iothread-priority " + priority + ": use 1..99 (default " + DEFAULT_IOTHREAD_PRIORITY
          + "; 99 can starve the host's own kernel threads on that CPU)");
    }
    List<NicSpec> nics = nics(host, intent.nics(), notes);
    checkDisks(host, intent.disks());
    checkInputs(host, intent.inputs());
    int uid = host.desktopUser() == null ? 1000 : host.desktopUser().uid();
    AudioSpec audio = AudioSpec.parse(intent.audio(), uid);
    if (audio.kind() == AudioSpec.Kind.PIPEWIRE && !host.virt().libvirtAtLeast(9, 3)) {
      notes.add("libvirt " + Optional.ofNullable(host.virt().libvirtVersion()).orElse("(unknown version)")
          + " has no PipeWire audio backend: sound goes to PipeWire's PulseAudio socket instead");
      audio = new AudioSpec(AudioSpec.Kind.PULSEAUDIO, audio.socket(), audio.runtimeDir());
    }
    boolean amd = host.cpu().isAmd();
    LookingGlassSpec lg = lookingGlass(host, intent.lookingGlass(), notes);
    Firmware firmware = GuestSetup.firmware(host, intent.secureBoot(), notes);
    boolean tpm = GuestSetup.tpm(host, intent.tpm(), notes);
    GuestSetup.installNotes(name, intent.installMedia(), intent.disks(), nics, notes);
    boolean single = intent.singleGpu() != null;
    return Plan.builder().name(name).gpu(gpu).hostdevs(hostdevs).cpu(cpu).numaNode(node).amdCpu(amd)
        .memoryKiB(memory).hugepages(huge).firmware(firmware).disks(List.copyOf(intent.disks())).nics(nics)
        .audio(audio).inputs(List.copyOf(intent.inputs())).iothreadPriority(priority)
        .nvidiaHideKvm(intent.nvidiaHideKvm()).libvirtVersion(host.virt().libvirtVersion())
        .hostPreparation(HostPreparation.needed(host, gpu, hostdevs, priority, single)).notes(List.copyOf(notes))
        .hookHandover(intent.hookHandover() || single).lookingGlass(lg).shield(intent.shield())
        .singleGpu(intent.singleGpu()).tpm(tpm).installMedia(intent.installMedia()).build();
  }

  /** kvmfr when the host has the module (no file in /dev/shm, and the memory can be DMA-mapped), else IVSHMEM. */
  private static LookingGlassSpec lookingGlass(Host host, LookingGlassRequest asked, List<String> notes) {
    if (asked == null) return null;
    LookingGlassSpec.Mode mode = host.kernel().kvmfr() ? LookingGlassSpec.Mode.KVMFR : LookingGlassSpec.Mode.IVSHMEM;
    LookingGlassSpec lg = LookingGlassSpec.of(asked, mode);
    notes.add("looking glass: " + lg.sizeMiB() + " MiB of shared memory for " + lg.resolution()
        + (lg.hdr() ? " HDR" : "") + (mode == LookingGlassSpec.Mode.KVMFR
            ? " on " + LookingGlassSpec.KVMFR_DEVICE + " (the kvmfr module)"
            : " in " + LookingGlassSpec.SHM_FILE + " (IVSHMEM; the kvmfr module is not installed)")
        + "; the host side: sudo vgapass looking-glass setup --resolution " + lg.resolution()
        + (lg.hdr() ? " --hdr" : "") + " --dry-run");
    if (lg.video() == LookingGlassSpec.Video.NONE && host.virt().libvirtVersion() != null
        && !host.virt().libvirtAtLeast(4, 6)) {
      notes.add("looking glass: libvirt " + host.virt().libvirtVersion() + " has no video model 'none' (4.6 and "
          + "later): the domain keeps its own video device");
    }
    return lg;
  }

  /** The card's functions and every other endpoint of its groups (bridges stay with the host). */
  static List<PciAddress> hostdevs(Host host, GpuCandidate gpu) {
    TreeSet<PciAddress> out = new TreeSet<>(gpu.functions());
    for (PciAddress m : gpu.groupMembers()) {
      if (host.device(m).map(d -> !d.isBridge()).orElse(false)) out.add(m);
    }
    return List.copyOf(out);
  }

  /**
   * The host's memory divided by its NUMA nodes: what one node holds, about (the host model has no per-node totals).
   */
  private static long nodeShare(Host host) {
    return host.memory().totalKiB() / Math.max(1, host.cpu().nodes().size());
  }

  /**
   * Default: leave the host max(4 GiB, a third), in whole GiB; on a NUMA node, no more than the node holds beside
   * a quarter (at least 2 GiB) for the host; with 1 GiB pages reserved at boot, no more than they hold.
   */
  private static long memory(Host host, Intent intent, List<String> notes, Integer node) {
    Long total = host.memory().totalKiB();
    if (intent.memoryKiB() != null) {
      long m = intent.memoryKiB();
      if (m < 256 * 1024) throw new PlanRefused("--memory: at least 256M is needed for a guest");
      if (total != null && m > total - GIB) {
        throw new PlanRefused("--memory " + m / 1024 + "M: the host has " + total / 1024
            + " MiB and needs at least 1 GiB for itself; ask for less");
      }
      if (total != null && total - m < 4 * GIB) {
        notes.add("the host keeps only " + (total - m) / 1024 + " MiB: expect swapping on the host while the VM runs");
      }
      return m;
    }
    if (total == null) {
      notes.add("host memory unknown: planned 8 GiB for the guest (set --memory)");
      return 8 * GIB;
    }
    long keep = Math.max(4 * GIB, total / 3);
    long guest = Math.max(GIB, (total - keep) / GIB * GIB);
    String why = null;
    if (node != null) {
      // the vCPUs and (numatune strict) the memory stay on one node: the guest cannot have more than it holds
      long share = nodeShare(host);
      long fit = Math.max(GIB, (share - Math.max(2 * GIB, share / 4)) / GIB * GIB);
      if (guest > fit) {
        guest = fit;
        why = "what NUMA node " + node + " (about " + share / GIB + " GiB) holds beside the host's share";
      }
    }
    long reserved = free1g(host) * GIB;
    boolean gig = intent.hugepages() == HugepageMode.AUTO || intent.hugepages() == HugepageMode.ONE_GB;
    if (gig && reserved > 0 && host.cpu().flags().contains("pdpe1gb") && guest > reserved) {
      // 1 GiB pages reserved at boot are memory the host has given up already; a larger guest
      // would need 2 MiB pages on top, from what the host has left
      guest = reserved;
      why = "the 1 GiB pages reserved at boot";
    }
    notes.add("memory: " + guest / GIB + " GiB for the guest" + (why == null ? "" : " (" + why + ")") + ", "
        + (total - guest) / GIB + " GiB left to the host");
    return guest;
  }

  private static HugepagePlan hugepages(Host host, HugepageMode mode, long memory, Integer node, List<String> notes) {
    if (mode == HugepageMode.OFF) return HugepagePlan.OFF;
    boolean gigOk = host.cpu().flags().contains("pdpe1gb") && memory % GIB == 0;
    long size;
    if (mode == HugepageMode.ONE_GB) {
      if (!host.cpu().flags().contains("pdpe1gb")) {
        throw new PlanRefused("--hugepages 1G: this CPU lacks pdpe1gb (1 GiB pages); use 2M");
      }
      if (memory % GIB != 0) throw new PlanRefused("--hugepages 1G: --memory must be a whole number of GiB");
      size = GIB;
    } else if (mode == HugepageMode.TWO_MB) {
      size = 2048;
    } else {
      long reserved1g = free1g(host);
      size = gigOk && reserved1g * GIB >= memory ? GIB : 2048;
      notes.add("hugepages: " + (size == GIB ? "1 GiB pages (already reserved at boot)"
          : "2 MiB pages, reserved when the VM starts and freed when it stops"));
    }
    if (memory % size != 0) {
      throw new PlanRefused("--memory must be a multiple of the " + size / 1024 + " MiB page size");
    }
    Integer onNode = host.cpu().nodes().size() > 1 ? node : null;
    return new HugepagePlan(size, memory / size, onNode);
  }

  /** Free 1 GiB pages in the host's pool (reserved at boot with hugepagesz=1G hugepages=N). */
  private static long free1g(Host host) {
    return host.memory().global().stream().filter(p -> p.sizeKiB() == GIB).mapToLong(HugePagePool::free).sum();
  }

  private static List<NicSpec> nics(Host host, List<NicSpec> asked, List<String> notes) {
    Network net = host.network();
    if (!asked.isEmpty()) {
      for (NicSpec n : asked) {
        if (n.kind() == NicSpec.Kind.MACVTAP
            && net.interfaces().stream().noneMatch(i -> i.name().equals(n.source()))) {
          throw new PlanRefused("--nic macvtap:" + n.source() + ": no such interface; this host has "
              + (net.interfaces().isEmpty() ? "none" : String.join(", ",
                  net.interfaces().stream().map(Network.Interface::name).toList())));
        }
        if (n.kind() == NicSpec.Kind.MACVTAP && net.wireless(n.source())) {
          throw new PlanRefused("--nic macvtap:" + n.source() + ": a wireless NIC does not accept the extra MAC "
              + "address macvtap gives the guest (it would get no LAN); use --nic nat (libvirt's NAT network "
              + NicSpec.DEFAULT_NAT + ") with --nic hostonly");
        }
      }
      return List.copyOf(asked);
    }
    List<NicSpec> out = new ArrayList<>();
    if (net.defaultRoute() != null && net.wireless(net.defaultRoute())) {
      // a Wi-Fi client carries one MAC address: the guest's own (macvtap) would get no frames back
      out.add(new NicSpec(NicSpec.Kind.NAT, NicSpec.DEFAULT_NAT));
      notes.add("network: no macvtap, because the default route is on " + net.defaultRoute() + ", a wireless NIC, and "
          + "Wi-Fi does not accept the extra MAC address macvtap gives the guest; the guest reaches the LAN and the "
          + "internet through libvirt's NAT network " + NicSpec.DEFAULT_NAT + " (virsh net-start " + NicSpec.DEFAULT_NAT
          + " if it is not running; the LAN cannot reach the guest: for that, a routed network) plus the isolated "
          + "host-only network " + NicSpec.DEFAULT_HOSTONLY + " for host<->guest");
    } else if (net.defaultRoute() != null) {
      out.add(new NicSpec(NicSpec.Kind.MACVTAP, net.defaultRoute()));
      notes.add("network: macvtap on " + net.defaultRoute() + " (the LAN sees the guest; the host cannot reach it "
          + "that way) plus the isolated host-only network " + NicSpec.DEFAULT_HOSTONLY + " for host<->guest");
    }
    out.add(new NicSpec(NicSpec.Kind.HOSTONLY, NicSpec.DEFAULT_HOSTONLY));
    return out;
  }

  private static void checkDisks(Host host, List<DiskSpec> disks) {
    for (DiskSpec d : disks) {
      if (!d.block() || !d.path().matches("/dev/(sd[a-z]+|nvme\\d+n\\d+|vd[a-z]+|hd[a-z]+)")) continue;
      String dev = d.path().substring("/dev/".length());
      if (host.disks().stream().noneMatch(b -> b.name().equals(dev))) {
        throw new PlanRefused("--disk " + d.path() + ": no such disk on this host (disks: "
            + String.join(", ", host.disks().stream().map(b -> b.name()).toList()) + ")");
      }
    }
  }

  /** evdev inputs came with libvirt 7.4.0; an older libvirt refuses a domain that has one. */
  private static void checkInputs(Host host, List<InputSpec> inputs) {
    String version = host.virt().libvirtVersion();
    if (version == null || host.virt().libvirtAtLeast(7, 4)) return;
    for (InputSpec in : inputs) {
      if (in.kind() == InputSpec.Kind.EVDEV) {
        throw new PlanRefused("--input evdev:" + in.device() + ": libvirt " + version
            + " has no evdev inputs (they came with 7.4); pass the device as usb:VID:PID or upgrade libvirt");
      }
    }
  }
}
