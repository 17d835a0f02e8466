package io.vgapass.host;

/**
 * One logical CPU (hardware thread).
 *
 * @param core the core id, unique within its package and die (sysfs {@code core_id})
 * @param l3 the id of its last-level-cache domain (lowest CPU sharing that L3), -1 unknown
 * @param node its NUMA node, 0 when the host has no NUMA information
 */
public record Cpu(int id, int packageId, int dieId, int core, int l3, int node, CoreType type) {

  /** Identifies the physical core across packages and dies. */
  public String coreKey() {
    return packageId + "/" + dieId + "/" + core;
  }
}
