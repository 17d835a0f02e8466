package io.vgapass.doctor;

import io.vgapass.host.Boot;
import io.vgapass.host.GpuAnalyzer;
import io.vgapass.host.GpuCandidate;
import io.vgapass.host.Host;
import java.util.List;

/** The exact commands for a fix, in the host's own dialect (distro and bootloader). */
final class Fixes {
  private Fixes() {}

  /** How to add kernel arguments permanently on this host. */
  static String kernelArgs(Host host, String args) {
    String vgapass = "sudo vgapass host apply " + hostApplyTarget(host) + " (adds them for you, with undo); or by hand: ";
    Boot boot = host.boot();
    if (boot.grubby()) {
      return vgapass + "sudo grubby --update-kernel=ALL --args=\"" + args + "\" and reboot";
    }
    return switch (boot.bootloader()) {
      case SYSTEMD_BOOT -> vgapass + "append \"" + args + "\" to /etc/kernel/cmdline, run sudo kernel-install "
          + "add $(uname -r) /lib/modules/$(uname -r)/vmlinuz (or bootctl/your loader entry), reboot";
      case KERNELSTUB -> vgapass + "sudo kernelstub --add-options \"" + args + "\" and reboot";
      case GRUB -> vgapass + "add \"" + args + "\" to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub, run "
          + (host.distro().is("debian") || host.distro().is("ubuntu") ? "sudo update-grub"
              : "sudo grub-mkconfig -o /boot/grub/grub.cfg") + ", reboot";
      case UNKNOWN -> vgapass + "add \"" + args + "\" to your bootloader's kernel command line and reboot";
    };
  }

  /**
   * What host apply is told: the one card that qualifies; on a host whose only card drives its display, single-GPU
   * mode (it binds nothing at boot, so the IOMMU arguments are all it adds); else a placeholder.
   */
  static String hostApplyTarget(Host host) {
    List<GpuCandidate> all = GpuAnalyzer.analyze(host);
    List<GpuCandidate> cards = guestCards(all);
    if (cards.isEmpty() && all.size() == 1) return "--single-gpu";
    return "--gpu " + guestCard(cards);
  }

  /**
   * The address of the card host apply would prepare, when one card qualifies (plannable, not the host's display);
   * else a placeholder that says where to find one.
   */
  static String guestCard(Host host) {
    return guestCard(guestCards(GpuAnalyzer.analyze(host)));
  }

  private static String guestCard(List<GpuCandidate> cards) {
    return cards.size() == 1 ? cards.get(0).address().toString() : "ADDR (a card's address, from the gpu lines)";
  }

  /** The cards host apply would take without being asked for the host's display. */
  private static List<GpuCandidate> guestCards(List<GpuCandidate> analysed) {
    return analysed.stream().filter(GpuCandidate::plannable).filter(g -> !Boolean.TRUE.equals(g.bootVga())).toList();
  }

  /** The package manager line that installs the named parts. */
  static String install(Host host, String what) {
    if (host.distro().is("fedora") || host.distro().is("rhel")) {
      return "sudo dnf install " + switch (what) {
        case "libvirt" -> "libvirt-daemon-kvm libvirt-client virt-install && sudo systemctl enable --now libvirtd";
        case "qemu" -> "qemu-kvm";
        case "swtpm" -> "swtpm swtpm-tools";
        default -> "edk2-ovmf";
      };
    }
    if (host.distro().is("arch")) {
      return "sudo pacman -S " + switch (what) {
        case "libvirt" -> "libvirt && sudo systemctl enable --now libvirtd";
        case "qemu" -> "qemu-desktop";
        case "swtpm" -> "swtpm";
        default -> "edk2-ovmf";
      };
    }
    return "sudo apt install " + switch (what) {
      case "libvirt" -> "libvirt-daemon-system libvirt-clients";
      case "qemu" -> "qemu-system-x86";
      case "swtpm" -> "swtpm swtpm-tools";
      default -> "ovmf";
    };
  }
}
