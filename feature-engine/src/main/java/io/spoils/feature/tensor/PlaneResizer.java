package io.spoils.feature.tensor;

/**
 * {@link BilinearResize} of one plane, row by row, with {@link BilinearResize#sample}'s arithmetic
 * (float32 corner weights {@code wy * wx}, the four weighted corners summed in float64 from left
 * to right, rounded once to float32) arranged so that no float32-to-float64 conversion sits in the
 * loop that gathers the corners: the two source rows and the row's corner weights are widened to
 * float64 in loops of their own, and the output row is rounded to float32 in another. On x86, C2
 * converts with instructions that merge into their destination register, which ties each scalar
 * conversion to the previous use of that register; the loops of their own are vectorised instead.
 * The results are the same values (each operation and its order are unchanged).
 */
final class PlaneResizer {

  private final float[] src;
  private final int srcOffset;
  private final int cols;
  private final BilinearResize.Axis ax;
  private final double[][] rows;
  private final int[] rowIndex = {-1, -1};
  private final double[] w00;
  private final double[] w01;
  private final double[] w10;
  private final double[] w11;
  private final double[] values;

  /** A resizer of the plane of {@code cols} columns at {@code srcOffset} in {@code src}. */
  PlaneResizer(float[] src, int srcOffset, int cols, BilinearResize.Axis ax) {
    this.src = src;
    this.srcOffset = srcOffset;
    this.cols = cols;
    this.ax = ax;
    int outCols = ax.i0().length;
    this.rows = new double[2][cols];
    this.w00 = new double[outCols];
    this.w01 = new double[outCols];
    this.w10 = new double[outCols];
    this.w11 = new double[outCols];
    this.values = new double[outCols];
  }

  /**
   * Resizes the plane into {@code out} from {@code outOffset}, output rows {@code outStride} values
   * apart (at least the output columns; more leaves the values between rows untouched).
   *
   * @return the float64 sum of the output values in index order
   */
  double resize(BilinearResize.Axis ay, float[] out, int outOffset, int outStride) {
    int outCols = values.length;
    double sum = 0;
    for (int y = 0; y < ay.i0().length; y++) {
      loadRows(ay.i0()[y], ay.i1()[y]);
      if (y == 0 || ay.w0()[y] != ay.w0()[y - 1] || ay.w1()[y] != ay.w1()[y - 1]) {
        weights(ay.w0()[y], ay.w1()[y]);
      }
      interpolate(rows[0], rows[1]);
      int o = outOffset + y * outStride;
      for (int x = 0; x < outCols; x++) {
        out[o + x] = (float) values[x];
      }
      for (int x = o; x < o + outCols; x++) {
        sum += out[x];
      }
    }
    return sum;
  }

  /** Source row r0 widened in rows[0] and r1 in rows[1], reusing what the previous row loaded. */
  private void loadRows(int r0, int r1) {
    if (rowIndex[0] != r0 && rowIndex[1] == r0) {
      double[] t = rows[0];
      rows[0] = rows[1];
      rows[1] = t;
      rowIndex[1] = rowIndex[0];
      rowIndex[0] = r0;
    }
    if (rowIndex[0] != r0) {
      widen(r0, rows[0]);
      rowIndex[0] = r0;
    }
    if (rowIndex[1] != r1) {
      widen(r1, rows[1]);
      rowIndex[1] = r1;
    }
  }

  private void widen(int r, double[] row) {
    int from = srcOffset + r * cols;
    for (int c = 0; c < cols; c++) {
      row[c] = src[from + c];
    }
  }

  /** The four float32 corner weights of every output column of a row, widened. */
  private void weights(float wy0, float wy1) {
    float[] wx0 = ax.w0();
    float[] wx1 = ax.w1();
    for (int x = 0; x < values.length; x++) {
      w00[x] = wy0 * wx0[x];
      w01[x] = wy0 * wx1[x];
      w10[x] = wy1 * wx0[x];
      w11[x] = wy1 * wx1[x];
    }
  }

  private void interpolate(double[] top, double[] bottom) {
    int[] c0 = ax.i0();
    int[] c1 = ax.i1();
    for (int x = 0; x < values.length; x++) {
      values[x] = w00[x] * top[c0[x]] + w01[x] * top[c1[x]] + w10[x] * bottom[c0[x]]
          + w11[x] * bottom[c1[x]];
    }
  }
}
