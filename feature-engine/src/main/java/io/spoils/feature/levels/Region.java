package io.spoils.feature.levels;

import io.spoils.feature.image.PixelSpacing;
import java.util.Objects;

/**
 * A set of pixels of one image (row-major indices {@code y * imageWidth + x}) with the image's
 * spacing. Positions in mm are {@code x_mm = x * colMm}, {@code y_mm = y * rowMm}, measured to the
 * pixel centre. The index array is owned by the record: callers must not modify it.
 *
 * @param pixels pixel indices, in any order, without duplicates
 * @param imageWidth width of the image the indices refer to, pixels
 * @param spacing pixel spacing of that image
 */
public record Region(int[] pixels, int imageWidth, PixelSpacing spacing) {
  public Region {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(spacing, "spacing");
    if (imageWidth <= 0) {
      throw new IllegalArgumentException("imageWidth must be positive");
    }
  }

  /** Number of pixels. */
  public int size() {
    return pixels.length;
  }

  public boolean isEmpty() {
    return pixels.length == 0;
  }

  /** Area in mm². */
  public double areaMm2() {
    return pixels.length * spacing.pixelAreaMm2();
  }

  /** Mean column of the pixel centres (pixels); NaN when empty. */
  public double centroidX() {
    return pixels.length == 0 ? Double.NaN : sums()[0] / pixels.length;
  }

  /** Mean row of the pixel centres (pixels); NaN when empty. */
  public double centroidY() {
    return pixels.length == 0 ? Double.NaN : sums()[1] / pixels.length;
  }

  /**
   * Centroid in mm, {@code {x_mm, y_mm}}: {@link #centroidX()} and {@link #centroidY()} times the
   * spacing, both sums taken in one pass that divides only where the row changes.
   */
  public double[] centroidMm() {
    int n = pixels.length;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double[] sums = sums();
    return new double[] {sums[0] / n * spacing.colMm(), sums[1] / n * spacing.rowMm()};
  }

  /**
   * The sums of the pixels' columns and rows in one pass that divides only where the row changes
   * (integer sums, exact in a double, so the order of the pixels does not matter).
   */
  private double[] sums() {
    double sumX = 0;
    double sumY = 0;
    int y = -1;
    int rowStart = 0;
    for (int p : pixels) {
      if (y < 0 || p < rowStart || p >= rowStart + imageWidth) {
        y = p / imageWidth;
        rowStart = y * imageWidth;
      }
      sumX += p - rowStart;
      sumY += y;
    }
    return new double[] {sumX, sumY};
  }
}
