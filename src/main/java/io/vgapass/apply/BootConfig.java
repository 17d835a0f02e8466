package io.vgapass.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vgapass.host.Boot;
import io.vgapass.host.Host;
import io.vgapass.host.SysRoot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kernel command line lives on this host, what it carries for the next boot, and the edits and
 * commands that add arguments to it: GRUB ({@code /etc/default/grub} and grub-mkconfig/update-grub), Fedora's
 * grubby, systemd-boot ({@code /etc/kernel/cmdline} and the loader entries), Pop!_OS kernelstub, rpm-ostree.
 */
final class BootConfig {
  enum Kind { GRUB, GRUBBY, SYSTEMD_BOOT, KERNELSTUB, RPM_OSTREE }

  static final List<String> ENTRY_DIRS = List.of("boot/loader/entries", "efi/loader/entries", "boot/efi/loader/entries");
  static final String KERNEL_CMDLINE = "etc/kernel/cmdline";
  static final String KERNELSTUB = "etc/kernelstub/configuration";

  private BootConfig() {}

  /** An rpm-ostree (image-based) system: Silverblue, Kinoite, Bazzite, Bluefin. */
  static boolean atomic(SysRoot root) {
    return root.exists("run/ostree-booted") || root.exists("usr/bin/rpm-ostree");
  }

  static boolean fedoraLike(Host host) {
    return host.distro().is("fedora") || host.distro().is("rhel") || host.distro().is("centos");
  }

  static Kind kind(SysRoot root, Host host) {
    if (atomic(root)) return Kind.RPM_OSTREE;
    Boot.Bootloader b = host.boot().bootloader();
    return switch (b) {
      case GRUB -> host.boot().grubby() ? Kind.GRUBBY : Kind.GRUB;
      case SYSTEMD_BOOT -> Kind.SYSTEMD_BOOT;
      case KERNELSTUB -> Kind.KERNELSTUB;
      case UNKNOWN -> throw new Refusal("cannot tell how this host boots (no /etc/default/grub, /etc/kernel/cmdline, "
          + "systemd-boot loader.conf or kernelstub configuration); add the kernel arguments yourself");
    };
  }

  static String label(Kind k) {
    return switch (k) {
      case GRUB -> "grub";
      case GRUBBY -> "grubby";
      case SYSTEMD_BOOT -> "systemd-boot";
      case KERNELSTUB -> "kernelstub";
      case RPM_OSTREE -> "rpm-ostree";
    };
  }

  /** The GRUB variable vgapass edits: GRUB_CMDLINE_LINUX on Fedora/RHEL, else the _DEFAULT one (normal boots). */
  static String grubKey(GrubDefaults g, Host host) {
    if (fedoraLike(host)) return "GRUB_CMDLINE_LINUX";
    if (!g.has("GRUB_CMDLINE_LINUX_DEFAULT") && g.has("GRUB_CMDLINE_LINUX")) return "GRUB_CMDLINE_LINUX";
    return "GRUB_CMDLINE_LINUX_DEFAULT";
  }

  /** The arguments the boot configuration carries for the next boot, as far as the files tell. */
  static List<String> configured(SysRoot root, Host host) {
    try {
      Changes c = new Changes(root, List.of());
      return switch (kind(root, host)) {
        case GRUB, GRUBBY -> {
          String text = c.text(GrubDefaults.PATH);
          if (text == null) yield entryTokens(c);
          GrubDefaults g = GrubDefaults.parse(text);
          List<String> out = new ArrayList<>();
          if (g.has("GRUB_CMDLINE_LINUX")) out.addAll(g.words("GRUB_CMDLINE_LINUX"));
          if (g.has("GRUB_CMDLINE_LINUX_DEFAULT")) out.addAll(g.words("GRUB_CMDLINE_LINUX_DEFAULT"));
          yield out;
        }
        case SYSTEMD_BOOT -> {
          List<String> e = entryTokens(c);
          yield e.isEmpty() && c.text(KERNEL_CMDLINE) != null ? KernelArgs.split(c.text(KERNEL_CMDLINE)) : e;
        }
        case KERNELSTUB -> kernelstubOptions(c);
        case RPM_OSTREE -> entryTokens(c);
      };
    } catch (Refusal e) {
      return List.of();
    }
  }

