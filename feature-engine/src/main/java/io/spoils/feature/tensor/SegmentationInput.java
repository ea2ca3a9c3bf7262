package io.spoils.feature.tensor;

import io.spoils.feature.image.GreyImage;

/**
 * Input of the {@code spine_segmentation} model (CONTRACT.md, contract v2): the grey image resampled
 * bilinearly ({@link BilinearResize}) to 0.8 mm pixels from its row and column spacing
 * ({@link SegmentationGrid}: H1 x W1), placed at the top-left of an Hp x Wp tensor of zeros
 * (Hp, Wp: H1, W1 rounded up to multiples of 32), then z-scored over all Hp x Wp values, padding
 * included ({@link ZScore}). Equal to {@code segmentation_input_v2} of
 * {@code triton-models/training/spoils_data.py}. The output goes back to the image's grid with
 * {@link SegmentationOutput}.
 */
public final class SegmentationInput {

  /** Name of the model input tensor. */
  public static final String INPUT_NAME = "image";

  private SegmentationInput() {
  }

  /**
   * The model input for one image.
   *
   * @param image grey image with its pixel spacing, float32 values
   * @return FP32 tensor of shape {@code [1, Hp, Wp]} ({@link SegmentationGrid#of} of the image's
   *     size and spacing; no batch dimension, see {@link FloatTensor#stack} to batch the slices of a
   *     series, which share Hp x Wp)
   * @throws io.spoils.feature.InvalidInputException when the image holds NaN or infinite values, or
   *     its field of view is outside what the model takes ({@link SegmentationGrid#of})
   */
  public static FloatTensor prepare(GreyImage image) {
    SegmentationGrid grid = SegmentationGrid.of(image.height(), image.width(), image.spacing());
    return prepare(image, grid);
  }

  /**
   * The mean and standard deviation the z-score of a whole image on a grid would use, so that a
   * part of it ({@link io.spoils.feature.image.PixelBox#crop}) is normalised as the whole would be:
   * the model learnt whole images, and a part's own statistics (less background, more tissue) would
   * shift its intensities. Computed from the original pixels, one pass: resampling keeps the mean
   * and nearly the spread; the padding's zeros are counted as the whole image's tensor has them.
   *
   * @param mean mean of the whole image's padded tensor
   * @param std population standard deviation of it
   */
  public record WholeImageStatistics(double mean, double std) {

    /**
     * The statistics of {@code image} on the grid of {@code mm} pixels.
     *
     * @throws io.spoils.feature.InvalidInputException for a NaN or infinite value, or a field of
     *     view outside what the model takes
     */
    public static WholeImageStatistics of(GreyImage image, double mm) {
      SegmentationGrid grid = SegmentationGrid.of(image.height(), image.width(), image.spacing(),
          mm);
      double sum = 0;
      double squares = 0;
      for (float v : image.pixels()) {
        sum += v;
        squares += (double) v * v;
      }
      if (!Double.isFinite(squares)) {
        throw new io.spoils.feature.InvalidInputException("the image holds NaN or infinite values");
      }
      double n = image.pixels().length;
      double share = (double) grid.rows1() * grid.cols1() / ((double) grid.paddedRows()
          * grid.paddedCols());
      double mean = sum / n * share;
      double variance = Math.max(0, squares / n * share - mean * mean);
      return new WholeImageStatistics(mean, Math.sqrt(variance));
    }
  }

  /**
   * The model input for a part of an image on its grid ({@link SegmentationGrid#of} of the part's
   * size), z-scored with the whole image's statistics instead of its own.
   */
  public static FloatTensor prepare(GreyImage part, SegmentationGrid grid,
      WholeImageStatistics whole) {
    requireGridOf(part, grid);
    float[] values = new float[Math.multiplyExact(grid.paddedRows(), grid.paddedCols())];
    double sum = BilinearResize.resizeAndSum(part.pixels(), part.height(), part.width(),
        grid.rows1(), grid.cols1(), values, grid.paddedCols());
    return new FloatTensor(grid.inputShape(),
        ZScore.normaliseInPlaceWith(values, sum, whole.mean(), whole.std()));
  }

  private static void requireGridOf(GreyImage image, SegmentationGrid grid) {
    if (grid.rows0() != image.height() || grid.cols0() != image.width()) {
      throw new IllegalArgumentException("grid for " + grid.rows0() + "x" + grid.cols0()
          + " used on an image of " + image.height() + "x" + image.width());
    }
  }

  /**
   * The model input for one image on a grid computed before ({@link SegmentationGrid#of} of this
   * image's size and spacing).
   *
   * @throws IllegalArgumentException when the grid is not the image's size
   */
  public static FloatTensor prepare(GreyImage image, SegmentationGrid grid) {
    requireGridOf(image, grid);
    float[] values = new float[Math.multiplyExact(grid.paddedRows(), grid.paddedCols())];
    // the padding stays 0 and adds nothing to the sum
    double sum = BilinearResize.resizeAndSum(image.pixels(), image.height(), image.width(),
        grid.rows1(), grid.cols1(), values, grid.paddedCols());
    return new FloatTensor(grid.inputShape(), ZScore.normaliseInPlace(values, sum));
  }
}
