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

  /** A new domain: everything. */
  public static final TuneScope NEW_DOMAIN = builder().memorySize(true).guestFeatures(true).hostdevs(true).disks(true)
      .nics(true).audio(true).inputs(true).hideKvm(true).lookingGlass(true).firmware(true).tpm(true).installMedia(true)
      .build();

  /** CPU, memory backing and the plan record only: {@code vm tune} with no device flag and no --memory. */
  public static TuneScope cpuAndMemory() {
    return builder().build();
  }

  /** Only the inputs, recorded as owned ({@code input evdev}); everything else in the domain stays as it is. */
  public static TuneScope inputsOnly() {
    return onlyDevices().inputs(true).build();
  }

  /** Only the network interfaces, recorded as owned ({@code net setup}). */
  public static TuneScope nicsOnly() {
    return onlyDevices().nics(true).build();
  }

  /** Only the sound device and its backend, recorded as owned ({@code audio setup}). */
  public static TuneScope audioOnly() {
    return onlyDevices().audio(true).build();
  }

  /** A devices-only builder: name the device kinds; no CPU, memory backing or plan record. */
  public static Builder onlyDevices() {
    return builder().devicesOnly(true);
  }

  /** A whole-domain builder (vm tune, plan): CPU, memory and the plan record, plus the parts named. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this TuneScope's values, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.memorySize = memorySize;
    b.guestFeatures = guestFeatures;
    b.hostdevs = hostdevs;
    b.disks = disks;
    b.nics = nics;
    b.audio = audio;
    b.inputs = inputs;
    b.hideKvm = hideKvm;
    b.lookingGlass = lookingGlass;
    b.devicesOnly = devicesOnly;
    b.firmware = firmware;
    b.tpm = tpm;
    b.installMedia = installMedia;
    return b;
  }

  /** Builds a {@link TuneScope} by naming each value; what is not named keeps its default. */
  public static final class Builder {
    private boolean memorySize;
    private boolean guestFeatures;
    private boolean hostdevs;
    private boolean disks;
    private boolean nics;
    private boolean audio;
    private boolean inputs;
    private boolean hideKvm;
    private boolean lookingGlass;
    private boolean devicesOnly;
    private boolean firmware;
    private boolean tpm;
    private boolean installMedia;

    private Builder() {}

    public Builder memorySize(boolean memorySize) {
      this.memorySize = memorySize;
      return this;
    }

    public Builder guestFeatures(boolean guestFeatures) {
      this.guestFeatures = guestFeatures;
      return this;
    }

    public Builder hostdevs(boolean hostdevs) {
      this.hostdevs = hostdevs;
      return this;
    }

    public Builder disks(boolean disks) {
      this.disks = disks;
      return this;
    }

    public Builder nics(boolean nics) {
      this.nics = nics;
      return this;
    }

    public Builder audio(boolean audio) {
      this.audio = audio;
      return this;
    }

    public Builder inputs(boolean inputs) {
      this.inputs = inputs;
      return this;
    }

    public Builder hideKvm(boolean hideKvm) {
      this.hideKvm = hideKvm;
      return this;
    }

    public Builder lookingGlass(boolean lookingGlass) {
      this.lookingGlass = lookingGlass;
      return this;
    }

    public Builder devicesOnly(boolean devicesOnly) {
      this.devicesOnly = devicesOnly;
      return this;
    }

    public Builder firmware(boolean firmware) {
      this.firmware = firmware;
      return this;
    }

    public Builder tpm(boolean tpm) {
      this.tpm = tpm;
      return this;
    }

    public Builder installMedia(boolean installMedia) {
      this.installMedia = installMedia;
      return this;
    }

    public TuneScope build() {
      return new TuneScope(memorySize, guestFeatures, hostdevs, disks, nics, audio, inputs, hideKvm, lookingGlass,
          devicesOnly, firmware, tpm, installMedia);
    }
  }
}
