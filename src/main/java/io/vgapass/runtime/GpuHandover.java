package io.vgapass.runtime;

import io.vgapass.host.PciAddress;
import io.vgapass.host.PciClasses;
import io.vgapass.host.SysRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hands a card's functions to vfio-pci and back to their host drivers, through sysfs:
 * driver_override, unbind, drivers_probe. Refuses while a process holds the card (its DRM
 * nodes, /dev/nvidia*, its ALSA card) or, when giving it back, its /dev/vfio group.
 */
public final class GpuHandover {
  /** One function of the card and who has it. */
  public record FunctionState(String address, String ids, String driver, String driverOverride, Integer group,
      List<String> holders) {}

  private final SysRoot root;
  private final SysFiles files;
  private final Commands commands;

  public GpuHandover(SysRoot root, Commands commands) {
    this.root = root;
    this.files = new SysFiles(root);
    this.commands = commands;
  }

  /**
   * The card's own functions on its slot (the address may name any of them): the ones a plan passes with it
   * ({@link PciClasses#cardFunction}). Refuses an address that is not a graphics card or one of its functions, and
   * never takes a chipset function that shares the slot (SMBus, Ethernet, ISA bridge).
   */
  public List<String> functions(PciAddress card) {
    List<String> slot = new ArrayList<>();
    for (String d : root.list("sys/bus/pci/devices")) {
      if (PciAddress.looksLike(d) && PciAddress.parse(d).sameSlot(card)) slot.add(d);
    }
    if (slot.isEmpty()) {
      throw new HookFailure(card + ": no such PCI device (see lspci -D or vgapass doctor)");
    }
    String named = slot.stream().filter(d -> PciAddress.parse(d).equals(card)).findFirst().orElse(null);
    if (named == null) throw new HookFailure(card + ": no such PCI function (the slot has " + String.join(", ", slot) + ")");
    boolean display = slot.stream().anyMatch(d -> classCode(d) >> 16 == 0x03);
    if (!display || !PciClasses.cardFunction(classCode(named))) {
      throw new HookFailure(named + " is " + what(named) + ", not a graphics card or one of its functions: vgapass "
          + "hands only a display device and its own HDMI audio/USB functions to vfio-pci (see vgapass doctor for the GPUs)");
    }
    return slot.stream().filter(d -> PciClasses.cardFunction(classCode(d))).toList();
  }

