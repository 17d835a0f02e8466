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
 * @param firmware rewrite the firmware (UEFI, Secure Boot, SMM) even without {@code guestFeatures}
 *     ({@code vm tune --secure-boot/--no-secure-boot})
 * @param tpm add the planned TPM, or remove vgapass's when the plan has none
 * @param installMedia make vgapass's CD-ROMs the planned install media (none: remove them)
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
    boolean devicesOnly,
    boolean firmware,
    boolean tpm,
    boolean installMedia) {

  public static final TuneScope NEW_DOMAIN = new TuneScope(true, true, true, true, true, true, true, true, true,
      false, true, true, true);

  /** A scope that leaves firmware, TPM and install media alone (the shape before Windows 11 support). */
  public TuneScope(boolean memorySize, boolean guestFeatures, boolean hostdevs, boolean disks, boolean nics,
      boolean audio, boolean inputs, boolean hideKvm, boolean lookingGlass, boolean devicesOnly) {
    this(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, lookingGlass, devicesOnly,
        guestFeatures, false, false);
  }

  /** This scope, also for the firmware, the TPM and the install media as given. */
  public TuneScope withGuestSetup(boolean firmwareToo, boolean tpmToo, boolean installMediaToo) {
    return new TuneScope(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, lookingGlass,
        devicesOnly, firmwareToo, tpmToo, installMediaToo);
  }

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
