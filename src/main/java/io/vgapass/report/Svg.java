package io.vgapass.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A picture being drawn: absolute coordinates only (no transforms), so the box of every text
 * is known exactly as the layout computed it. Text is in a monospace font whose advance is at
 * most {@link #CHAR_EM} of the font size, and is always shortened to the width it is given, so
 * texts placed in disjoint boxes cannot overlap in a browser either.
 */
public final class Svg {
  /** Monospace advance per em, with a margin (DejaVu Sans Mono and Liberation Mono: 0.60). */
  public static final double CHAR_EM = 0.62;
  public static final String FONT = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

  /** A rectangle in picture coordinates. */
  public record Box(double x, double y, double w, double h) {
    public boolean overlaps(Box o) {
      double eps = 1e-6;
      return x < o.x + o.w - eps && o.x < x + w - eps && y < o.y + o.h - eps && o.y < y + h - eps;
    }

    public boolean contains(Box o) {
      double eps = 1e-6;
      return o.x >= x - eps && o.y >= y - eps && o.x + o.w <= x + w + eps && o.y + o.h <= y + h + eps;
    }

    public double right() {
      return x + w;
    }

    public double bottom() {
      return y + h;
    }
  }

  /** A text as placed: its string and the box it occupies (baseline box: top = baseline - size). */
  public record Text(String text, Box box) {}

  private final StringBuilder body = new StringBuilder();
  private final List<Text> texts = new ArrayList<>();

  public static double charWidth(double size) {
    return size * CHAR_EM;
  }

  public static double textWidth(String s, double size) {
    return s.codePointCount(0, s.length()) * charWidth(size);
  }

  /** How many characters of this size fit in the width. */
  public static int fits(double width, double size) {
    return Math.max(0, (int) Math.floor(width / charWidth(size) + 1e-9));
  }

  /** The text shortened with an ellipsis so it fits the width. */
  public static String fit(String s, double width, double size) {
    int max = fits(width, size);
    int n = s.codePointCount(0, s.length());
    if (n <= max) return s;
    if (max <= 0) return "";
    if (max == 1) return "…";
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  /** Word-wraps into at most maxLines lines of the width; the last line ends with … when cut. */
  public static List<String> wrap(String s, double width, double size, int maxLines) {
    int max = Math.max(1, fits(width, size));
    List<String> lines = new ArrayList<>();
    String rest = s.strip();
    while (!rest.isEmpty() && lines.size() < maxLines) {
      if (rest.codePointCount(0, rest.length()) <= max) {
        lines.add(rest);
        rest = "";
        break;
      }
      int cut = rest.offsetByCodePoints(0, max);
      int sp = rest.lastIndexOf(' ', cut);
      if (sp <= 0) sp = cut;
      lines.add(rest.substring(0, sp).stripTrailing());
      rest = rest.substring(sp).strip();
    }
    if (!rest.isEmpty() && !lines.isEmpty()) {
      int last = lines.size() - 1;
      String l = lines.get(last);
      lines.set(last, fit(l + " " + rest, width, size));
    }
    return lines;
  }

  public void open(String cssClass, String... dataAttrs) {
    body.append("<g class=\"").append(esc(cssClass)).append('"');
    for (int i = 0; i + 1 < dataAttrs.length; i += 2) {
      body.append(' ').append(dataAttrs[i]).append("=\"").append(esc(dataAttrs[i + 1])).append('"');
    }
    body.append(">\n");
  }

  public void close() {
    body.append("</g>\n");
  }

  /** A tooltip for the enclosing group (shown on hover, read by screen readers). */
  public void title(String text) {
    body.append("<title>").append(esc(text)).append("</title>\n");
  }

  public void rect(Box b, String fill, String stroke, double strokeWidth, double radius, String dash) {
    body.append("<rect x=\"").append(n(b.x())).append("\" y=\"").append(n(b.y())).append("\" width=\"")
        .append(n(b.w())).append("\" height=\"").append(n(b.h())).append('"');
    if (radius > 0) body.append(" rx=\"").append(n(radius)).append('"');
    body.append(" fill=\"").append(fill).append('"');
    if (stroke != null) {
      body.append(" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(strokeWidth)).append('"');
      if (dash != null) body.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    body.append("/>\n");
  }

  /**
   * Writes text with its top-left corner at (x, top), shortened to the width; returns the width
   * it takes. Nothing is drawn for an empty string.
   */
  public double text(double x, double top, double width, String s, double size, String fill, boolean bold) {
    String t = fit(clean(s), width, size);
    if (t.isEmpty()) return 0;
    double w = textWidth(t, size);
    double baseline = top + size * 0.8;
    body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(baseline)).append("\" font-size=\"")
        .append(n(size)).append('"');
    if (fill != null) body.append(" fill=\"").append(fill).append('"');
    if (bold) body.append(" font-weight=\"bold\"");
    body.append('>').append(esc(t)).append("</text>\n");
    texts.add(new Text(t, new Box(x, top, w, size)));
    return w;
  }

  /** Text right-aligned to x + width. */
  public double textRight(double x, double top, double width, String s, double size, String fill, boolean bold) {
    String t = fit(clean(s), width, size);
    return text(x + width - textWidth(t, size), top, width, t, size, fill, bold);
  }

  public List<Text> texts() {
    return List.copyOf(texts);
  }

  /** The finished standalone SVG document. */
  public String document(double width, double height, String label) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element(width, height, label, true);
  }

  /** The {@code <svg>} element, with the namespace for a standalone file, without it inline in HTML. */
  public String element(double width, double height, String label, boolean standalone) {
    StringBuilder b = new StringBuilder();
    b.append("<svg").append(standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "")
        .append(" width=\"").append(n(Math.ceil(width))).append("\" height=\"").append(n(Math.ceil(height)))
        .append("\" viewBox=\"0 0 ").append(n(Math.ceil(width))).append(' ').append(n(Math.ceil(height)))
        .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\" font-family=\"").append(esc(FONT))
        .append("\">\n");
    b.append("<title>").append(esc(label)).append("</title>\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(n(Math.ceil(width))).append("\" height=\"")
        .append(n(Math.ceil(height))).append("\" fill=\"#ffffff\"/>\n");
    b.append(body);
    b.append("</svg>\n");
    return b.toString();
  }

  /** Characters XML 1.0 does not allow are dropped; tabs and newlines become spaces. */
  static String clean(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c == '\t' || c == '\n' || c == '\r') b.append(' ');
      else if (c >= 0x20 && c != 0xfffe && c != 0xffff && !(c >= 0xd800 && c <= 0xdfff)) b.appendCodePoint(c);
    });
    return b.toString();
  }

  static String esc(String s) {
    String c = clean(s);
    StringBuilder b = new StringBuilder(c.length() + 8);
    for (int i = 0; i < c.length(); i++) {
      char ch = c.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /** A coordinate to one decimal, without the cost of String.format (a large picture has 100 000 of them). */
  static String n(double v) {
    long tenths = Math.round(v * 10);
    long whole = tenths / 10;
    long frac = Math.abs(tenths % 10);
    if (frac == 0) return Long.toString(whole);
    return (tenths < 0 && whole == 0 ? "-" : "") + whole + "." + frac;
  }
}
