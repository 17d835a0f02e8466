package io.vgapass.host;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The running kernel.
 *
 * @param cgroupVersion 1, 2, or 0 when unknown (hybrid hosts count as 1: the cpu controller is v1)
 * @param rtGroupScheduling whether CONFIG_RT_GROUP_SCHED is in force (cpu.rt_runtime_us present)
 * @param kvmfr Looking Glass's kvmfr module is loaded, or installed for the running or another installed kernel
 * @param unsafeInterrupts vfio_iommu_type1 allow_unsafe_interrupts is in force or configured (VFIO then accepts
 *     devices without interrupt remapping)
 */
public record Kernel(
    String release,
    String cmdline,
    Set<String> modules,
    int cgroupVersion,
    Boolean rtGroupScheduling,
    boolean interruptRemapping,
    boolean kvmfr,
    boolean unsafeInterrupts) {

  public List<String> arguments() {
    return cmdline == null || cmdline.isBlank() ? List.of() : List.of(cmdline.trim().split("\\s+"));
  }

  /** The value of {@code key=value} on the command line, or "" for a bare flag. */
  public Optional<String> argument(String key) {
    for (String a : arguments()) {
      if (a.equals(key)) return Optional.of("");
      if (a.startsWith(key + "=")) return Optional.of(a.substring(key.length() + 1));
    }
    return Optional.empty();
  }

  public boolean hasModule(String name) {
    return modules.contains(name) || modules.contains(name.replace('-', '_'));
  }
}
