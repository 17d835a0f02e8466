package io.vgapass.plan;

import java.util.Locale;

/**
 * How the hook keeps host work off the VM's CPUs while it runs ({@code --shield}).
 *
 * <ul>
 *   <li>{@link #CGROUP} (default): host processes in a cpuset cgroup (or systemd's AllowedCPUs) on the other CPUs.
 *   <li>{@link #DEEP}: that, and also unbound kernel threads, the unbound workqueue cpumask and IRQ affinities
 *       (the VM's own passed-through devices' IRQs follow the guest's CPUs); all put back at stop.
 *   <li>{@link #OFF}: nothing is moved.
 * </ul>
 */
public enum ShieldMode {
  CGROUP, DEEP, OFF;

  /** The word in {@code --shield} and in the metadata. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a word names; IllegalArgumentException naming the words there are. */
  public static ShieldMode parse(String word) {
    for (ShieldMode m : values()) if (m.word().equals(word)) return m;
    throw new IllegalArgumentException("--shield " + word + ": use cgroup (default), deep or off");
  }
}
