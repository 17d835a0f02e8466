package io.vgapass.host;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PCI function address, always printed in full ({@code 0000:01:00.0}). */
public record PciAddress(int domain, int bus, int slot, int function) implements Comparable<PciAddress> {

  private static final Pattern FULL =
      Pattern.compile("(?:([0-9a-fA-F]{4,8}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

  public PciAddress {
    if (bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0 || function > 7 || domain < 0) {
      throw new IllegalArgumentException("not a PCI address");
    }
  }

  /** Parses {@code 0000:01:00.0} or the short {@code 01:00.0}; throws with a usable message otherwise. */
  public static PciAddress parse(String text) {
    Matcher m = FULL.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a PCI address; write it as 0000:01:00.0 or 01:00.0 (see lspci -D)");
    }
    long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
    if (domain > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is not a PCI address: domain " + m.group(1) + " is too large");
    }
    return new PciAddress(
        (int) domain,
        Integer.parseInt(m.group(2), 16),
        Integer.parseInt(m.group(3), 16),
        Integer.parseInt(m.group(4), 16));
  }

  public static boolean looksLike(String text) {
    if (text == null) return false;
    Matcher m = FULL.matcher(text);
    return m.matches() && (m.group(1) == null || Long.parseLong(m.group(1), 16) <= Integer.MAX_VALUE);
  }

  /** Same device (slot), any function: the card a function belongs to. */
  public boolean sameSlot(PciAddress other) {
    return domain == other.domain && bus == other.bus && slot == other.slot;
  }

  public PciAddress withFunction(int f) {
    return new PciAddress(domain, bus, slot, f);
  }

  @JsonValue
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, slot, function);
  }

  @Override
  public int compareTo(PciAddress o) {
    int c = Integer.compare(domain, o.domain);
    if (c == 0) c = Integer.compare(bus, o.bus);
    if (c == 0) c = Integer.compare(slot, o.slot);
    if (c == 0) c = Integer.compare(function, o.function);
    return c;
  }
}
