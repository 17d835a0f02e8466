package io.vgapass.apply;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Text and JSON views of a {@link Preparation}, for host plan and apply. */
public final class PreparationReport {
  private PreparationReport() {}

  public static void render(Preparation p, boolean diffs, boolean listedOnly, PrintWriter out) {
    String functions = join(p.functions().stream().map(Object::toString).toList());
    String stay = "GPU " + p.gpu() + ": " + functions + " (ids " + String.join(",", p.ids()) + ") stay on their host "
        + "drivers at boot and go to vfio-pci when the VM starts";
    out.println(p.binding().equals("late") ? stay + " (late binding, from the card family table)"
        : p.binding().equals("single-gpu") ? stay + " (single-GPU mode: the card is the host's display until then)"
        : "GPU " + p.gpu() + ": vfio-pci takes " + functions + " (ids " + String.join(",", p.ids()) + ") by "
            + bindingText(p.binding()));
    out.println("kernel line: " + String.join(" ", p.kernelArgs()) + "   (" + p.bootloader() + ")");
    out.println("initramfs: " + p.initramfs() + (p.initramfsModules().isEmpty() ? ""
        : ", loading " + String.join(" ", p.initramfsModules()) + " first") + "; kernels checked: "
        + (p.kernels().isEmpty() ? "none" : String.join(", ", p.kernels())));
    for (String n : p.notes()) out.println("note: " + n);
    if (p.nothingToDo()) {
      out.println("nothing to change: the host already carries all of this");
      return;
    }
    out.println();
    out.println("changes, in order:");
    int i = 1;
    for (HostChange c : p.changes()) {
      if (c instanceof HostChange.FileEdit f) {
        out.println("  " + i++ + ". " + (f.creates() ? "create /" : "edit   /") + f.path() + "   (" + f.why() + ")");
      } else if (c instanceof HostChange.Command cmd) {
        out.println("  " + i++ + ". run    " + cmd.display() + "   (" + cmd.why() + ")"
            + (cmd.regenerates() ? "" : "; undo: " + Shell.join(cmd.inverse())));
      }
    }
    if (listedOnly && p.changes().stream().anyMatch(c -> c instanceof HostChange.Command)) {
      out.println("  (the root is not /: commands are listed, never run)");
    }
    if (diffs) {
      for (HostChange c : p.changes()) {
        if (c instanceof HostChange.FileEdit f) {
          out.println();
          out.print(Diffs.unified(f));
        }
      }
    }
  }

  static String bindingText(String binding) {
    return switch (binding) {
      case "ids" -> "ids (options vfio-pci ids= in /" + PreparationPlanner.MODPROBE + ")";
      case "kernel-argument" -> "ids on the kernel line (vfio-pci.ids=; VFIO is built into the kernel)";
      case "ids+kernel-argument" -> "ids (modprobe options and vfio-pci.ids= on the kernel line)";
      default -> "address (driver_override; its ids are shared with a device the host keeps)";
    };
  }

  private static String join(List<String> s) {
    return String.join(", ", s);
  }

  /** The stable JSON shape of a plan (docs/host-apply.md). */
  public static Map<String, Object> json(Preparation p) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("gpu", p.gpu().toString());
    o.put("functions", p.functions().stream().map(Object::toString).toList());
    o.put("ids", p.ids());
    o.put("binding", p.binding());
    o.put("kernelArgs", p.kernelArgs());
    o.put("bootloader", p.bootloader());
    o.put("initramfs", p.initramfs());
    o.put("initramfsModules", p.initramfsModules());
    o.put("kernels", p.kernels());
    List<Map<String, Object>> changes = new ArrayList<>();
    for (HostChange c : p.changes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (c instanceof HostChange.FileEdit f) {
        m.put("kind", "file");
        m.put("path", "/" + f.path());
        m.put("action", f.creates() ? "create" : "edit");
        m.put("why", f.why());
        m.put("diff", Diffs.unified(f));
      } else if (c instanceof HostChange.Command cmd) {
        m.put("kind", "command");
        m.put("argv", cmd.argv());
        m.put("inverse", cmd.inverse().isEmpty() ? null : cmd.inverse());
        m.put("why", cmd.why());
      }
      changes.add(m);
    }
    o.put("changes", changes);
    o.put("notes", p.notes());
    o.put("recovery", p.recovery());
    return o;
  }
}
