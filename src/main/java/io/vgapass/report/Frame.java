package io.vgapass.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A box in the CPU map: a title, a few wrapped subtitle lines, and children flowed left to
 * right and wrapped into rows at the width it is given. Measured once for a maximum width, then
 * drawn at a position; the same numbers serve both, so what the layout knows is what is drawn.
 */
class Frame {
  /** How it looks. */
  record Style(String fill, String stroke, double strokeWidth, String dash, double titleSize, boolean bold,
      String ink) {}

  final String cssClass;
  final String[] data;
  final String title;
  final List<String> subtitles;
  final List<Frame> children;
  final Style style;
  final double pad;
  final double gap;

  double w;
  double h;
  private final List<double[]> offsets = new ArrayList<>();
  private List<String> subtitleLines = List.of();
  private String tooltip;

  Frame(String cssClass, String[] data, String title, List<String> subtitles, List<Frame> children, Style style,
      double pad, double gap) {
    this.cssClass = cssClass;
    this.data = data;
    this.title = title;
    this.subtitles = subtitles;
    this.children = children;
    this.style = style;
    this.pad = pad;
    this.gap = gap;
  }

  Frame tooltip(String text) {
    this.tooltip = text;
    return this;
  }

  double titleLine() {
    return title == null || title.isEmpty() ? 0 : style.titleSize() + 4;
  }

  static double subtitleSize(Style s) {
    return Math.max(9, s.titleSize() - 1);
  }

  /** Lays the frame out for at most maxW wide; sets w and h. */
  void measure(double maxW) {
    double inner = maxW - 2 * pad;
    offsets.clear();
    double x = 0;
    double y = 0;
    double rowH = 0;
    double contentW = 0;
    for (Frame c : children) {
      c.measure(inner);
      if (x > 0 && x + c.w > inner + 1e-6) {
        y += rowH + gap;
        x = 0;
        rowH = 0;
      }
      offsets.add(new double[] {x, y});
      x += c.w + gap;
      rowH = Math.max(rowH, c.h);
      contentW = Math.max(contentW, x - gap);
    }
    double contentH = children.isEmpty() ? 0 : y + rowH;
    double ss = subtitleSize(style);
    double natural = title == null ? 0 : Svg.textWidth(title, style.titleSize());
    for (String s : subtitles) natural = Math.max(natural, Svg.textWidth(s, ss));
    w = Math.min(maxW, Math.max(contentW, natural) + 2 * pad);
    List<String> lines = new ArrayList<>();
    for (String s : subtitles) lines.addAll(Svg.wrap(s, w - 2 * pad, ss, 3));
    subtitleLines = lines;
    double head = titleLine() + lines.size() * (ss + 3);
    h = pad + head + (children.isEmpty() || head == 0 ? 0 : gap / 2 + 1) + contentH + pad;
  }

  void draw(Svg svg, double x, double y) {
    svg.open(cssClass, data);
    if (tooltip != null) svg.title(tooltip);
    if (style.fill() != null || style.stroke() != null) {
      svg.rect(new Svg.Box(x, y, w, h), style.fill() == null ? "none" : style.fill(), style.stroke(),
          style.strokeWidth(), 4, style.dash());
    }
    double ty = y + pad;
    if (titleLine() > 0) {
      svg.text(x + pad, ty, w - 2 * pad, title, style.titleSize(), style.ink(), style.bold());
      ty += titleLine();
    }
    double ss = subtitleSize(style);
    for (String l : subtitleLines) {
      svg.text(x + pad, ty, w - 2 * pad, l, ss, "#374151", false);
      ty += ss + 3;
    }
    if (!children.isEmpty() && ty > y + pad) ty += gap / 2 + 1;
    drawContent(svg, x, y, ty);
    for (int i = 0; i < children.size(); i++) {
      double[] o = offsets.get(i);
      children.get(i).draw(svg, x + pad + o[0], ty + o[1]);
    }
    svg.close();
  }

  /** Extra drawing inside the frame, below the title (for leaves). */
  void drawContent(Svg svg, double x, double y, double contentTop) {}
}
