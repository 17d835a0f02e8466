package io.vgapass.domain;

import java.util.Locale;

/**
 * libvirt's memory units, as its domain format defines them for {@code <memory unit=...>}, {@code <cell memory>} and
 * {@code <shmem><size unit=...>}: b or bytes; KB, MB, GB, TB (powers of 1000); k or KiB, M or MiB, G or GiB, T or TiB
 * (powers of 1024). Case does not matter (libvirt compares them so). The value is a whole number; the default unit
 * depends on the element (KiB for memory, bytes for shmem), so the caller names it.
 */
public final class MemoryUnits {
  private MemoryUnits() {}

  /** Bytes per {@code unit}; IllegalArgumentException ("unknown memory unit 'x'") for any other unit. */
  public static long bytesPer(String unit) {
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "b", "bytes" -> 1L;
      case "kb" -> 1_000L;
      case "k", "kib" -> 1L << 10;
      case "mb" -> 1_000_000L;
      case "m", "mib" -> 1L << 20;
      case "gb" -> 1_000_000_000L;
      case "g", "gib" -> 1L << 30;
      case "tb" -> 1_000_000_000_000L;
      case "t", "tib" -> 1L << 40;
      default -> throw new IllegalArgumentException("unknown memory unit '" + unit + "'");
    };
  }

  /**
   * {@code value} in {@code unit} (or {@code defaultUnit} when unit is null) as bytes. A value that is not a whole
   * number, or too large for a long in bytes, throws NumberFormatException; an unknown unit throws
   * IllegalArgumentException (the value is checked first).
   */
  public static long bytes(String value, String unit, String defaultUnit) {
    String v = value.strip();
    if (!v.matches("\\d{1,19}")) throw new NumberFormatException("'" + value + "' is not a whole number");
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("'" + value + "' is too large");
    }
    long per = bytesPer(unit == null ? defaultUnit : unit);
    try {
      return Math.multiplyExact(n, per);
    } catch (ArithmeticException e) {
      throw new NumberFormatException("'" + value + "' " + (unit == null ? defaultUnit : unit) + " is too large");
    }
  }
}
