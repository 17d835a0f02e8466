package io.vgapass.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The card family table: rows of vendor id, device-id ranges and a {@link CardPolicy}. Kept as JSON data in the
 * project (not code) so that a row can be added, sourced and reviewed without touching the checks that read it.
 */
public final class CardFamilies {
  static final String RESOURCE = "card-families.json";
  private static volatile CardFamilies bundled;

  /** One row: the ids it covers and its policy. */
  public record Row(String vendor, List<IdRange> devices, CardPolicy policy) {
    boolean covers(String vendorId, int device) {
      return vendor.equals(vendorId) && devices.stream().anyMatch(r -> r.contains(device));
    }
  }

  /** An inclusive device-id range ("7340-734f"), or one id. */
  public record IdRange(int first, int last) {
    boolean contains(int id) {
      return id >= first && id <= last;
    }

    boolean overlaps(IdRange o) {
      return first <= o.last && o.first <= last;
    }

    @Override
    public String toString() {
      return first == last ? hex(first) : hex(first) + "-" + hex(last);
    }
  }

  private final List<Row> rows;

  private CardFamilies(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /** The table shipped in the jar, read once. */
  public static CardFamilies bundled() {
    CardFamilies t = bundled;
    if (t == null) {
      try (InputStream in = CardFamilies.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the build");
        t = parse(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      bundled = t;
    }
    return t;
  }

  /** Reads a table; a malformed row fails with its family and the field at fault. */
  public static CardFamilies parse(InputStream in) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    JsonNode families = root == null ? null : root.get("families");
    if (families == null || !families.isArray()) throw new IllegalArgumentException("card table: no families array");
    List<Row> rows = new ArrayList<>();
    for (JsonNode f : families) rows.add(row(f));
    CardFamilies t = new CardFamilies(rows);
    String overlap = t.overlap();
    if (overlap != null) throw new IllegalArgumentException("card table: " + overlap);
    return t;
  }

  public List<Row> rows() {
    return rows;
  }

  /** The policy of the row covering the card, or the default. */
  public CardPolicy policyOf(String vendorId, String deviceId) {
    if (vendorId == null || deviceId == null) return CardPolicy.unknown();
    int device;
    try {
      device = Integer.parseInt(deviceId.trim(), 16);
    } catch (NumberFormatException e) {
      return CardPolicy.unknown();
    }
    String vendor = vendorId.trim().toLowerCase(Locale.ROOT);
    return rows.stream().filter(r -> r.covers(vendor, device)).map(Row::policy).findFirst()
        .orElse(CardPolicy.unknown());
  }

  /** The first pair of rows (or ranges in one row) that cover the same id, described; null when none. */
  String overlap() {
    for (int i = 0; i < rows.size(); i++) {
      for (int j = i; j < rows.size(); j++) {
        Row a = rows.get(i);
        Row b = rows.get(j);
        if (!a.vendor.equals(b.vendor)) continue;
        for (int x = 0; x < a.devices.size(); x++) {
          for (int y = i == j ? x + 1 : 0; y < b.devices.size(); y++) {
            if (a.devices.get(x).overlaps(b.devices.get(y))) {
              return a.vendor + ":" + a.devices.get(x) + " (" + a.policy.family() + ") overlaps " + b.devices.get(y)
                  + " (" + b.policy.family() + ")";
            }
          }
        }
      }
    }
    return null;
  }

  private static Row row(JsonNode f) {
    String family = text(f, "family", "(a row without a family)");
    String vendor = text(f, "vendor", family).toLowerCase(Locale.ROOT);
    JsonNode devices = f.get("devices");
    if (devices == null || !devices.isArray() || devices.isEmpty()) {
      throw new IllegalArgumentException("card table: " + family + ": devices must list ids or ranges");
    }
    List<IdRange> ranges = new ArrayList<>();
    for (JsonNode d : devices) ranges.add(range(d.asText(), family));
    if (!f.path("confirmed").isBoolean()) {
      throw new IllegalArgumentException("card table: " + family + ": confirmed must be true or false");
    }
    CardPolicy policy = new CardPolicy(family,
        choice(f, "reset", CardPolicy.Reset.values(), CardPolicy.Reset::label, family),
        f.path("vendorReset").asBoolean(false),
        choice(f, "binding", CardPolicy.Binding.values(), CardPolicy.Binding::label, family),
        choice(f, "romBar", CardPolicy.RomBar.values(), CardPolicy.RomBar::label, family),
        text(f, "source", family), f.get("confirmed").asBoolean(),
        f.hasNonNull("note") ? f.get("note").asText() : null);
    if (policy.reset() == CardPolicy.Reset.UNKNOWN) {
      throw new IllegalArgumentException("card table: " + family + ": reset 'unknown' is the default, not a row");
    }
    return new Row(vendor, List.copyOf(ranges), policy);
  }

  private static IdRange range(String text, String family) {
    String[] ends = text.split("-", -1);
    try {
      if (ends.length == 1) return new IdRange(Integer.parseInt(ends[0], 16), Integer.parseInt(ends[0], 16));
      if (ends.length == 2) {
        int first = Integer.parseInt(ends[0], 16);
        int last = Integer.parseInt(ends[1], 16);
        if (first <= last) return new IdRange(first, last);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("card table: " + family + ": device '" + text
        + "' is not a hex id or an ascending range like 7340-734f");
  }

  private static String text(JsonNode f, String field, String family) {
    JsonNode n = f.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      throw new IllegalArgumentException("card table: " + family + ": " + field + " is missing");
    }
    return n.asText();
  }

  private static <E extends Enum<E>> E choice(JsonNode f, String field, E[] values, Function<E, String> label,
      String family) {
    Map<String, E> byLabel = Stream.of(values).collect(Collectors.toMap(label, v -> v));
    String v = text(f, field, family);
    E e = byLabel.get(v);
    if (e == null) {
      Set<String> allowed = byLabel.keySet();
      throw new IllegalArgumentException("card table: " + family + ": " + field + " '" + v + "' is not one of "
          + allowed.stream().sorted().collect(Collectors.joining(", ")));
    }
    return e;
  }

  private static String hex(int id) {
    return String.format("%04x", id);
  }
}
