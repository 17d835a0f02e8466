package io.vgapass.cli;

import io.vgapass.host.PciAddress;
import io.vgapass.host.sketch.SizeParser;
import io.vgapass.plan.DiskSpec;
import io.vgapass.plan.HugepageMode;
import io.vgapass.plan.InputSpec;
import io.vgapass.plan.Intent;
import io.vgapass.plan.LookingGlassRequest;
import io.vgapass.plan.LookingGlassSpec;
import io.vgapass.plan.NicSpec;
import io.vgapass.plan.ShieldMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The tuning flags shared by plan and vm tune; turned into an {@link Intent}. */
public final class PlanOptions {
  @Option(names = "--gpu", paramLabel = "ADDR", description = "The card for the guest (0000:01:00.0); may be left "
      + "out when exactly one card qualifies.")
  String gpu;

  @Option(names = "--vcpus", paramLabel = "N", description = "vCPUs (default: all threads but one core's).")
  Integer vcpus;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Guest memory, e.g. 16G (default: leaves the host "
      + "a third, at least 4 GiB).")
  String memory;

  @Option(names = "--name", paramLabel = "NAME", description = "Domain name (default: win-gpu).")
  String name;

  @Option(names = "--hugepages", paramLabel = "auto|2M|1G|off", defaultValue = "auto",
      description = "Memory backing (default: ${DEFAULT-VALUE}).")
  String hugepages;

  @Option(names = "--disk", paramLabel = "PATH", description = "An image file (qcow2/raw) or a whole disk (/dev/sdb, "
      + "passed as a raw LUN). Repeatable. On this host it must exist; an .iso is refused (install media are not disks).")
  List<String> disks = new ArrayList<>();

  @Option(names = "--nic", paramLabel = "macvtap:IFACE|hostonly[:NETWORK]|nat[:NETWORK]", description = "A network "
      + "interface of the guest: macvtap on a host NIC (the LAN sees the guest), the isolated host-only network, or "
      + "libvirt's NAT network; repeat it for several. Default: macvtap on the default-route NIC plus the host-only network; when that NIC is wireless (Wi-Fi takes "
      + "no extra MAC address), libvirt's NAT network default instead of macvtap.")
  List<String> nics = new ArrayList<>();

  @Option(names = "--audio", paramLabel = "pulseaudio[:SOCKET]|pipewire|none",
      description = "Guest sound (default: pulseaudio on the desktop user's socket).")
  String audio;

  @Option(names = "--input", paramLabel = "usb:VID:PID|evdev:/dev/input/by-id/...", description = "A keyboard or "
      + "mouse for the guest: a USB device passed whole (usb:VID:PID, see vgapass input devices) or an evdev device "
      + "switched between host and guest with both Ctrl keys; repeat it for several. Default: none (add them later "
      + "with vgapass input evdev).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--iothread-priority", paramLabel = "N", description = "SCHED_FIFO priority of the I/O thread "
      + "(default 10; 99 can starve the host's kernel threads).")
  Integer iothreadPriority;

  @Option(names = "--nvidia-hide-kvm", description = "Hide the hypervisor from NVIDIA drivers older than 465.")
  boolean nvidiaHideKvm;

  @Option(names = "--secure-boot", negatable = true, description = "UEFI Secure Boot with Microsoft's keys enrolled "
      + "and SMM (default on for plan, as Windows 11 wants; vm tune changes the firmware only when given). "
      + "--no-secure-boot for a card whose UEFI ROM is unsigned.")
  Boolean secureBoot;

  @Option(names = "--tpm", negatable = true, description = "A TPM 2.0 (tpm-crb, swtpm emulator) for the guest "
      + "(default on for plan: Windows 11 refuses to install without one); vm tune --tpm adds it, --no-tpm removes "
      + "vgapass's.")
  Boolean tpm;

  @Option(names = "--install-iso", paramLabel = "FILE", description = "The operating system's install ISO, as a "
      + "SATA CD-ROM booted first.")
  String installIso;

  @Option(names = "--drivers-iso", paramLabel = "FILE", description = "The virtio-win drivers ISO as a second "
      + "CD-ROM (Windows setup loads vioscsi from it to see the virtio-scsi disk).")
  String driversIso;

