package io.spoils.feature.tensor;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.Arrays;

/**
 * Output of the {@code spine_segmentation} model (CONTRACT.md) to a semantic label map: the logits
 * {@code [4, h, w]} are resized bilinearly to the original image size ({@link BilinearResize}, the
 * same arithmetic as PyTorch) and each pixel takes the class with the highest logit (ties go to the
 * lower class id, as {@code torch.argmax}); only pixels at class borders are actually resized
 * ({@link LogitArgmax}). Classes 0 background, 1 disc, 2 vertebra, 3 canal become
 * the SPIDER ids 0, 29, 76, 150 ({@link LabelMap.Scheme#SPIDER}).
 */
public final class SegmentationOutput {

  /** Number of classes of the model output. */
  public static final int CLASSES = 4;
  /** Name of the model output tensor. */
  public static final String OUTPUT_NAME = "logits";

  /** SPIDER id of each model class, indexed by class id. */
  private static final int[] SPIDER_IDS = {0, 29, 76, 150};
  private static final byte[] SPIDER_BYTES = {0, 29, 76, (byte) 150};

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
    byte[] labels = LogitArgmax.labels(logits.data(), (int) shape[1], (int) shape[2], rows0, cols0,
        SPIDER_BYTES);
    return new LabelMap(cols0, rows0, labels, spacing, LabelMap.Scheme.SPIDER);
  }
}