  /** The class code sysfs shows for a function, or -1 when it cannot be read (never a card function then). */
  private int classCode(String address) {
    return root.read("sys/bus/pci/devices/" + address + "/class").map(s -> {
      try {
        return Integer.decode(s.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }).orElse(-1);
  }

  /** "a storage controller (1af4:1001, class 0x010000, driver virtio-pci)": what the user named instead of a card. */
  private String what(String address) {
    String dir = "sys/bus/pci/devices/" + address;
    int c = classCode(address);
    String name = c < 0 ? "other" : PciClasses.describe(c);
    String kind = name.equals("other") ? "a device" : (name.matches("(?i)[aeio].*|NVMe|SMBus") ? "an " : "a ") + name
        + " device";
    return kind + " (" + root.read(dir + "/vendor").orElse("?").replace("0x", "") + ":"
        + root.read(dir + "/device").orElse("?").replace("0x", "")
        + (c < 0 ? "" : String.format(Locale.ROOT, ", class 0x%06x", c))
        + ", driver " + root.linkNameAt(root.resolve(dir + "/driver")).orElse("none") + ")";
  }

  public List<FunctionState> status(PciAddress card) {
    List<FunctionState> out = new ArrayList<>();
    for (String f : functions(card)) {
      String dir = "sys/bus/pci/devices/" + f;
      Integer group = root.linkNameAt(root.resolve(dir + "/iommu_group")).map(Integer::valueOf).orElse(null);
      String override = root.read(dir + "/driver_override").filter(s -> !s.isEmpty() && !s.equals("(null)"))
          .orElse(null);
      String ids = root.read(dir + "/vendor").orElse("?").replace("0x", "") + ":"
          + root.read(dir + "/device").orElse("?").replace("0x", "");
      out.add(new FunctionState(f, ids, root.linkNameAt(root.resolve(dir + "/driver")).orElse(null), override, group,
          holders(f, group)));
    }
    return out;
  }

  /** Binds every function to vfio-pci; returns what it did. */
  public List<String> release(PciAddress card, boolean dryRun) {
    List<FunctionState> fs = status(card);
    refuseIfHeld(fs, false);
    List<String> done = new ArrayList<>();
    if (!root.exists("sys/bus/pci/drivers/vfio-pci")) {
      done.add("modprobe vfio-pci");
      if (!dryRun && commands.run(List.of("modprobe", "vfio-pci")) != 0) {
        throw new HookFailure("modprobe vfio-pci failed: is VFIO in this kernel? (vgapass doctor)");
      }
    }
    for (FunctionState f : fs) {
      if ("vfio-pci".equals(f.driver())) continue;
      rebind(f, "vfio-pci", done, dryRun);
    }
    return done;
  }

  /** Gives every function back to the driver the kernel picks for it; returns what it did. */
  public List<String> reclaim(PciAddress card, boolean dryRun) {
    List<FunctionState> fs = status(card);
    refuseIfHeld(fs, true);
    List<String> done = new ArrayList<>();
    for (FunctionState f : fs) {
      if (f.driver() != null && !f.driver().equals("vfio-pci") && f.driverOverride() == null) continue;
      rebind(f, "\n", done, dryRun);
    }
    return done;
  }

  private void rebind(FunctionState f, String override, List<String> done, boolean dryRun) {
    String dir = "sys/bus/pci/devices/" + f.address();
    done.add("echo " + (override.isBlank() ? "(clear)" : override) + " > /" + dir + "/driver_override");
    if (f.driver() != null) done.add("echo " + f.address() + " > /" + dir + "/driver/unbind");
    done.add("echo " + f.address() + " > /sys/bus/pci/drivers_probe");
    if (dryRun) return;
    files.write(dir + "/driver_override", override);
    if (f.driver() != null) files.write(dir + "/driver/unbind", f.address());
    files.tryWrite("sys/bus/pci/drivers_probe", f.address()); // no driver for it is not an error
  }

  private void refuseIfHeld(List<FunctionState> fs, boolean vfio) {
    List<String> held = new ArrayList<>();
    for (FunctionState f : fs) {
      for (String h : f.holders()) if (vfio == h.contains("/dev/vfio/")) held.add(f.address() + ": " + h);
    }
    if (!held.isEmpty()) {
      throw new HookFailure("the card is in use: " + String.join("; ", held)
          + (vfio ? " (stop the VM first: vgapass vm stop NAME)" : " (close those programs, or log out of the desktop "
              + "session that runs on this card)"));
    }
  }

  /** Processes with the function's device nodes open: DRM, framebuffer, NVIDIA, ALSA, or its VFIO group. */
  private List<String> holders(String address, Integer group) {
    List<String> nodes = new ArrayList<>();
    String dir = "sys/bus/pci/devices/" + address;
    for (String d : root.list(dir + "/drm")) {
      if (d.startsWith("card") || d.startsWith("renderD")) nodes.add("dev/dri/" + d);
    }
    for (String g : root.list(dir + "/graphics")) {
      if (g.startsWith("fb")) nodes.add("dev/" + g); // a framebuffer driver (aty128fb, nvidiafb...) on the card
    }
    for (String s : root.list(dir + "/sound")) {
      if (s.startsWith("card")) {
        String n = s.substring(4);
        for (String dev : root.list("dev/snd")) {
          if (dev.startsWith("controlC" + n) || dev.matches("pcmC" + n + "D.*") || dev.matches("hwC" + n + "D.*")) {
            nodes.add("dev/snd/" + dev);
          }
        }
      }
    }
    if ("nvidia".equals(root.linkNameAt(root.resolve(dir + "/driver")).orElse(null))) {
      for (String d : root.list("dev")) if (d.startsWith("nvidia")) nodes.add("dev/" + d);
    }
    if (group != null) nodes.add("dev/vfio/" + group);
    List<String> out = new ArrayList<>();
    for (String pid : root.list("proc")) {
      if (!pid.chars().allMatch(Character::isDigit)) continue;
      for (String fd : root.list("proc/" + pid + "/fd")) {
        Path target = readLink(root.resolve("proc/" + pid + "/fd/" + fd));
        if (target == null) continue;
        String t = target.toString();
        for (String n : nodes) {
          if (t.equals("/" + n)) {
            out.add("pid " + pid + " (" + root.read("proc/" + pid + "/comm").orElse("?") + ") holds /" + n);
          }
        }
      }
    }
    return out.stream().distinct().toList();
  }

  private static Path readLink(Path p) {
    try {
      return Files.readSymbolicLink(p);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