  @Option(names = "--no-install-media", description = "vm tune: take out the CD-ROMs vgapass added (after setup).")
  boolean noInstallMedia;

  @Option(names = "--gpu-handover", paramLabel = "libvirt|hook", defaultValue = "libvirt",
      description = "Who gives the card to vfio-pci at start and back at stop: libvirt (managed='yes', default) or "
          + "vgapass's hook (for cards whose host driver needs care, such as NVIDIA's; refuses while a desktop holds it).")
  String gpuHandover;

  @Option(names = "--single-gpu", description = "Single-GPU mode: pass the host's only card, which drives its display. "
      + "vgapass's hook stops the display manager (and the sound server, if it holds the card's audio), releases the "
      + "console and boot framebuffer and hands the card to vfio-pci at start; at stop it gives everything back. The "
      + "host has no display while the VM runs; vgapass gpu reclaim --force (from ssh or a text console) restores it.")
  boolean singleGpu;

  @Option(names = "--single-gpu-limit", paramLabel = "SECONDS", description = "With --single-gpu: a hand-over that "
      + "takes longer than this at start is rolled back and the start fails (default 60).")
  Integer singleGpuLimit;

  @Option(names = "--looking-glass", negatable = true, description = "Shared memory for Looking Glass, sized for "
      + "--resolution (kvmfr when the module is installed, else IVSHMEM), no balloon; vm tune --no-looking-glass "
      + "removes what vgapass added.")
  Boolean lookingGlass;

  @Option(names = "--resolution", paramLabel = "WxH", description = "The guest's largest resolution for Looking "
      + "Glass (default " + LookingGlassRequest.DEFAULT_RESOLUTION + ").")
  String resolution;

  @Option(names = "--hdr", description = "Looking Glass frames in HDR (8 bytes a pixel: twice the memory).")
  boolean hdr;

  @Option(names = "--looking-glass-video", paramLabel = "none|vga", description = "The guest's emulated display "
      + "beside the GPU: none (default, as Looking Glass advises: the GPU is the only screen) or a minimal VGA (to "
      + "reach the guest before its GPU driver works).")
  String lookingGlassVideo;

  @Option(names = "--shield", paramLabel = "cgroup|deep|off",
      description = "How the hook keeps host work off the VM's CPUs while it runs: cgroup (default: host processes), "
          + "deep (also unbound kernel threads, the unbound workqueue cpumask and IRQ affinities; all put back at "
          + "stop) or off. vm tune without it keeps the domain's.")
  String shield;

  /**
   * Refuses disks that cannot be what the user meant: install media (.iso) given as a disk, and, on this machine,
   * an image file that is not there. A plan for another machine (--sysroot, --example) cannot see its files, so
   * those paths are taken as given.
   */
  void checkDisks(boolean live) {
    for (String d : disks) {
      if (d != null && d.toLowerCase(Locale.ROOT).endsWith(".iso")) {
        throw new UserError("--disk " + d + ": an .iso is install media, not a disk (it would become a SCSI hard disk "
            + "nothing boots from); give it as --install-iso " + d + " (or --drivers-iso for virtio-win)");
      }
      if (!live || d == null || !d.startsWith("/") || d.startsWith("/dev/")) continue; // whole disks: Planner
      Path p = Path.of(d);
      if (Files.isDirectory(p)) {
        throw new UserError("--disk " + d + ": a directory; give the image file (qcow2 or raw) or a whole disk (/dev/sdX)");
      }
      if (!Files.exists(p)) {
        throw new UserError("--disk " + d + ": no such file; create the image first (qemu-img create -f qcow2 " + d
            + " 100G) or give an existing one");
      }
    }
  }

