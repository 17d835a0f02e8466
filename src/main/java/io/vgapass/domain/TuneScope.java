package io.vgapass.domain;

/**
 * Which parts of a domain a run may change. A new domain gets everything; {@code vm tune}
 * always owns CPU, memory backing and metadata, and touches device kinds only when their flags
 * were given, so an existing domain keeps its own disks, NICs and sound unless asked.
 *
 * @param memorySize set memory/currentMemory (else the domain's size stays)
 * @param guestFeatures firmware, Hyper-V enlightenments, clock, balloon (new domains)
 * @param lookingGlass add, resize or (planned without it) remove Looking Glass's shared memory
 * @param devicesOnly only the device kinds named; no CPU, memory backing or plan record ({@code input evdev},
 *     {@code net setup}, {@code audio setup}: a domain vgapass never tuned must not gain pinning from them)
 */
public record TuneScope(
    boolean memorySize,
    boolean guestFeatures,
    boolean hostdevs,
    boolean disks,
    boolean nics,
    boolean audio,
    boolean inputs,
    boolean hideKvm,
    boolean lookingGlass,
    boolean devicesOnly) {

  public static final TuneScope NEW_DOMAIN = new TuneScope(true, true, true, true, true, true, true, true, true,
      false);

  /** A scope that leaves Looking Glass alone (the shape before it came). */
  public TuneScope(boolean memorySize, boolean guestFeatures, boolean hostdevs, boolean disks, boolean nics,
      boolean audio, boolean inputs, boolean hideKvm) {
    this(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, false, false);
  }

  /** A whole-domain scope (vm tune, plan): CPU, memory and the plan record included. */
  public TuneScope(boolean memorySize, boolean guestFeatures, boolean hostdevs, boolean disks, boolean nics,
      boolean audio, boolean inputs, boolean hideKvm, boolean lookingGlass) {
    this(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, lookingGlass, false);
  }

  /** Just these device kinds, recorded as owned; everything else in the domain stays as it is. */
  public static TuneScope devices(boolean nics, boolean audio, boolean inputs) {
    return new TuneScope(false, false, false, false, nics, audio, inputs, false, false, true);
  }
}
