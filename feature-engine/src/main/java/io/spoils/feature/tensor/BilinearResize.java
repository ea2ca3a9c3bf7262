package io.spoils.feature.tensor;

import java.util.Arrays;

/**
 * Bilinear resize of 2-D float32 planes, equal to PyTorch's
 * {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)} on CPU
 * (CONTRACT.md "Bilinear resize").
 *
 * <p>Per axis (input length n_in, output length n_out), output index d samples
 * {@code s = max(0, (d + 0.5) * scale - 0.5)} with {@code scale = (float) n_in / n_out}, between
 * {@code i0 = min(floor(s), n_in - 1)} and {@code i1 = min(i0 + 1, n_in - 1)} with weights
 * {@code w1 = (float) clamp(s - i0, 0, 1)} and {@code w0 = 1f - w1}. Mathematically this is "rows
 * then columns". To be bit-for-bit equal to PyTorch (1.13, the project's reference), the rounding
 * follows what its kernel does: {@code s} is evaluated in float64 from the float32 scale, the weights
 * are float32, the four corner weights are float32 products {@code wy * wx}, and the four weighted
 * corners are summed in float64 and rounded once to float32. Parity tests pin this down.
 */
public final class BilinearResize {

  private BilinearResize() {
  }

  /** Source indices and weights along one axis, precomputed once per resize. */
  record Axis(int[] i0, int[] i1, float[] w0, float[] w1) {

    /** The sampling of an axis of length {@code nIn} onto {@code nOut} positions. */
    static Axis of(int nIn, int nOut) {
      if (nIn <= 0 || nOut <= 0) {
        throw new IllegalArgumentException("axis lengths must be positive, got " + nIn + " -> " + nOut);
      }
      double scale = (float) nIn / nOut;
      int[] i0 = new int[nOut];
      int[] i1 = new int[nOut];
      float[] w0 = new float[nOut];
      float[] w1 = new float[nOut];
      for (int d = 0; d < nOut; d++) {
        double s = Math.max(0.0, scale * (d + 0.5) - 0.5);
        int lo = Math.min((int) Math.floor(s), nIn - 1);
        i0[d] = lo;
        i1[d] = Math.min(lo + 1, nIn - 1);
        w1[d] = (float) Math.min(Math.max(s - lo, 0.0), 1.0);
        w0[d] = 1f - w1[d];
      }
      return new Axis(i0, i1, w0, w1);
    }
  }

  /**
   * Resizes one row-major plane of {@code rows x cols} values to {@code outRows x outCols}.
   *
   * @param src row-major input, length {@code rows * cols}
   * @return a new row-major array of length {@code outRows * outCols}
   */
  public static float[] resize(float[] src, int rows, int cols, int outRows, int outCols) {
    float[] out = new float[Math.multiplyExact(outRows, outCols)];
    resizeAndSum(src, rows, cols, outRows, outCols, out);
    return out;
  }

  /**
   * {@link #resize(float[], int, int, int, int)} into {@code out}, returning the float64 sum of the
   * output values in index order (what {@link ZScore} needs, accumulated while the values are
   * computed instead of in another pass).
   */
  static double resizeAndSum(float[] src, int rows, int cols, int outRows, int outCols, float[] out) {
    return resizeAndSum(src, rows, cols, outRows, outCols, out, outCols);
  }

  /**
   * {@link #resizeAndSum(float[], int, int, int, int, float[])} into the top-left
   * {@code outRows x outCols} of a row-major {@code out} whose rows are {@code outStride} values
   * apart; the rest of {@code out} is left as it is (the segmentation input's zero padding).
   */
  static double resizeAndSum(float[] src, int rows, int cols, int outRows, int outCols, float[] out,
      int outStride) {
    if ((long) rows * cols != src.length) {
      throw new IllegalArgumentException("plane " + rows + "x" + cols + " does not match "
          + src.length + " values");
    }
    if (outStride < outCols || (long) outStride * (outRows - 1) + outCols > out.length) {
      throw new IllegalArgumentException(outRows + "x" + outCols + " values with row stride "
          + outStride + " do not fit " + out.length);
    }
    return new PlaneResizer(src, 0, cols, Axis.of(cols, outCols))
        .resize(Axis.of(rows, outRows), out, 0, outStride);
  }

  /**
   * Resizes the last two dimensions of a tensor of shape {@code [..., H, W]} to
   * {@code [..., outRows, outCols]}; every leading index is resized independently.
   */
  public static FloatTensor resize(FloatTensor t, int outRows, int outCols) {
    long[] shape = t.shape();
    if (shape.length < 2) {
      throw new IllegalArgumentException("need at least 2 dimensions, got " + Arrays.toString(shape));
    }
    int rows = (int) shape[shape.length - 2];
    int cols = (int) shape[shape.length - 1];
    Axis ay = Axis.of(rows, outRows);
    Axis ax = Axis.of(cols, outCols);
    int planes = rows * cols == 0 ? 0 : t.data().length / (rows * cols);
    int outSize = Math.multiplyExact(outRows, outCols);
    float[] out = new float[Math.multiplyExact(planes, outSize)];
    for (int p = 0; p < planes; p++) {
      resizePlane(t.data(), p * rows * cols, cols, ay, ax, out, p * outSize);
    }
    shape[shape.length - 2] = outRows;
    shape[shape.length - 1] = outCols;
    return new FloatTensor(shape, out);
  }

  /** Resizes one plane; returns the float64 sum of its output values in index order. */
  private static double resizePlane(float[] src, int srcOffset, int cols, Axis ay, Axis ax,
      float[] out, int outOffset) {
    return new PlaneResizer(src, srcOffset, cols, ax).resize(ay, out, outOffset, ax.i0().length);
  }

  /** One output value from its four corners (row offsets row0/row1, columns c0/c1). */
  static float sample(float[] src, int row0, int row1, int c0, int c1,
      float wy0, float wy1, float wx0, float wx1) {
    double sum = (double) (wy0 * wx0) * src[row0 + c0]
        + (double) (wy0 * wx1) * src[row0 + c1]
        + (double) (wy1 * wx0) * src[row1 + c0]
        + (double) (wy1 * wx1) * src[row1 + c1];
    return (float) sum;
  }
}
