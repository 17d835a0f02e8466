package io.vgapass.plan;

/**
 * The CPU topology the guest sees (libvirt {@code <topology sockets dies cores threads>}).
 * {@code sockets × dies × cores × threads} is the vCPU count.
 *
 * @param threads 2 (or the host's SMT width) when every vCPU pair sits on one host core's
 *     sibling threads, else 1
 */
public record GuestTopology(int sockets, int dies, int cores, int threads) {

  public GuestTopology {
    if (sockets < 1 || dies < 1 || cores < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "guest topology needs positive counts, got sockets=" + sockets + " dies=" + dies
              + " cores=" + cores + " threads=" + threads);
    }
  }

  /** The vCPU count this topology describes. */
  public int vcpus() {
    return sockets * dies * cores * threads;
  }
}