  /** Plans the edits and commands that bring {@code wanted} onto the kernel line. */
  static void plan(Changes c, Host host, Kind kind, List<String> wanted) {
    switch (kind) {
      case GRUB -> grub(c, host, wanted, false);
      case GRUBBY -> grub(c, host, wanted, true);
      case SYSTEMD_BOOT -> systemdBoot(c, wanted);
      case KERNELSTUB -> kernelstub(c, wanted);
      case RPM_OSTREE -> rpmOstree(c, wanted);
    }
  }

  private static void grub(Changes c, Host host, List<String> wanted, boolean grubby) {
    String text = c.text(GrubDefaults.PATH);
    List<String> base;
    if (text == null) {
      if (!grubby) {
        throw new Refusal("/" + GrubDefaults.PATH + " does not exist, so GRUB's kernel line cannot be edited; "
            + "restore it (your distribution's grub package has it) and run again");
      }
      base = entryTokens(c).isEmpty() ? KernelArgs.split(host.kernel().cmdline()) : entryTokens(c);
      c.notes.add("no /" + GrubDefaults.PATH + ": grubby adds the arguments to the installed kernels only");
    } else {
      GrubDefaults g = GrubDefaults.parse(text);
      String key = grubKey(g, host);
      List<String> words = g.words(key);
      List<String> all = new ArrayList<>();
      for (String other : List.of("GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT")) {
        if (!other.equals(key) && g.has(other)) all.addAll(g.words(other));
      }
      all.addAll(words);
      checkHugepages(all, wanted, "/" + GrubDefaults.PATH);
      List<String> missing = KernelArgs.missing(all, wanted);
      base = all;
      if (!missing.isEmpty()) {
        c.edit(GrubDefaults.PATH, g.withWords(key, KernelArgs.merge(words, missing)), "kernel arguments (" + key + ")");
        if (!grubby) Changes.addOnce(c.bootRegenerators, grubRegenerator(c, host));
      }
    }
    if (grubby) {
      Set<String> missing = new LinkedHashSet<>(KernelArgs.missing(base, wanted));
      for (List<String> entry : entries(c)) missing.addAll(KernelArgs.missing(entry, wanted));
      if (!missing.isEmpty()) {
        List<String> add = List.copyOf(missing);
        List<String> forward = new ArrayList<>(List.of("grubby", "--update-kernel=ALL", "--args=" + String.join(" ", add)));
        List<String> inverse = new ArrayList<>(List.of("grubby", "--update-kernel=ALL"));
        List<String> newKeys = KernelArgs.newKeys(base, add);
        List<String> previous = KernelArgs.previousValues(base, add);
        if (!newKeys.isEmpty()) inverse.add("--remove-args=" + String.join(" ", newKeys));
        if (!previous.isEmpty()) inverse.add("--args=" + String.join(" ", previous));
        c.reversible(c.kernelArgCommands, HostChange.Command.reversible(
            "kernel arguments for every installed kernel (grubby)", forward, inverse));
      }
    }
  }

  static HostChange.Command grubRegenerator(Changes c, Host host) {
    if (c.exists("usr/sbin/update-grub") || c.exists("sbin/update-grub")) {
      return HostChange.Command.regenerator("write grub.cfg from /etc/default/grub", false, "update-grub");
    }
    boolean grub2 = fedoraLike(host) || c.exists("usr/sbin/grub2-mkconfig") || c.exists("usr/bin/grub2-mkconfig");
    String out = grub2 ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg";
    String efi = "boot/efi/EFI/" + host.distro().id() + "/grub.cfg";
    if (grub2 && !c.exists("boot/grub2/grub.cfg") && c.exists(efi)) out = "/" + efi;
    return HostChange.Command.regenerator("write grub.cfg from /etc/default/grub", false,
        grub2 ? "grub2-mkconfig" : "grub-mkconfig", "-o", out);
  }