  Intent intent(Integer defaultVcpus, Long defaultMemoryKiB, String defaultName) {
    List<DiskSpec> d = disks.stream().map(DiskSpec::of).toList();
    List<NicSpec> n = nics.stream().map(NicSpec::parse).toList();
    List<InputSpec> in = inputs.stream().map(InputSpec::parse).toList();
    Long mem = memory == null ? defaultMemoryKiB : Long.valueOf(memoryKiB(memory));
    if (vcpus != null && vcpus < 1) throw new UserError("--vcpus " + vcpus + ": give at least 1");
    if (name != null && name.isBlank()) throw new UserError("--name: an empty name; give the domain a name");
    return Intent.builder().gpu(gpu == null ? null : PciAddress.parse(gpu)).vcpus(vcpus == null ? defaultVcpus : vcpus)
        .memoryKiB(mem).name(name == null ? defaultName : name).hugepages(HugepageMode.parse(hugepages)).disks(d)
        .nics(n).audio(audio).inputs(in).iothreadPriority(iothreadPriority).nvidiaHideKvm(nvidiaHideKvm)
        .secureBoot(!Boolean.FALSE.equals(secureBoot)).hookHandover(hookHandover()).lookingGlass(lookingGlassRequest())
        .shield(shieldMode()).tpm(!Boolean.FALSE.equals(tpm)).installMedia(InstallMediaCheck.media(installIso, driversIso))
        .singleGpu(singleGpu()).build();
  }

  /** Null unless --single-gpu; --single-gpu-limit alone would do nothing, so it is refused. */
  private io.vgapass.plan.SingleGpu singleGpu() {
    if (!singleGpu) {
      if (singleGpuLimit != null) {
        throw new UserError("--single-gpu-limit " + singleGpuLimit + ": only with --single-gpu; add --single-gpu");
      }
      return null;
    }
    if ("hook".equals(gpuHandover)) {
      throw new UserError("--gpu-handover hook: single-GPU mode always hands the card over in vgapass's hook; drop "
          + "--gpu-handover");
    }
    try {
      return new io.vgapass.plan.SingleGpu(singleGpuLimit == null ? io.vgapass.plan.SingleGpu.DEFAULT_LIMIT
          : singleGpuLimit);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The install media given, or none; --no-install-media with one of them is a contradiction. */
  boolean installMediaGiven() {
    if (noInstallMedia && (installIso != null || driversIso != null)) {
      throw new UserError("--no-install-media with --" + (installIso != null ? "install-iso " + installIso
          : "drivers-iso " + driversIso) + ": give one or the other");
    }
    return noInstallMedia || installIso != null || driversIso != null;
  }

  /** Refuses an install or drivers ISO that is not there or cannot be read (on this machine; see checkDisks). */
  void checkMedia(boolean live) {
    installMediaGiven();
    InstallMediaCheck.check("--install-iso", installIso, live);
    InstallMediaCheck.check("--drivers-iso", driversIso, live);
  }

  /** Null unless --looking-glass; its sub-flags alone are a mistake worth saying (they would do nothing). */
  private LookingGlassRequest lookingGlassRequest() {
    if (!Boolean.TRUE.equals(lookingGlass)) {
      String alone = resolution != null ? "--resolution " + resolution : hdr ? "--hdr"
          : lookingGlassVideo != null ? "--looking-glass-video " + lookingGlassVideo : null;
      if (alone != null) throw new UserError(alone + ": only with --looking-glass; add --looking-glass");
      return null;
    }
    try {
      return LookingGlassRequest.parse(resolution, hdr, LookingGlassSpec.Video.parse(lookingGlassVideo));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private ShieldMode shieldMode() {
    if (shield == null) return null; // the default (cgroup), or for vm tune the domain's own
    try {
      return ShieldMode.parse(shield);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private boolean hookHandover() {
    return switch (gpuHandover) {
      case "hook" -> true;
      case "libvirt" -> false;
      default -> throw new UserError("--gpu-handover " + gpuHandover + ": use libvirt (default) or hook");
    };
  }

  private static long memoryKiB(String text) {
    // "16000" is bytes to the size parser, and 16 KB was never what a user meant: ask for the unit
    if (text.strip().matches("[0-9]+")) {
      throw new UserError("--memory " + text.strip() + ": a number without a unit; write it with one: "
          + text.strip() + "M or " + text.strip() + "G (K, M, G, T; KiB, MiB, GiB, TiB too)");
    }
    long kib;
    try {
      kib = SizeParser.kib(text);
    } catch (IllegalArgumentException e) {
      throw new UserError("--memory " + text + ": not a size; write e.g. 16G or 12288M");
    }
    if (kib <= 0) throw new UserError("--memory " + text + ": give a size above zero, e.g. 16G");
    return kib;
  }
}
