package io.vgapass.runtime;

import java.util.List;

/** The performance governor on the VM's CPUs while it runs (where the host has cpufreq). */
final class Governor {
  private final SysFiles files;
  private final StateStore state;

  Governor(SysFiles files, StateStore state) {
    this.files = files;
    this.state = state;
  }

  int performance(List<Integer> cpus) {
    int changed = 0;
    for (int cpu : cpus) {
      String path = "sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor";
      String now = files.read(path);
      if (now == null || now.equals("performance")) continue;
      state.record(new StateStore.Entry(StateKind.GOVERNOR, path, now, 0));
      files.write(path, "performance");
      changed++;
    }
    return changed;
  }

  void undo(StateStore.Entry e) {
    files.tryWrite(e.path(), e.previous());
  }
}
