package io.spoils.load;

import java.awt.Color;

/** The drawing operations the charts need, so SVG and PNG draw the same picture. Units: pixels. */
interface Canvas {

  /** Horizontal text anchor. */
  enum Anchor { START, MIDDLE, END }

  void line(double x1, double y1, double x2, double y2, Color color, double width);

  void rect(double x, double y, double w, double h, Color fill);

  void dot(double x, double y, double radius, Color color);

  /** Text with its baseline at {@code y}. */
  void text(double x, double y, String text, double size, Color color, Anchor anchor);

  void polyline(double[] xs, double[] ys, Color color, double width);
}