  private static void systemdBoot(Changes c, List<String> wanted) {
    boolean any = false;
    String cmdline = c.text(KERNEL_CMDLINE);
    if (cmdline != null) {
      any = true;
      List<String> tokens = KernelArgs.split(cmdline);
      checkHugepages(tokens, wanted, "/" + KERNEL_CMDLINE);
      List<String> merged = KernelArgs.merge(tokens, KernelArgs.missing(tokens, wanted));
      if (!merged.equals(tokens)) {
        c.edit(KERNEL_CMDLINE, String.join(" ", merged) + "\n", "kernel arguments for kernel-install and UKIs");
      }
    }
    for (String dir : ENTRY_DIRS) {
      for (String name : c.root.list(dir)) {
        if (!name.endsWith(".conf")) continue;
        String path = dir + "/" + name;
        String text = c.text(path);
        if (text == null || !hasLinux(text)) continue;
        any = true;
        String edited = withOptions(text, wanted, "/" + path);
        if (!edited.equals(text)) c.edit(path, edited, "kernel arguments of the boot entry " + name);
      }
    }
    if (!any) {
      throw new Refusal("systemd-boot: no loader entries under /boot/loader/entries, /efi/loader/entries or "
          + "/boot/efi/loader/entries and no /etc/kernel/cmdline (is the ESP mounted?); add "
          + String.join(" ", wanted) + " to your entry's options line yourself");
    }
  }

  private static void kernelstub(Changes c, List<String> wanted) {
    List<String> base = kernelstubOptions(c);
    List<String> missing = KernelArgs.missing(base, wanted);
    if (missing.isEmpty()) return;
    List<String> previous = KernelArgs.previousValues(base, missing);
    List<String> forward = new ArrayList<>(List.of("kernelstub"));
    if (!previous.isEmpty()) forward.addAll(List.of("--delete-options", String.join(" ", previous)));
    forward.addAll(List.of("--add-options", String.join(" ", missing)));
    List<String> inverse = new ArrayList<>(List.of("kernelstub", "--delete-options", String.join(" ", missing)));
    if (!previous.isEmpty()) inverse.addAll(List.of("--add-options", String.join(" ", previous)));
    c.reversible(c.kernelArgCommands, HostChange.Command.reversible("kernel arguments (kernelstub)", forward, inverse));
  }

  private static void rpmOstree(Changes c, List<String> wanted) {
    List<String> base = entryTokens(c);
    List<String> missing = KernelArgs.missing(base, wanted);
    if (missing.isEmpty()) return;
    List<String> forward = new ArrayList<>(List.of("rpm-ostree", "kargs"));
    List<String> inverse = new ArrayList<>(List.of("rpm-ostree", "kargs"));
    for (String m : missing) {
      var have = KernelArgs.find(base, KernelArgs.key(m));
      if (have.isPresent()) {
        forward.add("--replace=" + m);
        inverse.add("--replace=" + have.get());
      } else {
        forward.add("--append-if-missing=" + m);
        inverse.add("--delete-if-present=" + m);
      }
    }
    c.reversible(c.kernelArgCommands, HostChange.Command.reversible(
        "kernel arguments of the next deployment (rpm-ostree kargs)", forward, inverse));
  }

  /** The options of the boot entries that start a Linux kernel, one token list each. */
  static List<List<String>> entries(Changes c) {
    List<List<String>> out = new ArrayList<>();
    for (String dir : ENTRY_DIRS) {
      for (String name : c.root.list(dir)) {
        if (!name.endsWith(".conf")) continue;
        String text = c.text(dir + "/" + name);
        if (text == null || !hasLinux(text)) continue;
        List<String> tokens = new ArrayList<>();
        for (String line : text.split("\n")) {
          String l = line.strip();
          Matcher m = OPTIONS.matcher(l);
          if (m.matches()) tokens.addAll(KernelArgs.split(m.group(2)));
        }
        if (tokens.stream().anyMatch(t -> t.startsWith("$"))) continue; // $kernelopts: grubenv decides
        out.add(tokens);
      }
    }
    return out;
  }

