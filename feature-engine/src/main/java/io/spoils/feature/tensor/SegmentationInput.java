package io.spoils.feature.tensor;

import io.spoils.feature.image.GreyImage;

/**
 * Input of the {@code spine_segmentation} model (CONTRACT.md): the grey image resized bilinearly to
 * {@value #ROWS} rows x {@value #COLS} columns ({@link BilinearResize}), then z-scored over the
 * resized image ({@link ZScore}). The pixel spacing is not used: the network sees a fixed grid, and
 * the output is mapped back to the original grid by {@link SegmentationOutput}.
 */
public final class SegmentationInput {

  /** Model input rows. */
  public static final int ROWS = 320;
  /** Model input columns. */
  public static final int COLS = 256;
  /** Name of the model input tensor. */
  public static final String INPUT_NAME = "image";

  private SegmentationInput() {
  }

  /** Shape of one item, without the batch dimension: {@code [1, 320, 256]} (channel, rows, cols). */
  public static long[] itemShape() {
    return new long[] {1, ROWS, COLS};
  }

  /**
   * The model input for one image.
   *
   * @param image grey image of any size, float32 values
   * @return FP32 tensor of shape {@code [1, 320, 256]} (no batch dimension; see
   *     {@link FloatTensor#stack} to batch)
   * @throws io.spoils.feature.InvalidInputException when the image holds NaN or infinite values
   */
  public static FloatTensor prepare(GreyImage image) {
    float[] values = new float[ROWS * COLS];
    double sum = BilinearResize.resizeAndSum(image.pixels(), image.height(), image.width(), ROWS,
        COLS, values);
    return new FloatTensor(itemShape(), ZScore.normaliseInPlace(values, sum));
  }
}
