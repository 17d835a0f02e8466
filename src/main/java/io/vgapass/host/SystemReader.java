package io.vgapass.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads distro, boot, security and the virtualization stack from /etc, /usr and /run. */
final class SystemReader {
  private final SysRoot root;

  SystemReader(SysRoot root) {
    this.root = root;
  }

  Distro distro() {
    List<String> lines = root.lines("etc/os-release");
    if (lines.isEmpty()) lines = root.lines("usr/lib/os-release");
    if (lines.isEmpty()) return Distro.UNKNOWN;
    Map<String, String> kv = keyValues(lines);
    return new Distro(
        kv.getOrDefault("ID", "unknown"),
        Arrays.stream(kv.getOrDefault("ID_LIKE", "").split("\\s+")).filter(s -> !s.isEmpty()).toList(),
        kv.getOrDefault("VERSION_ID", ""),
        kv.getOrDefault("PRETTY_NAME", kv.getOrDefault("NAME", "unknown")));
  }

  /** Shell-style KEY=value lines with optional quotes, as os-release and /etc/default/grub use. */
  static Map<String, String> keyValues(List<String> lines) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : lines) {
      String l = line.trim();
      if (l.startsWith("#") || !l.contains("=")) continue;
      int eq = l.indexOf('=');
      String v = l.substring(eq + 1).trim();
      if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      kv.put(l.substring(0, eq).trim(), v);
    }
    return kv;
  }

  Boot boot() {
    boolean grubby = anyExists("usr/sbin/grubby", "usr/bin/grubby", "sbin/grubby");
    Boot.Bootloader loader;
    if (root.exists("etc/kernelstub/configuration")) loader = Boot.Bootloader.KERNELSTUB;
    else if (root.exists("etc/kernel/cmdline") && !root.exists("etc/default/grub")
        || anyExists("boot/efi/loader/loader.conf", "boot/loader/loader.conf", "efi/loader/loader.conf")) {
      loader = Boot.Bootloader.SYSTEMD_BOOT;
    } else if (root.exists("etc/default/grub")) loader = Boot.Bootloader.GRUB;
    else loader = Boot.Bootloader.UNKNOWN;
    Boot.Initramfs initramfs;
    if (anyExists("etc/booster.yaml", "usr/bin/booster")) initramfs = Boot.Initramfs.BOOSTER;
    else if (anyExists("etc/mkinitcpio.conf", "usr/bin/mkinitcpio")) initramfs = Boot.Initramfs.MKINITCPIO;
    else if (anyExists("etc/dracut.conf", "etc/dracut.conf.d", "usr/bin/dracut", "usr/sbin/dracut")) {
      initramfs = Boot.Initramfs.DRACUT;
    } else if (anyExists("etc/initramfs-tools/initramfs.conf", "usr/sbin/update-initramfs")) {
      initramfs = Boot.Initramfs.INITRAMFS_TOOLS;
    } else initramfs = Boot.Initramfs.UNKNOWN;
    return new Boot(root.exists("sys/firmware/efi"), loader, grubby, initramfs);
  }

  Security security() {
    Security.SelinuxMode mode;
    String enforce = root.read("sys/fs/selinux/enforce").orElse(null);
    if (enforce != null) {
      mode = enforce.equals("1") ? Security.SelinuxMode.ENFORCING : Security.SelinuxMode.PERMISSIVE;
    } else {
      String configured = keyValues(root.lines("etc/selinux/config")).get("SELINUX");
      mode = configured == null ? Security.SelinuxMode.ABSENT : Security.SelinuxMode.DISABLED;
    }
    boolean apparmor = root.read("sys/module/apparmor/parameters/enabled").orElse("N").equals("Y");
    return new Security(mode, apparmor);
  }

  VirtStack virt() {
    String daemon = first("usr/sbin/libvirtd", "usr/sbin/virtqemud", "usr/bin/libvirtd");
    boolean socket = anyExists("run/libvirt/libvirt-sock", "run/libvirt/virtqemud-sock",
        "var/run/libvirt/libvirt-sock");
    String qemu = first("usr/bin/qemu-system-x86_64", "usr/libexec/qemu-kvm", "usr/bin/qemu-kvm");
    List<VirtStack.Firmware> firmware = firmware();
    return new VirtStack(daemon, libvirtVersion(), socket, qemu, firmware, root.exists("dev/kvm"), cgroupControllers(),
        nvramTemplates(firmware), first("usr/bin/swtpm"));
  }

  /**
   * Each variables template a firmware entry names, read through the SysRoot (so capture records it)
   * and parsed for its Secure Boot keys; a template that cannot be read says why.
   */
  private List<VirtStack.NvramTemplate> nvramTemplates(List<VirtStack.Firmware> firmware) {
    List<VirtStack.NvramTemplate> out = new ArrayList<>();
    for (String path : firmware.stream().map(VirtStack.Firmware::nvramTemplate)
        .filter(Objects::nonNull).distinct().sorted().toList()) {
      Path p = root.resolve(path);
      // the size first, so that a huge file is never read into memory
      long size = p.toFile().length();
      byte[] b = size > EfiVarStore.MAX_SIZE ? new byte[0] : root.bytesAt(p, EfiVarStore.MAX_SIZE);
      if (b.length == 0) {
        out.add(new VirtStack.NvramTemplate(path, null, !root.exists(path) ? "missing"
            : size == 0 ? "empty (0 bytes)"
            : size > EfiVarStore.MAX_SIZE ? size + " bytes, larger than any variables file ("
                + EfiVarStore.MAX_SIZE / (1024 * 1024) + " MiB)"
            : "unreadable (permissions?)"));
        continue;
      }
      try {
        out.add(new VirtStack.NvramTemplate(path, EfiVarStore.keys(b), null));
      } catch (EfiVarStore.Malformed e) {
        out.add(new VirtStack.NvramTemplate(path, null, e.getMessage()));
      }
    }
    return out;
  }

  /** The libvirt.so.0 link names libvirt.so.0.MAJOR*1000+MINOR.MICRO on every distro. */
  private String libvirtVersion() {
    for (String dir : List.of("usr/lib/x86_64-linux-gnu", "usr/lib64", "usr/lib", "usr/lib/aarch64-linux-gnu")) {
      for (String n : root.linkNameAt(root.resolve(dir + "/libvirt.so.0")).stream().toList()) {
        Matcher m = Pattern.compile("libvirt\\.so\\.0\\.(\\d+)\\.(\\d+)").matcher(n);
        if (m.matches()) {
          int v = Integer.parseInt(m.group(1));
          return v / 1000 + "." + v % 1000 + "." + m.group(2);
        }
      }
    }
    return null;
  }

  private List<VirtStack.Firmware> firmware() {
    List<VirtStack.Firmware> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String dir : List.of("usr/share/qemu/firmware", "etc/qemu/firmware")) {
      for (String name : root.list(dir)) {
        if (!name.endsWith(".json")) continue;
        try {
          // through the SysRoot, so that capture records (and replays) the descriptor's content
          String text = root.read(dir + "/" + name).orElse(null);
          if (text == null) continue;
          JsonNode n = json.readTree(text);
          if (!n.path("interface-types").toString().contains("uefi")) continue;
          List<String> features = new ArrayList<>();
          n.path("features").forEach(f -> features.add(f.asText()));
          JsonNode mapping = n.path("mapping");
          out.add(new VirtStack.Firmware(dir + "/" + name,
              mapping.path("executable").path("filename").asText(null),
              mapping.path("nvram-template").path("filename").asText(null), features));
        } catch (Exception e) {
          // an unreadable descriptor is skipped; the others still count
        }
      }
    }
    if (out.isEmpty()) {
      // older distros (Fedora 27, Debian 10) ship OVMF without descriptors
      for (String code : List.of("usr/share/OVMF/OVMF_CODE_4M.fd", "usr/share/OVMF/OVMF_CODE.fd",
          "usr/share/edk2/ovmf/OVMF_CODE.fd", "usr/share/edk2-ovmf/x64/OVMF_CODE.fd",
          "usr/share/edk2/x64/OVMF_CODE.4m.fd", "usr/share/pve-edk2-firmware/OVMF_CODE.fd")) {
        if (root.exists(code)) {
          String vars = code.replace("CODE", "VARS");
          out.add(new VirtStack.Firmware(null, "/" + code, root.exists(vars) ? "/" + vars : null, List.of()));
        }
      }
    }
    return out;
  }

  /** cgroup_controllers = [ "cpu", "devices" ] in qemu.conf, or null when unset (libvirt's default: all). */
  private List<String> cgroupControllers() {
    for (String line : root.lines("etc/libvirt/qemu.conf")) {
      String l = line.trim();
      if (l.startsWith("cgroup_controllers") && l.contains("[") && l.contains("]")) {
        String inner = l.substring(l.indexOf('[') + 1, l.indexOf(']'));
        return Arrays.stream(inner.split(","))
            .map(s -> s.trim().replace("\"", "")).filter(s -> !s.isEmpty()).toList();
      }
    }
    return null;
  }

  private boolean anyExists(String... paths) {
    return first(paths) != null;
  }

  private String first(String... paths) {
    for (String p : paths) if (root.exists(p)) return "/" + p;
    return null;
  }
}
