package io.vgapass.host;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What the card family table ({@code card-families.json}) says about one card: how it resets, whether vfio-pci
 * may take it at boot, and what its ROM BAR needs. Only a {@link #confirmed} row may change a verdict; an
 * unconfirmed one is shown as advice.
 *
 * @param family the family's name, or "unknown" when no row covers the card
 * @param vendorReset vendor-reset's device table lists the card (for the AMD reset bug)
 * @param source where the row's decisions were read (null for the default row)
 * @param confirmed the decisions were read in that source
 * @param note a caveat, or null
 */
public record CardPolicy(
    String family,
    Reset reset,
    boolean vendorReset,
    Binding binding,
    RomBar romBar,
    String source,
    boolean confirmed,
    String note) {

  /** The family name of the default row. */
  public static final String UNKNOWN = "unknown";

  /** How the card is brought back to a clean state between VM runs. */
  public enum Reset {
    FLR, BUS, AMD_RESET_BUG,
    /** no row: FLR if the card reports it in reset_method */
    UNKNOWN;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** When vfio-pci may take the card: at boot, or only after the host driver initialised it. */
  public enum Binding {
    EARLY_SAFE, LATE;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** What the guest's view of the option ROM needs. */
  public enum RomBar {
    NONE, HIDE, NEED_ROM_FILE;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** The row for a card: its family's, or {@link #unknown()} (ids are hex, any case). */
  public static CardPolicy of(String vendorId, String deviceId) {
    return CardFamilies.bundled().policyOf(vendorId, deviceId);
  }

  /** The default for a card the table has no row for. */
  public static CardPolicy unknown() {
    return new CardPolicy(UNKNOWN, Reset.UNKNOWN, false, Binding.EARLY_SAFE, RomBar.NONE, null, false,
        "no row; FLR if the card reports it in reset_method");
  }

  /** The card has the AMD reset bug by a confirmed row. */
  public boolean confirmedResetBug() {
    return confirmed && reset == Reset.AMD_RESET_BUG;
  }

  /** One phrase for findings: family, decisions, source and whether it is confirmed. */
  public String describe() {
    if (family.equals(UNKNOWN)) return "card family: unknown (no row in vgapass's card table)";
    return "card family: " + family + " (reset " + reset.label() + (reset == Reset.AMD_RESET_BUG
        ? (vendorReset ? ", covered by vendor-reset" : ", not covered by vendor-reset") : "")
        + ", binding " + binding.label() + ", ROM BAR " + romBar.label() + "; source: " + source
        + (confirmed ? "" : "; unconfirmed") + ")";
  }
}
