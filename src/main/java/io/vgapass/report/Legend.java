package io.vgapass.report;

import java.util.ArrayList;
import java.util.List;

/** A row of colour swatches with their meaning, wrapped to the width. */
final class Legend {
  static final double SIZE = 11;
  private static final double SWATCH = 14;
  private static final double GAP = 16;
  private static final double ROW = 20;

  /** One entry: fill, stroke, dash (nullable) and its words. */
  record Entry(String fill, String stroke, String dash, String label) {}

  private Legend() {}

  private static double entryWidth(Entry e, double width) {
    return Math.min(width, SWATCH + 6 + Svg.textWidth(e.label(), SIZE));
  }

  /** The height the legend takes at this width. */
  static double height(List<Entry> entries, double width) {
    return rows(entries, width).size() * ROW;
  }

  private static List<List<Entry>> rows(List<Entry> entries, double width) {
    List<List<Entry>> rows = new ArrayList<>();
    List<Entry> row = new ArrayList<>();
    double x = 0;
    for (Entry e : entries) {
      double w = entryWidth(e, width);
      if (!row.isEmpty() && x + w > width) {
        rows.add(row);
        row = new ArrayList<>();
        x = 0;
      }
      row.add(e);
      x += w + GAP;
    }
    if (!row.isEmpty()) rows.add(row);
    return rows;
  }

  /** Draws at (x, y); returns the height used. */
  static double draw(Svg svg, List<Entry> entries, double x, double y, double width) {
    svg.open("legend");
    double top = y;
    for (List<Entry> row : rows(entries, width)) {
      double cx = x;
      for (Entry e : row) {
        double w = entryWidth(e, width);
        svg.rect(new Svg.Box(cx, top + 3, SWATCH, SWATCH), e.fill(), e.stroke(), 1.5, 2, e.dash());
        svg.text(cx + SWATCH + 6, top + 4, w - SWATCH - 6, e.label(), SIZE, "#111827", false);
        cx += w + GAP;
      }
      top += ROW;
    }
    svg.close();
    return top - y;
  }
}
