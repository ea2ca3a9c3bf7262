package io.spoils.load;

import java.awt.Color;
import java.util.Locale;

/** Draws into an inline SVG element (no external resources). */
final class SvgCanvas implements Canvas {

  private final StringBuilder svg = new StringBuilder();
  private final int width;
  private final int height;

  SvgCanvas(int width, int height) {
    this.width = width;
    this.height = height;
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, Color color, double w) {
    svg.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
        x1, y1, x2, y2, hex(color), w));
  }

  @Override
  public void rect(double x, double y, double w, double h, Color fill) {
    svg.append(String.format(Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x, y, w, h,
        hex(fill)));
  }

  @Override
  public void dot(double x, double y, double r, Color color) {
    svg.append(String.format(Locale.ROOT,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"/>%n", x, y, r,
        hex(color), color.getAlpha() / 255.0));
  }

  @Override
  public void text(double x, double y, String text, double size, Color color, Anchor anchor) {
    svg.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" font-family=\"sans-serif\" fill=\"%s\" "
            + "text-anchor=\"%s\">%s</text>%n", x, y, size, hex(color),
        anchor.name().toLowerCase(Locale.ROOT), escape(text)));
  }

  @Override
  public void polyline(double[] xs, double[] ys, Color color, double w) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
    }
    svg.append(String.format(Locale.ROOT,
        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
        points.toString().trim(), hex(color), w));
  }

  /** The finished {@code <svg>} element. */
  String svg() {
    return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\">%n", width, height, width, height) + svg + "</svg>\n";
  }

  private static String hex(Color c) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
