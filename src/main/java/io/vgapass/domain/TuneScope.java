package io.vgapass.domain;

/**
 * Which parts of a domain a run may change. A new domain gets everything; {@code vm tune}
 * always owns CPU, memory backing and metadata, and touches device kinds only when their flags
 * were given, so an existing domain keeps its own disks, NICs and sound unless asked.
 *
 * @param memorySize set memory/currentMemory (else the domain's size stays)
 * @param guestFeatures firmware, Hyper-V enlightenments, clock, balloon (new domains)
 * @param lookingGlass add, resize or (planned without it) remove Looking Glass's shared memory
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
    boolean lookingGlass) {

  public static final TuneScope NEW_DOMAIN = new TuneScope(true, true, true, true, true, true, true, true, true);

  /** A scope that leaves Looking Glass alone (the shape before it came). */
  public TuneScope(boolean memorySize, boolean guestFeatures, boolean hostdevs, boolean disks, boolean nics,
      boolean audio, boolean inputs, boolean hideKvm) {
    this(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, false);
  }
}
