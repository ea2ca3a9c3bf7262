package io.spoils.feature.tensor;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.Arrays;

/**
 * Output of the {@code spine_segmentation} model (CONTRACT.md) to a semantic label map: the logits
 * {@code [4, h, w]} are resized bilinearly to the original image size ({@link BilinearResize}, the
 * same arithmetic as PyTorch) and each pixel takes the class with the highest logit (ties go to the
 * lower class id, as {@code torch.argmax}). Classes 0 background, 1 disc, 2 vertebra, 3 canal become
 * the SPIDER ids 0, 29, 76, 150 ({@link LabelMap.Scheme#SPIDER}).
 */
public final class SegmentationOutput {

  /** Number of classes of the model output. */
  public static final int CLASSES = 4;
  /** Name of the model output tensor. */
  public static final String OUTPUT_NAME = "logits";

  /** SPIDER id of each model class, indexed by class id. */
  private static final int[] SPIDER_IDS = {0, 29, 76, 150};

  private SegmentationOutput() {
  }

  /** Shape of one item, without the batch dimension: {@code [4, 320, 256]}. */
  public static long[] itemShape() {
    return new long[] {CLASSES, SegmentationInput.ROWS, SegmentationInput.COLS};
  }

  /** SPIDER mask value of a model class id (0-3). */
  public static int spiderId(int modelClass) {
    return SPIDER_IDS[modelClass];
  }

  /**
   * The semantic map at the original image size.
   *
   * @param logits FP32 tensor {@code [4, h, w]} (one batch item), any h, w &gt; 0
   * @param rows0 original image rows, &gt; 0
   * @param cols0 original image columns, &gt; 0
   * @param spacing the original image's pixel spacing, carried into the map
   * @return label map {@code cols0 x rows0} in the SPIDER scheme
   * @throws IllegalArgumentException for a wrong logits shape or non-finite logits (a model fault,
   *     not bad user input)
   */
  public static LabelMap toSemanticMap(FloatTensor logits, int rows0, int cols0, PixelSpacing spacing) {
    long[] shape = logits.shape();
    if (shape.length != 3 || shape[0] != CLASSES || shape[1] <= 0 || shape[2] <= 0) {
      throw new IllegalArgumentException("segmentation logits must be [4, h, w], got "
          + Arrays.toString(shape));
    }
    if (rows0 <= 0 || cols0 <= 0) {
      throw new IllegalArgumentException("output size must be positive, got " + rows0 + "x" + cols0);
    }
    float[] data = logits.data();
    int h = (int) shape[1];
    int w = (int) shape[2];
    byte[] sure = sureWinners(data, h * w);
    BilinearResize.Axis ay = BilinearResize.Axis.of(h, rows0);
    BilinearResize.Axis ax = BilinearResize.Axis.of(w, cols0);
    byte[] labels = new byte[Math.multiplyExact(rows0, cols0)];
    byte[] pair = new byte[w];
    int[] c0s = ax.i0();
    int[] c1s = ax.i1();
    for (int y = 0; y < rows0; y++) {
      if (y == 0 || ay.i0()[y] != ay.i0()[y - 1] || ay.i1()[y] != ay.i1()[y - 1]) {
        verticalPairs(sure, ay.i0()[y] * w, ay.i1()[y] * w, pair);
      }
      int row = y * cols0;
      for (int x = 0; x < cols0; x++) {
        int c = pair[c0s[x]];
        labels[row + x] = (byte) SPIDER_IDS[c >= 0 && pair[c1s[x]] == c ? c
            : argmax(data, h * w, w, ay, ax, y, x)];
      }
    }
    return new LabelMap(cols0, rows0, labels, spacing, LabelMap.Scheme.SPIDER);
  }

  /** Per column: the sure winner shared by the two source rows, else -1. */
  private static void verticalPairs(byte[] sure, int r0, int r1, byte[] out) {
    for (int c = 0; c < out.length; c++) {
      byte a = sure[r0 + c];
      out[c] = a == sure[r1 + c] ? a : -1;
    }
  }

  /**
   * Per input pixel: the winning class when it leads the runner-up by more than the sure margin,
   * else -1. An output pixel whose four source corners share a sure winner takes it without
   * resizing the logits: the resized value of a class is the same convex combination of the
   * corners for every class (same weights), so the resized lead is at least the smallest corner
   * lead, and a lead above the float32 rounding of the sum (2^-23 of the largest logit; 1e-6 of
   * it is used) cannot turn into a tie or a loss. Only the other pixels (class borders) are
   * resized and compared exactly.
   *
   * @throws IllegalArgumentException when a logit is NaN or infinite
   */
  private static byte[] sureWinners(float[] data, int plane) {
    float maxAbs = 0;
    for (int i = 0; i < CLASSES * plane; i++) {
      // Math.max keeps a NaN, and an infinity stays infinite: one check after the loop suffices
      maxAbs = Math.max(maxAbs, Math.abs(data[i]));
    }
    if (!Float.isFinite(maxAbs)) {
      throw new IllegalArgumentException("segmentation logits contain a NaN or infinite value");
    }
    float sureMargin = 1e-6f * maxAbs + Float.MIN_NORMAL;
    byte[] sure = new byte[plane];
    for (int p = 0; p < plane; p++) {
      int best = 0;
      float first = data[p];
      float second = Float.NEGATIVE_INFINITY;
      for (int c = 1; c < CLASSES; c++) {
        float v = data[c * plane + p];
        if (v > first) {
          second = first;
          first = v;
          best = c;
        } else {
          second = Math.max(second, v);
        }
      }
      sure[p] = first - second > sureMargin ? (byte) best : -1;
    }
    return sure;
  }

  /** Class with the highest resized logit at output (y, x); the first one wins a tie. */
  private static int argmax(float[] data, int plane, int w, BilinearResize.Axis ay,
      BilinearResize.Axis ax, int y, int x) {
    int best = 0;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < CLASSES; c++) {
      float v = BilinearResize.sample(data, c * plane + ay.i0()[y] * w, c * plane + ay.i1()[y] * w,
          ax.i0()[x], ax.i1()[x], ay.w0()[y], ay.w1()[y], ax.w0()[x], ax.w1()[x]);
      if (c == 0 || v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    return best;
  }
}
