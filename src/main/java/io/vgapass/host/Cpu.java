package io.vgapass.host;

/**
 * One logical CPU (hardware thread).
 *
 * @param core the core id, unique within its package and die (sysfs {@code core_id})
 * @param l3 the id of its last-level-cache domain (lowest CPU sharing that L3), {@link #UNKNOWN_L3} when the host
 *     reports none
 * @param node its NUMA node, 0 when the host has no NUMA information
 */
public record Cpu(int id, int packageId, int dieId, int core, int l3, int node, CoreType type) {

  /** The {@code l3} of a CPU whose sysfs lists no level 3 cache (none there, or not reported). */
  public static final int UNKNOWN_L3 = -1;

  /** True when the host reported this CPU's L3 domain. */
  public boolean l3Known() {
    return l3 >= 0;
  }

  /** Identifies the physical core across packages and dies. */
  public String coreKey() {
    return packageId + "/" + dieId + "/" + core;
  }
}
