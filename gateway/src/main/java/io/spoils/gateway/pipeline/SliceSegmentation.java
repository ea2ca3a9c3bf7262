package io.spoils.gateway.pipeline;

import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationInput;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.SegmentationResult;
import io.vertx.core.Future;
import java.util.List;

/**
 * The {@code spine_segmentation} side of a series: each slice's model input
 * ({@link SegmentationInput}), one batched call for all slices ({@link InferenceBackend#segment}),
 * and each slice's logits back to a semantic map at the slice's own size
 * ({@link SegmentationOutput}). The slices of a series share their size and pixel spacing
 * ({@link SeriesSlices}), hence one {@link SegmentationGrid}. The one class that knows the
 * segmentation tensors and the backend call, so a change of either (a backend signature, a tensor
 * contract) stays here. Stateless; all but {@link #segment} are blocking.
 */
final class SliceSegmentation {

  /** The model's own grid, mm ({@link SegmentationGrid#MM}). */
  static final double FINE_MM = SegmentationGrid.MM;

  private SliceSegmentation() {
  }

  /**
   * The model input of one whole slice on the model's own grid (blocking).
   *
   * @throws io.spoils.feature.InvalidInputException when the field of view is outside what the
   *     model takes, or the slice holds NaN or infinite values
   */
  static FloatTensor input(GreyImage slice) {
    return SegmentationInput.prepare(slice);
  }

  /**
   * Segments the slices of one series: {@code inputs} in slice order, all of one shape, in one
   * batched call ({@link InferenceBackend#segment}: requests of at most the model's
   * {@code max_batch_size}, sent at once).
   *
   * @return each slice's logits, or the first failed request's failure
   */
  static Future<SegmentationResult> segment(InferenceBackend backend, List<FloatTensor> inputs,
      Deadline deadline) {
    return backend.segment(inputs, deadline);
  }

  /** The semantic map (SPIDER scheme) of one whole slice, at its size (blocking). */
  static LabelMap semanticMap(FloatTensor logits, GreyImage slice) {
    return semanticMap(logits, slice.height(), slice.width(), slice.spacing(), FINE_MM);
  }

  /**
   * The model input of the part {@code box} of {@code slice} on a grid of {@code mm} pixels,
   * z-scored as the whole slice would be on that grid ({@link
   * SegmentationInput.WholeImageStatistics}), blocking.
   */
  static FloatTensor partInput(GreyImage slice, PixelBox box, double mm) {
    GreyImage part = box.crop(slice);
    return SegmentationInput.prepare(part, SegmentationGrid.of(part.height(), part.width(),
        part.spacing(), mm), SegmentationInput.WholeImageStatistics.of(slice, mm));
  }

  /**
   * The semantic map (SPIDER scheme) of one image of {@code rows x cols} pixels of {@code spacing},
   * segmented on a grid of {@code mm} pixels (blocking).
   */
  static LabelMap semanticMap(FloatTensor logits, int rows, int cols, PixelSpacing spacing,
      double mm) {
    return SegmentationOutput.toSemanticMap(logits, SegmentationGrid.of(rows, cols, spacing, mm),
        spacing);
  }

  /**
   * What the outer slice's part {@code box}, segmented on a grid of {@code mm} pixels, shows
   * ({@link SliceAnatomy}): read on that grid itself ({@link SegmentationOutput#toGridMap}, no
   * resize to the slice's pixels), its centroids then moved to the whole slice's pixels of
   * {@code spacing}, its areas in mm² (blocking). The grid holds everything the model drew; the
   * slice's own pixels are usually finer (0.47 mm on the example against 0.8), so this reads a
   * third of the pixels of the part at the slice's size and skips the resize.
   */
  static SliceAnatomy partAnatomy(FloatTensor logits, PixelBox box, PixelSpacing spacing,
      double mm) {
    SegmentationGrid grid = SegmentationGrid.of(box.height(), box.width(), spacing, mm);
    return SliceAnatomy.ofPart(SegmentationOutput.toGridMap(logits, grid, spacing), box, spacing);
  }
}
