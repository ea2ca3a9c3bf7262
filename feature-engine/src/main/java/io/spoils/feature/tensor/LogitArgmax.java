package io.spoils.feature.tensor;

import java.util.Arrays;

/**
 * The raster work of {@link SegmentationOutput#toSemanticMap}: the per-pixel argmax of the
 * top-left {@code h1 x w1} of logits {@code [5, Hp, Wp]} (the resampled image without its padding,
 * {@link SegmentationGrid}) resized bilinearly to {@code rows0 x cols0}, without resizing where the
 * answer is known. The crop is read in place (source rows are {@code Wp} values apart); the padding
 * is never read.
 *
 * <p>An output pixel whose four source corners share a sure winner (see {@link #sureWinners})
 * takes it; only the others (class borders) are resized and compared exactly. Output columns
 * sampling the same source column form one contiguous run (the sampling is monotonic), so a row is
 * filled by runs of source columns with one sure winner rather than pixel by pixel; and output
 * rows sampling the same two source rows differ only at the border pixels, so such a row copies
 * the one above and recomputes its borders.
 */
final class LogitArgmax {

  /** Number of classes (SegmentationOutput checks the shape). */
  static final int CLASSES = SegmentationOutput.CLASSES;

  private final float[] data;
  private final int plane;
  /** Values between the starts of two source rows in {@link #data} (Wp). */
  private final int stride;
  /** Source (cropped) columns, w1. */
  private final int w;
  private final BilinearResize.Axis ay;
  private final BilinearResize.Axis ax;
  private final byte[] ids;
  /** Per cropped source pixel (row-major, {@code w} per row): its sure winner, else -1. */
  private final byte[] sure;
  /** Per source column: the sure winner of the current row pair's 2x2 block there, else -1. */
  private final byte[] block;
  /** Per source column c: the first output column sampling c or a later one; [w] = cols0. */
  private final int[] firstColumn;
  /** Output columns of the current row pair that need the exact argmax. */
  private final int[] border;
  private int borders;
  /**
   * Per border source column c of the current row pair, for each class k: the logits at (r0, c),
   * (r0, c1), (r1, c), (r1, c1) widened to float64, from {@code 4 * CLASSES * c + 4 * k} (shared
   * by the output pixels of the column and the rows of the pair).
   */
  private final double[] corners;

  private LogitArgmax(float[] data, SegmentationGrid grid, byte[] ids) {
    this.data = data;
    this.plane = grid.paddedRows() * grid.paddedCols();
    this.stride = grid.paddedCols();
    this.w = grid.cols1();
    this.ay = BilinearResize.Axis.of(grid.rows1(), grid.rows0());
    this.ax = BilinearResize.Axis.of(w, grid.cols0());
    this.ids = ids;
    this.sure = sureWinners(data, plane, stride, grid.rows1(), w);
    this.block = new byte[w];
    this.firstColumn = firstColumns(ax.i0(), w);
    this.border = new int[grid.cols0()];
    this.corners = new double[4 * CLASSES * w];
  }

  /**
   * The label of every output pixel, row-major.
   *
   * @param data logits {@code [5, paddedRows, paddedCols]}, row-major
   * @param ids the label of each of the 5 classes, indexed by class id
   * @return {@code rows0 * cols0} labels: {@code ids[argmax]}, ties to the lower class
   * @throws IllegalArgumentException when a logit of the crop is NaN or infinite
   */
  static byte[] labels(float[] data, SegmentationGrid grid, byte[] ids) {
    return new LogitArgmax(data, grid, ids).raster(grid.rows0(), grid.cols0());
  }

  private byte[] raster(int rows0, int cols0) {
    int[] r0s = ay.i0();
    int[] r1s = ay.i1();
    byte[] labels = new byte[Math.multiplyExact(rows0, cols0)];
    for (int y = 0; y < rows0; y++) {
      int row = y * cols0;
      if (y > 0 && r0s[y] == r0s[y - 1] && r1s[y] == r1s[y - 1]) {
        System.arraycopy(labels, row - cols0, labels, row, cols0);
      } else {
        fillSure(r0s[y], r1s[y], labels, row);
      }
      for (int k = 0; k < borders; k++) {
        int x = border[k];
        labels[row + x] = ids[argmax(y, x)];
      }
    }
    return labels;
  }

  /**
   * Fills the sure runs of an output row from source rows {@code r0}, {@code r1} and collects its
   * border columns. Output column x samples source columns c0 and {@code min(c0 + 1, w - 1)}, so
   * it is sure exactly when the block at c0 is.
   */
  private void fillSure(int r0, int r1, byte[] labels, int row) {
    int s0 = r0 * w;
    int s1 = r1 * w;
    for (int c = 0; c < w; c++) {
      int c1 = Math.min(c + 1, w - 1);
      byte a = sure[s0 + c];
      block[c] = a == sure[s1 + c] && a == sure[s0 + c1] && a == sure[s1 + c1] ? a : -1;
    }
    borders = 0;
    for (int c = 0; c < w; ) {
      byte v = block[c];
      int end = c + 1;
      while (end < w && block[end] == v) {
        end++;
      }
      if (v >= 0) {
        Arrays.fill(labels, row + firstColumn[c], row + firstColumn[end], ids[v]);
      } else {
        for (int x = firstColumn[c]; x < firstColumn[end]; x++) {
          border[borders++] = x;
        }
        widenCorners(r0 * stride, r1 * stride, c, end);
      }
      c = end;
    }
  }

