package io.vgapass.runtime;

import java.nio.file.Path;

/**
 * The desktops single-GPU mode must hand over and give back, as fixture roots: GDM, SDDM and LightDM under systemd,
 * a Plasma Wayland session started from a TTY, the lab's host without systemd (a stand-in display manager and a
 * PipeWire run by hand), and one with a program vgapass does not know holding the card.
 */
final class SingleGpuVariants {
  private SingleGpuVariants() {}

  static final String GNOME_SHELL_CG = "/user.slice/user-1000.slice/session-2.scope";
  static final String USER_UNITS = "/user.slice/user-1000.slice/user@1000.service/session.slice/";

  static SingleGpuHost build(String variant, Path root) {
    return switch (variant) {
      case "gdm-amd" -> gdm(root);
      case "sddm-nvidia" -> sddm(root);
      case "lightdm-intel" -> lightdm(root);
      case "plasma-tty" -> plasmaFromTty(root);
      case "sysvinit-lab" -> lab(root);
      case "sysvinit-lab-children" -> labChildren(root);
      case "blocker" -> gdm(root).process(3000, "obs", 1000, 1, GNOME_SHELL_CG, "2", "/usr/bin/obs",
          "/dev/dri/renderD128");
      default -> throw new IllegalArgumentException(variant);
    };
  }

  /** GNOME on an AMD card under systemd; PipeWire (user units) holds the card's HDMI audio. */
  static SingleGpuHost gdm(Path root) {
    return SingleGpuHost.card(root, "1002:73ff", "amdgpu", "1002:ab28").drm().fb().sound().consoles()
        .systemd("gdm.service")
        .process(900, "sshd", 0, 1, "/system.slice/ssh.service", null, "sshd: /usr/sbin/sshd")
        .process(1200, "gdm3", 0, 1, "/system.slice/gdm.service", null, "/usr/sbin/gdm3")
        .process(1250, "gdm-session-wor", 0, 1200, GNOME_SHELL_CG, "2", "gdm-session-worker [pam/gdm-password]")
        .process(1300, "gnome-shell", 1000, 1250, GNOME_SHELL_CG, "2", "/usr/bin/gnome-shell", "/dev/dri/card0",
            "/dev/dri/renderD128")
        .process(1310, "Xwayland", 1000, 1300, GNOME_SHELL_CG, "2", "/usr/bin/Xwayland :0", "/dev/dri/renderD128")
        .process(2100, "pipewire", 1000, 2000, USER_UNITS + "pipewire.service", null, "/usr/bin/pipewire",
            "/dev/snd/controlC0", "/dev/snd/pcmC0D3p")
        .process(2110, "wireplumber", 1000, 2000, USER_UNITS + "wireplumber.service", null, "/usr/bin/wireplumber",
            "/dev/snd/controlC0")
        .process(2120, "pipewire-pulse", 1000, 2000, USER_UNITS + "pipewire-pulse.service", null,
            "/usr/bin/pipewire-pulse")
        .service("gdm.service", 1200, 1250, 1300, 1310)
        .service("alice:pipewire.service", 2100).service("alice:wireplumber.service", 2110)
        .service("alice:pipewire-pulse.service", 2120)
        .file("usr/lib/systemd/user/pipewire.socket", "[Socket]\n")
        .file("usr/lib/systemd/user/pipewire-pulse.socket", "[Socket]\n");
  }

  /** Plasma (X11) under SDDM on an NVIDIA card: the module stack, /dev/nvidia*, efifb; PulseAudio as a user unit. */
  static SingleGpuHost sddm(Path root) {
    SingleGpuHost h = SingleGpuHost.card(root, "10de:2484", "nvidia", "10de:228b",
        "modules nvidia_drm nvidia_modeset nvidia_uvm nvidia snd_hda_intel")
        .drm().sound().consoles().bootFramebuffer("efi-framebuffer.0", "efi-framebuffer").systemd("sddm.service");
    h.file("dev/nvidia0", "").file("dev/nvidiactl", "").file("dev/nvidia-modeset", "");
    return h
        .process(1100, "sddm", 0, 1, "/system.slice/sddm.service", null, "/usr/bin/sddm")
        .process(1150, "Xorg", 0, 1100, "/system.slice/sddm.service", null, "/usr/lib/xorg/Xorg -nolisten tcp :0",
            "/dev/dri/card0", "/dev/nvidia0", "/dev/nvidiactl", "/dev/nvidia-modeset")
        .process(1400, "plasmashell", 1000, 1, "/user.slice/user-1000.slice/session-3.scope", "3",
            "/usr/bin/plasmashell", "/dev/nvidia0", "/dev/nvidiactl")
        .process(2200, "pulseaudio", 1000, 2000, USER_UNITS + "pulseaudio.service", null,
            "/usr/bin/pulseaudio --daemonize=no --log-target=journal", "/dev/snd/controlC0")
        .service("sddm.service", 1100, 1150, 1400).service("alice:pulseaudio.service", 2200);
  }

