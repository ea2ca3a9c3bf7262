package io.spoils.feature.tensor;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.Arrays;

/**
 * Output of the {@code spine_segmentation} model (CONTRACT.md, contract v2) to a semantic label
 * map: of the logits {@code [5, Hp, Wp]}, the top-left {@code H1 x W1} (the resampled image,
 * without its padding; {@link SegmentationGrid}) is resized bilinearly to the original image size
 * ({@link BilinearResize}, the same arithmetic as PyTorch) and each pixel takes the class with the
 * highest logit (ties go to the lower class id, as {@code torch.argmax}); only pixels at class
 * borders are actually resized ({@link LogitArgmax}). Equal to {@code logits_to_labels} of
 * {@code triton-models/training/spoils_data.py}. Classes 0 background, 1 disc, 2 vertebra,
 * 3 canal, 4 lumbosacral (L5-S1) disc become the SPIDER-scheme ids 0, 29, 76, 150 and
 * {@value #LUMBOSACRAL_DISC} ({@link LabelMap.Scheme#SPIDER}).
 */
public final class SegmentationOutput {

  /** Number of classes of the model output. */
  public static final int CLASSES = 5;
  /** Name of the model output tensor. */
  public static final String OUTPUT_NAME = "logits";
  /** Class id of the lumbosacral (L5-S1) disc in the model output. */
  public static final int LUMBOSACRAL_CLASS = 4;
  /** Value of the lumbosacral (L5-S1) disc in the SPIDER-scheme semantic map. */
  public static final int LUMBOSACRAL_DISC = 31;

  /** SPIDER id of each model class, indexed by class id. */
  private static final int[] SPIDER_IDS = {0, 29, 76, 150, LUMBOSACRAL_DISC};
  private static final byte[] SPIDER_BYTES = {0, 29, 76, (byte) 150, LUMBOSACRAL_DISC};

  private SegmentationOutput() {
  }

  /** SPIDER-scheme value of a model class id (0-4). */
  public static int spiderId(int modelClass) {
    return SPIDER_IDS[modelClass];
  }

  /**
   * The semantic map at the original image size, for the logits of an image of
   * {@code rows0 x cols0} pixels of {@code spacing} (the grid is computed again from them:
   * {@link SegmentationGrid#of}).
   *
   * @param logits FP32 tensor {@code [5, Hp, Wp]} (one batch item)
   * @param spacing the original image's pixel spacing, carried into the map
   * @return label map {@code cols0 x rows0} in the SPIDER scheme
   * @throws IllegalArgumentException for a wrong logits shape or non-finite logits (a model fault,
   *     not bad user input)
   */
  public static LabelMap toSemanticMap(FloatTensor logits, int rows0, int cols0, PixelSpacing spacing) {
    return toSemanticMap(logits, SegmentationGrid.of(rows0, cols0, spacing), spacing);
  }

  /**
   * The semantic map at the original image size of {@code grid}.
   *
   * @param logits FP32 tensor {@code [5, grid.paddedRows, grid.paddedCols]} (one batch item)
   * @param spacing the original image's pixel spacing, carried into the map
   * @return label map {@code grid.cols0 x grid.rows0} in the SPIDER scheme
   * @throws IllegalArgumentException for a wrong logits shape or non-finite logits in the
   *     {@code H1 x W1} region (a model fault, not bad user input; the padding is not read)
   */
  public static LabelMap toSemanticMap(FloatTensor logits, SegmentationGrid grid,
      PixelSpacing spacing) {
    if (!logits.hasShape(grid.outputShape())) {
      throw new IllegalArgumentException("segmentation logits must be "
          + Arrays.toString(grid.outputShape()) + ", got " + Arrays.toString(logits.shape()));
    }
    byte[] labels = LogitArgmax.labels(logits.data(), grid, SPIDER_BYTES);
    return new LabelMap(grid.cols0(), grid.rows0(), labels, spacing, LabelMap.Scheme.SPIDER);
  }

  /**
   * The semantic map on the resampled grid itself ({@code cols1 x rows1}, the padding dropped),
   * without the resize to the original size: each pixel the class with the highest logit there
   * (ties to the lower class id). Its spacing is {@link SegmentationGrid#resampledSpacing} of
   * {@code spacing}; grid pixel {@code x} is centred on column {@code (x + 0.5) * cols0 / cols1
   * - 0.5} of the original image (the half-pixel convention of {@link BilinearResize}), likewise
   * the rows. For reading areas and positions at the model's own resolution (the outer
   * slices of a series): the map the model draws, in fewer pixels than the original where its
   * pixels are finer than the grid's, and without the bilinear resize.
   *
   * @param logits FP32 tensor {@code [5, grid.paddedRows, grid.paddedCols]} (one batch item)
   * @param spacing the original image's pixel spacing
   * @throws IllegalArgumentException for a wrong logits shape or a NaN or infinite logit in the
   *     {@code H1 x W1} region (a model fault, not bad user input)
   */
  public static LabelMap toGridMap(FloatTensor logits, SegmentationGrid grid,
      PixelSpacing spacing) {
    if (!logits.hasShape(grid.outputShape())) {
      throw new IllegalArgumentException("segmentation logits must be "
          + Arrays.toString(grid.outputShape()) + ", got " + Arrays.toString(logits.shape()));
    }
    float[] data = logits.data();
    int stride = grid.paddedCols();
    int plane = grid.paddedRows() * stride;
    int w = grid.cols1();
    byte[] labels = new byte[Math.multiplyExact(grid.rows1(), w)];
    for (int y = 0; y < grid.rows1(); y++) {
      for (int x = 0, at = y * stride; x < w; x++, at++) {
        int best = 0;
        float bestValue = data[at];
        boolean finite = Float.isFinite(bestValue);
        for (int c = 1, ac = at + plane; c < CLASSES; c++, ac += plane) {
          float v = data[ac];
          finite &= Float.isFinite(v);
          if (v > bestValue) {
            best = c;
            bestValue = v;
          }
        }
        if (!finite) {
          throw new IllegalArgumentException(
              "segmentation logits contain a NaN or infinite value");
        }
        labels[y * w + x] = SPIDER_BYTES[best];
      }
    }
    return new LabelMap(w, grid.rows1(), labels, grid.resampledSpacing(spacing),
        LabelMap.Scheme.SPIDER);
  }
}
