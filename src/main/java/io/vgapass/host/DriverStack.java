package io.vgapass.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The host drivers a card's functions run on, and which modules must leave the kernel before vfio-pci can take
 * it: NVIDIA's stack is unloaded top-down (nvidia_drm, nvidia_modeset, nvidia_uvm, nvidia; the first two keep the
 * last one busy), every other driver (amdgpu, i915, radeon, nouveau, the HDMI audio's snd_hda_intel) is only
 * unbound from the function: unloading amdgpu or i915 is known to hang the machine.
 */
public record DriverStack(List<Binding> bindings, List<String> unload) {
  /** One function and the driver it is bound to (null: none). */
  public record Binding(String address, String driver) {}

  /** NVIDIA's modules, in the order they are unloaded (loaded again in reverse). */
  public static final List<String> NVIDIA_MODULES = List.of("nvidia_drm", "nvidia_modeset", "nvidia_uvm", "nvidia");

  public static DriverStack of(SysRoot root, List<String> functions) {
    List<Binding> bindings = new ArrayList<>();
    for (String f : functions) {
      bindings.add(new Binding(f, root.linkNameAt(root.resolve("sys/bus/pci/devices/" + f + "/driver")).orElse(null)));
    }
    List<String> unload = new ArrayList<>();
    if (bindings.stream().anyMatch(b -> "nvidia".equals(b.driver()))) {
      for (String m : NVIDIA_MODULES) if (loaded(root, m)) unload.add(m);
    }
    return new DriverStack(List.copyOf(bindings), List.copyOf(unload));
  }

  /** A loadable module that is loaded: listed in /proc/modules (built-in ones are not, and cannot be unloaded). */
  static boolean loaded(SysRoot root, String module) {
    return root.lines("proc/modules").stream().anyMatch(l -> l.startsWith(module + " "));
  }
}
