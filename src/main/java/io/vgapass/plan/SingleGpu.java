package io.vgapass.plan;

/**
 * Single-GPU mode, asked for with {@code --single-gpu} and never chosen silently: the host's only card goes to the
 * VM, and vgapass's hook stops what holds it (display manager, the sound server on its audio function), releases the
 * framebuffer console and boot framebuffer, and gives everything back at stop.
 *
 * @param limitSeconds how long the hand-over at start may take before it counts as failed and is rolled back
 */
public record SingleGpu(int limitSeconds) {
  public static final int DEFAULT_LIMIT = 60;
  /** An hour: longer than any display manager takes to stop; beyond it a typo, not a wish. */
  public static final int MAX_LIMIT = 3600;

  public SingleGpu {
    if (limitSeconds < 1 || limitSeconds > MAX_LIMIT) {
      throw new IllegalArgumentException("--single-gpu-limit " + limitSeconds + ": give whole seconds from 1 to "
          + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
    }
  }
}
