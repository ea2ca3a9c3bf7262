package io.spoils.gateway.pipeline;

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
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code spine_segmentation} side of a series: each slice's model input
 * ({@link SegmentationInput}), one batched call for all slices ({@link InferenceBackend#segment}),
 * and each slice's logits back to a semantic map at the slice's own size
 * ({@link SegmentationOutput}). The slices of a series share their size and pixel spacing
 * ({@link SeriesSlices}), hence one {@link SegmentationGrid}. The one class that knows the
 * segmentation tensors and the backend call, so a change of either (a backend signature, a tensor
 * contract) stays here. Stateless; {@link #inputs} and {@link #semanticMaps} are blocking.
 */
final class SliceSegmentation {

  /** The model's own grid, mm ({@link SegmentationGrid#MM}). */
  static final double FINE_MM = SegmentationGrid.MM;

  private SliceSegmentation() {
  }

  /**
   * The model inputs of the slices, in order (blocking).
   *
   * @param slices at least one, all of one size and spacing
   * @throws io.spoils.feature.InvalidInputException when the field of view is outside what the
   *     model takes, or a slice holds NaN or infinite values
   */
  static List<FloatTensor> inputs(List<GreyImage> slices) {
    return inputs(slices, FINE_MM);
  }

  /**
   * As {@link #inputs(List)} on a grid of {@code mm} pixels ({@link SeriesSegmenter}'s outer
   * slices).
   */
  static List<FloatTensor> inputs(List<GreyImage> slices, double mm) {
    SegmentationGrid grid = grid(slices, mm);
    return slices.stream().map(s -> SegmentationInput.prepare(s, grid)).toList();
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

  /** The semantic maps (SPIDER scheme) of the slices, at each slice's size (blocking). */
  static List<LabelMap> semanticMaps(List<FloatTensor> logits, List<GreyImage> slices) {
    SegmentationGrid grid = grid(slices, FINE_MM);
    List<LabelMap> maps = new ArrayList<>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      maps.add(SegmentationOutput.toSemanticMap(logits.get(i), grid, slices.get(i).spacing()));
    }
    return maps;
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

  private static SegmentationGrid grid(List<GreyImage> slices, double mm) {
    GreyImage first = slices.get(0);
    return SegmentationGrid.of(first.height(), first.width(), first.spacing(), mm);
  }
}