  /** LightDM on an Intel iGPU (no audio function on its slot): the user's PipeWire holds nothing of it and stays. */
  static SingleGpuHost lightdm(Path root) {
    return SingleGpuHost.card(root, "8086:4680", "i915", null).drm().fb().consoles()
        .bootFramebuffer("simple-framebuffer.0", "simple-framebuffer").systemd("lightdm.service")
        .process(1000, "lightdm", 0, 1, "/system.slice/lightdm.service", null, "/usr/sbin/lightdm")
        .process(1010, "Xorg", 0, 1000, "/system.slice/lightdm.service", null, "/usr/lib/xorg/Xorg :0 -seat seat0",
            "/dev/dri/card0")
        .process(1020, "lightdm-gtk-gre", 115, 1000, "/user.slice/user-115.slice/session-c1.scope", "4",
            "/usr/sbin/lightdm-gtk-greeter", "/dev/dri/renderD128")
        .process(2100, "pipewire", 1000, 2000, USER_UNITS + "pipewire.service", null, "/usr/bin/pipewire")
        .service("lightdm.service", 1000, 1010, 1020);
  }

  /** Plasma Wayland started with startplasma-wayland on tty1: no display manager, the session is ended instead. */
  static SingleGpuHost plasmaFromTty(Path root) {
    String cg = "/user.slice/user-1000.slice/session-3.scope";
    return SingleGpuHost.card(root, "1002:73ff", "amdgpu", "1002:ab28").drm().fb().sound().consoles().systemd(null)
        .process(1490, "startplasma-way", 1000, 1480, cg, "3", "/usr/bin/startplasma-wayland")
        .process(1500, "kwin_wayland", 1000, 1490, cg, "3", "/usr/bin/kwin_wayland --xwayland", "/dev/dri/card0",
            "/dev/dri/renderD128")
        .process(1510, "plasmashell", 1000, 1490, cg, "3", "/usr/bin/plasmashell", "/dev/dri/renderD128")
        .process(2100, "pipewire", 1000, 2000, USER_UNITS + "pipewire.service", null, "/usr/bin/pipewire",
            "/dev/snd/controlC0")
        .service("session:3", 1490, 1500, 1510).service("alice:pipewire.service", 2100);
  }

  /** The lab's L1: no systemd, an ATI card on aty128fb (fb0, no DRM), a stand-in display manager and PipeWire. */
  static SingleGpuHost lab(Path root) {
    return SingleGpuHost.card(root, "1002:5046", "aty128fb", "8086:2668").fb().sound().consoles()
        .sysvinit("fakedm")
        .process(1700, "fakedm", 0, 1, "/", null, "/usr/sbin/fakedm", "/dev/fb0")
        .process(1800, "pipewire", 1000, 1, "/", null, "/bin/sh /usr/local/bin/pipewire", "/dev/snd/controlC0")
        .service("fakedm", 1700).service("pid:1800", 1800);
  }

  /** As the lab's stand-ins are written: shell scripts whose sleep child inherited the held fd. */
  static SingleGpuHost labChildren(Path root) {
    return SingleGpuHost.card(root, "1002:5046", "aty128fb", "8086:2668").fb().sound().consoles()
        .sysvinit("fakedm")
        .process(1700, "fakedm", 0, 1, "/", null, "/bin/sh /usr/sbin/fakedm", "/dev/fb0")
        .process(1701, "sleep", 0, 1700, "/", null, "sleep 1", "/dev/fb0")
        .process(1800, "pipewire", 1000, 1, "/", null, "/bin/sh /usr/local/bin/pipewire")
        .process(1801, "sleep", 1000, 1800, "/", null, "sleep 1", "/dev/snd/controlC0")
        .service("fakedm", 1700, 1701).service("pid:1800", 1800, 1801);
  }
}
