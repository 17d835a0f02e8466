package io.vgapass.setup;

/**
 * Whether this build plans single-GPU mode (plan --single-gpu, its own issue). Until it does, setup explains the mode
 * to a one-card host and stops there, changing nothing.
 */
final class SingleGpuMode {
  static final boolean AVAILABLE = false;

  private SingleGpuMode() {}
}
