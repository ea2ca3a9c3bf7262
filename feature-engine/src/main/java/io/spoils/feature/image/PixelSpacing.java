package io.spoils.feature.image;

/**
 * Physical size of one pixel, in millimetres. DICOM PixelSpacing (0028,0030) gives the row spacing
 * (distance between the centres of adjacent rows, i.e. vertical) first and the column spacing
 * (horizontal) second; non-square pixels are common and must be kept apart.
 *
 * @param rowMm vertical distance between adjacent rows, mm, &gt; 0
 * @param colMm horizontal distance between adjacent columns, mm, &gt; 0
 */
public record PixelSpacing(double rowMm, double colMm) {
  public PixelSpacing {
    if (!(rowMm > 0) || !(colMm > 0) || Double.isInfinite(rowMm) || Double.isInfinite(colMm)) {
      throw new IllegalArgumentException("pixel spacing must be positive and finite, got "
          + rowMm + "," + colMm);
    }
  }

  /** Area of one pixel in mm². */
  public double pixelAreaMm2() {
    return rowMm * colMm;
  }
}
