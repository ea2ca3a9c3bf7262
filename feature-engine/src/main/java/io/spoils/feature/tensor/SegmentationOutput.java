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
    Winners winners = Winners.of(data, h * w);
    BilinearResize.Axis ay = BilinearResize.Axis.of(h, rows0);
    BilinearResize.Axis ax = BilinearResize.Axis.of(w, cols0);
    byte[] labels = new byte[Math.multiplyExact(rows0, cols0)];
    byte[] winner = winners.classes();
    float[] margin = winners.margins();
    float sure = winners.sureMargin();
    for (int y = 0; y < rows0; y++) {
      int r0 = ay.i0()[y] * w;
      int r1 = ay.i1()[y] * w;
      for (int x = 0; x < cols0; x++) {
        int c0 = ax.i0()[x];
        int c1 = ax.i1()[x];
        int c = winner[r0 + c0];
        boolean same = winner[r0 + c1] == c && winner[r1 + c0] == c && winner[r1 + c1] == c
            && Math.min(Math.min(margin[r0 + c0], margin[r0 + c1]),
                Math.min(margin[r1 + c0], margin[r1 + c1])) > sure;
        labels[y * cols0 + x] = (byte) SPIDER_IDS[same ? c : argmax(data, h * w, w, ay, ax, y, x)];
      }
    }
    return new LabelMap(cols0, rows0, labels, spacing, LabelMap.Scheme.SPIDER);
  }

  /**
   * Per input pixel: the winning class and its lead over the runner-up. An output pixel whose four
   * source corners share a winner leading everywhere by more than {@link #sureMargin} takes that
   * winner without resizing the logits: the resized value of a class is the same convex
   * combination of the corners for every class (same weights), so the resized lead is at least the
   * smallest corner lead, and a lead above the float32 rounding of the sum (2^-23 of the largest
   * logit; 1e-6 is used) cannot turn into a tie or a loss. Only the other pixels (class borders)
   * are resized and compared exactly.
   *
   * @param classes winning class per input pixel (first on ties)
   * @param margins winner's logit minus the largest other logit (0 on ties)
   * @param sureMargin leads above this are decisive
   */
  private record Winners(byte[] classes, float[] margins, float sureMargin) {
    static Winners of(float[] data, int plane) {
      byte[] classes = new byte[plane];
      float[] margins = new float[plane];
      float maxAbs = 0;
      for (int p = 0; p < plane; p++) {
        int best = 0;
        float first = data[p];
        float second = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
          float v = data[c * plane + p];
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("segmentation logits contain a NaN or infinite value");
          }
          maxAbs = Math.max(maxAbs, Math.abs(v));
          if (c > 0 && v > first) {
            second = first;
            first = v;
            best = c;
          } else if (c > 0) {
            second = Math.max(second, v);
          }
        }
        classes[p] = (byte) best;
        margins[p] = first - second;
      }
      return new Winners(classes, margins, 1e-6f * maxAbs + Float.MIN_NORMAL);
    }
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
