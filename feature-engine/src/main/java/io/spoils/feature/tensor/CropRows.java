package io.spoils.feature.tensor;

import io.spoils.feature.image.GreyImage;

/**
 * Source rows of a {@link DiscCrop} interpolated along the row at the crop's columns, float64: for
 * source row r and crop column j, {@code (1 - wx) * p(x0, r) + wx * p(x1, r)} with the clamped
 * corner columns and the weight of {@link DiscCrop#sample} (x0 and x1 are kept relative to the
 * first column used). Crop rows ask for source rows in
 * non-decreasing order, two at a time (the rows above and below), so the two most recently used
 * rows are kept and the least recently used one is replaced.
 */
final class CropRows {

  private final float[] pixels;
  private final int width;
  private final int[] x0 = new int[DiscCrop.SIZE];
  private final int[] x1 = new int[DiscCrop.SIZE];
  private final double[] wx = new double[DiscCrop.SIZE];
  private final double[] wx0 = new double[DiscCrop.SIZE];
  /** The source row's pixels from column x0[0] to x1[SIZE - 1], widened to float64. */
  private final double[] span;
  private final double[][] rows = new double[2][DiscCrop.SIZE];
  private final int[] rowIndex = {-1, -1};
  private final int spanStart;
  private int leastRecent;

  /**
   * @param xs image column of each crop column's sample, pixels (may lie outside the image)
   */
  CropRows(GreyImage image, double[] xs) {
    this.pixels = image.pixels();
    this.width = image.width();
    for (int j = 0; j < DiscCrop.SIZE; j++) {
      double fx = Math.floor(xs[j]);
      wx[j] = xs[j] - fx;
      x0[j] = DiscCrop.clamp(fx, width);
      x1[j] = DiscCrop.clamp(fx + 1, width);
      wx0[j] = 1 - wx[j];
    }
    int first = x0[0];
    for (int j = 0; j < DiscCrop.SIZE; j++) {
      x0[j] -= first;
      x1[j] -= first;
    }
    span = new double[x1[DiscCrop.SIZE - 1] + 1];
    spanStart = first;
  }

  /** Source row {@code r} (0 &lt;= r &lt; height) interpolated at the crop's columns (do not modify). */
  double[] row(int r) {
    for (int k = 0; k < 2; k++) {
      if (rowIndex[k] == r) {
        leastRecent = 1 - k;
        return rows[k];
      }
    }
    int k = leastRecent;
    interpolate(r * width, rows[k]);
    rowIndex[k] = r;
    leastRecent = 1 - k;
    return rows[k];
  }

  /**
   * The row's pixels are widened to float64 in a loop of their own: a scalar conversion in the
   * gathering loop would be tied to the previous use of its register (C2 on x86).
   */
  private void interpolate(int offset, double[] out) {
    int from = offset + spanStart;
    for (int k = 0; k < span.length; k++) {
      span[k] = pixels[from + k];
    }
    for (int j = 0; j < DiscCrop.SIZE; j++) {
      out[j] = wx0[j] * span[x0[j]] + wx[j] * span[x1[j]];
    }
  }
}
