package io.vgapass.report;

import java.util.List;

/**
 * A finished picture: the SVG twice (standalone file, and inline for the HTML page), its size,
 * and every text box the layout placed (for the no-overlap test).
 */
public record Picture(String label, double width, double height, String standalone, String inline,
    List<Svg.Text> texts) {

  static Picture of(Svg svg, double width, double height, String label) {
    return new Picture(label, Math.ceil(width), Math.ceil(height), svg.document(width, height, label),
        svg.element(width, height, label, false), svg.texts());
  }
}