  /**
   * The {@link #corners} of source columns {@code from} to {@code to - 1} of the rows starting at
   * {@code r0} and {@code r1} in a class plane.
   */
  private void widenCorners(int r0, int r1, int from, int to) {
    for (int c = from; c < to; c++) {
      int c1 = Math.min(c + 1, w - 1);
      for (int k = 0, o = 0, at = 4 * CLASSES * c; k < CLASSES; k++, o += plane, at += 4) {
        corners[at] = data[o + r0 + c];
        corners[at + 1] = data[o + r0 + c1];
        corners[at + 2] = data[o + r1 + c];
        corners[at + 3] = data[o + r1 + c1];
      }
    }
  }

  /** For each source column c (and c = w), the first output column whose c0 is at least c. */
  private static int[] firstColumns(int[] c0s, int w) {
    int[] first = new int[w + 1];
    int x = 0;
    for (int c = 0; c <= w; c++) {
      while (x < c0s.length && c0s[x] < c) {
        x++;
      }
      first[c] = x;
    }
    return first;
  }

  /**
   * Per source pixel: the winning class when it leads the runner-up by more than the sure margin,
   * else -1. The resized value of a class is the same convex combination of the corners for every
   * class (same weights), so the resized lead is at least the smallest corner lead, and a lead
   * above the float32 rounding of the sum (2^-23 of the largest logit; 1e-6 of it is used) cannot
   * turn into a tie or a loss.
   *
   * <p>One pass over the logits: the margin needs the largest absolute logit (the largest winner
   * or the negated smallest loser), so the leads are kept until the end. Each lead has
   * {@code (a - a) + (b - b) + ...} added, which is +0 unless a logit of the pixel is NaN or
   * infinite, when it is NaN: such a lead is never sure, so the check waits for the rare leads
   * that fail the margin.
   *
   * @param data logits {@code [5, plane]}: class k's row r starts at {@code k * plane + r * stride}
   * @return {@code rows * cols} winners of the top-left {@code rows x cols}, row-major
   * @throws IllegalArgumentException when a logit there is NaN or infinite
   */
  static byte[] sureWinners(float[] data, int plane, int stride, int rows, int cols) {
    int n = Math.multiplyExact(rows, cols);
    byte[] sure = new byte[n];
    float[] lead = new float[n];
    float largest = 0;
    for (int r = 0; r < rows; r++) {
      largest = Math.max(largest, winners(data, plane, r * stride, sure, lead, r * cols, cols));
    }
    float sureMargin = 1e-6f * largest + Float.MIN_NORMAL;
    for (int p = 0; p < n; p++) {
      if (!(lead[p] > sureMargin)) {
        if (Float.isNaN(lead[p])) {
          throw new IllegalArgumentException("segmentation logits contain a NaN or infinite value");
        }
        sure[p] = -1;
      }
    }
    return sure;
  }

  /** {@link #sureWinners(float[], int, int, int, int)} of a whole plane. */
  static byte[] sureWinners(float[] data, int plane) {
    return sureWinners(data, plane, plane, 1, plane);
  }

  /**
   * The winning class of {@code n} source pixels from {@code from} (in a class plane) into
   * {@code sure} and their leads (plus the non-finite term) into {@code lead}, from {@code at}.
   *
   * @return the largest absolute logit (meaningless when one is NaN or infinite)
   */
  private static float winners(float[] data, int plane, int from, byte[] sure, float[] lead,
      int at, int n) {
    float highest = 0;
    float lowest = 0;
    for (int i = 0, p = from; i < n; i++, p++) {
      float a = data[p];
      float b = data[plane + p];
      float c = data[2 * plane + p];
      float d = data[3 * plane + p];
      float e = data[4 * plane + p];
      // winner of each pair (ties to the lower class), then of the pairs; the runner-up is the
      // better of the other pair's winner and the winning pair's loser; then the fifth class
      boolean bWins = b > a;
      float highAb = bWins ? b : a;
      float lowAb = bWins ? a : b;
      boolean dWins = d > c;
      float highCd = dWins ? d : c;
      float lowCd = dWins ? c : d;
      float nonFinite = (a - a) + (b - b) + ((c - c) + (d - d)) + (e - e);
      byte winner;
      float first;
      float second;
      if (highCd > highAb) {
        winner = (byte) (dWins ? 3 : 2);
        first = highCd;
        second = highAb > lowCd ? highAb : lowCd;
      } else {
        winner = (byte) (bWins ? 1 : 0);
        first = highAb;
        second = highCd > lowAb ? highCd : lowAb;
      }
      if (e > first) {
        winner = 4;
        second = first;
        first = e;
      } else {
        second = e > second ? e : second;
      }
      sure[at + i] = winner;
      lead[at + i] = (first - second) + nonFinite;
      highest = first > highest ? first : highest;
      float low = lowAb < lowCd ? lowAb : lowCd;
      low = e < low ? e : low;
      lowest = low < lowest ? low : lowest;
    }
    return highest > -lowest ? highest : -lowest;
  }

  /**
   * Class with the highest resized logit at output (y, x) of the current row pair; the first one
   * wins a tie. The value of a class is {@link BilinearResize#sample}'s, from the widened
   * {@link #corners}, with the corner weights computed once for all classes.
   */
  private int argmax(int y, int x) {
    float wy0 = ay.w0()[y];
    float wy1 = ay.w1()[y];
    float wx0 = ax.w0()[x];
    float wx1 = ax.w1()[x];
    double w00 = wy0 * wx0;
    double w01 = wy0 * wx1;
    double w10 = wy1 * wx0;
    double w11 = wy1 * wx1;
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int c = 0, at = 4 * CLASSES * ax.i0()[x]; c < CLASSES; c++, at += 4) {
      float v = (float) (w00 * corners[at] + w01 * corners[at + 1] + w10 * corners[at + 2]
          + w11 * corners[at + 3]);
      if (c == 0 || v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    return best;
  }
}
