package io.vgapass.runtime;

/**
 * The kinds of change the hook records in a VM's state file ({@link StateStore}), named once: the Java hook writes
 * and undoes them by these names, and {@code hooks install} hands the same names to the shell dispatcher
 * (prepare.sh records, release.sh undoes the kinds it knows), so a rename changes both.
 */
public enum StateKind {
  HUGEPAGES("hugepages", true),
  HUGEPAGES_GRANTED("hugepages-granted", true),
  GOVERNOR("governor", true),
  CGROUP2_SUBTREE("cgroup2-subtree", true),
  SHIELD_CGROUP("shield-cgroup", true),
  SYSTEMD_ALLOWED_CPUS("systemd-allowed-cpus", true),
  GPU_HANDOVER("gpu-handover", false),
  WORKQUEUE_CPUMASK("workqueue-cpumask", false),
  IRQ_DEFAULT_AFFINITY("irq-default-affinity", false),
  IRQ_AFFINITY("irq-affinity", false),
  KTHREAD_AFFINITY("kthread-affinity", false),
  // single-GPU mode's hand-over (runtime.SingleGpuHandover), undone by Java only
  SINGLE_DM("single-dm", false),
  SINGLE_SESSION("single-session", false),
  SINGLE_SOUND("single-sound", false),
  SINGLE_CONNECTORS("single-connectors", false),
  SINGLE_VTCON("single-vtcon", false),
  SINGLE_BOOTFB("single-bootfb", false),
  SINGLE_MODULE("single-module", false),
  SINGLE_VFIO("single-vfio", false);

  private final String id;
  private final boolean shell;

  StateKind(String id, boolean shell) {
    this.id = id;
    this.shell = shell;
  }

  /** The word in the state file. */
  public String id() {
    return id;
  }

  /** Whether the shell dispatcher records and undoes this kind itself (the others go to Java). */
  public boolean shell() {
    return shell;
  }

  /** The kind a state file's word names, or null for a word vgapass never writes (the file is read as hostile). */
  public static StateKind of(String id) {
    for (StateKind k : values()) if (k.id.equals(id)) return k;
    return null;
  }
}