  private static List<String> entryTokens(Changes c) {
    List<List<String>> e = entries(c);
    return e.isEmpty() ? List.of() : e.get(e.size() - 1);
  }

  private static boolean hasLinux(String text) {
    return text.lines().map(String::strip).anyMatch(l -> l.startsWith("linux ") || l.startsWith("linux\t"));
  }

  private static final Pattern OPTIONS = Pattern.compile("^(\\s*options(?:\\s+|$))(.*)$");

  /** The entry with the wanted arguments merged into its options line(s), their indentation kept. */
  static String withOptions(String text, List<String> wanted, String where) {
    boolean nl = text.endsWith("\n");
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (nl) lines.remove(lines.size() - 1);
    List<Integer> optionLines = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = OPTIONS.matcher(lines.get(i));
      if (m.matches()) {
        optionLines.add(i);
        all.addAll(KernelArgs.split(m.group(2)));
      }
    }
    checkHugepages(all, wanted, where);
    List<String> missing = KernelArgs.missing(all, wanted);
    if (missing.isEmpty()) return text;
    List<String> append = new ArrayList<>();
    for (String a : missing) {
      boolean replaced = false;
      for (int i : optionLines) {
        Matcher m = OPTIONS.matcher(lines.get(i));
        m.matches();
        List<String> t = KernelArgs.split(m.group(2));
        if (KernelArgs.find(t, KernelArgs.key(a)).isPresent()) {
          lines.set(i, m.group(1) + String.join(" ", KernelArgs.merge(t, List.of(a))));
          replaced = true;
          break;
        }
      }
      if (!replaced) append.add(a);
    }
    if (!append.isEmpty()) {
      if (optionLines.isEmpty()) {
        lines.add("options " + String.join(" ", append));
      } else {
        int last = optionLines.get(optionLines.size() - 1);
        Matcher m = OPTIONS.matcher(lines.get(last));
        m.matches();
        List<String> t = new ArrayList<>(KernelArgs.split(m.group(2)));
        t.addAll(append);
        String head = m.group(1).isBlank() || m.group(1).endsWith("options") ? m.group(1) + " " : m.group(1);
        lines.set(last, head + String.join(" ", t));
      }
    }
    return String.join("\n", lines) + (nl ? "\n" : "");
  }

  private static List<String> kernelstubOptions(Changes c) {
    String text = c.text(KERNELSTUB);
    if (text == null) return List.of();
    try {
      JsonNode n = new ObjectMapper().readTree(text);
      List<String> out = new ArrayList<>();
      n.path("user").path("kernel_options").forEach(o -> out.add(o.asText()));
      return out;
    } catch (Exception e) {
      throw new Refusal("/" + KERNELSTUB + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); repair it (kernelstub writes it) and run again");
    }
  }

  /** Boot-time hugepages are all-or-nothing: a line that already reserves other sizes is left to the user. */
  private static void checkHugepages(List<String> tokens, List<String> wanted, String where) {
    if (wanted.stream().noneMatch(w -> KernelArgs.HUGEPAGE_KEYS.contains(KernelArgs.key(w)))) return;
    long sizes = tokens.stream().filter(t -> KernelArgs.key(t).equals("hugepagesz")).count();
    long counts = tokens.stream().filter(t -> KernelArgs.key(t).equals("hugepages")).count();
    if (sizes > 1 || counts > 1) {
      throw new Refusal(where + " already reserves hugepages of several sizes ("
          + String.join(" ", tokens.stream().filter(t -> KernelArgs.HUGEPAGE_KEYS.contains(KernelArgs.key(t))).toList())
          + "); edit them yourself or leave out --boot-hugepages");
    }
  }
}
