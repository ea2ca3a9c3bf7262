package io.spoils.gateway.testing;

import io.spoils.feature.geometry.MidSagittalSlice;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.MaskLogits;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.pipeline.SeriesOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ExampleBackend}'s segmentation of a series, answering the passes of the pipeline's
 * {@code SeriesSegmenter} with {@link SeriesOptions#defaults()}: each slice gets the one-hot logits
 * ({@link MaskLogits}) of its own SPIDER mask, on the grid the pipeline sends it. Segmented items
 * are counted across requests (the pipeline sends a pass's requests in order): item 0 is the
 * series' geometric centre, whole on the 0.8 mm grid; items 1 to n every slice in spatial order,
 * each cut to the box around the centre slice's labels; item n + 1, when asked, the measured slice
 * whole again, found as the pipeline finds it (the anatomy of the maps answered). Analyses one
 * after another: the item count starts again after each analysis' last item.
 */
final class SeriesMasks {

  private final List<LabelMap> masks;
  private final int centre;
  private final SeriesOptions options = SeriesOptions.defaults();
  private PixelBox box;
  /** Item of the running analysis; its items in all (n + 1, or n + 2 with a third pass). */
  private int item;
  private int itemsPerAnalysis = Integer.MAX_VALUE;

  /**
   * @param masks one SPIDER mask per slice of the series, in spatial order, all of one size
   * @param centre the series' geometric centre (the pipeline's first segmented slice)
   */
  SeriesMasks(List<LabelMap> masks, int centre) {
    this.masks = List.copyOf(masks);
    this.centre = centre;
  }

  /** The logits of the running analysis' next segmented item. */
  synchronized FloatTensor next() {
    if (item == itemsPerAnalysis) {
      item = 0;
    }
    int k = item++;
    if (k == 0) {
      LabelMap centreMask = masks.get(centre);
      FloatTensor whole = MaskLogits.of(centreMask, 10f);
      box = PixelBox.around(semantic(whole, centreMask, SegmentationGrid.MM),
          options.boxMarginMm(), options.boxMinMm()).orElseThrow()
          .fitted(centreMask.width(), centreMask.height(), centreMask.spacing(),
              options.outerSliceMm(), SegmentationGrid.PAD);
      itemsPerAnalysis = masks.size() + (measured() == centre ? 1 : 2);
      return whole;
    }
    if (k <= masks.size()) {
      return MaskLogits.of(box.crop(masks.get(k - 1)), 10f, options.outerSliceMm());
    }
    return MaskLogits.of(masks.get(measured()), 10f);
  }

  /** The measured slice, chosen from the maps answered so far as the pipeline chooses it. */
  private int measured() {
    List<SliceAnatomy> anatomies = new ArrayList<>();
    for (LabelMap mask : masks) {
      // read on the model's grid and moved to the slice's pixels, as SliceSegmentation.partAnatomy
      LabelMap part = box.crop(mask);
      SegmentationGrid grid = SegmentationGrid.of(part.height(), part.width(), part.spacing(),
          options.outerSliceMm());
      anatomies.add(SliceAnatomy.ofPart(SegmentationOutput.toGridMap(MaskLogits.of(part, 10f,
          options.outerSliceMm()), grid, part.spacing()), box, part.spacing()));
    }
    return MidSagittalSlice.choose(anatomies, centre).index();
  }

  private static LabelMap semantic(FloatTensor logits, LabelMap like, double mm) {
    return SegmentationOutput.toSemanticMap(logits, SegmentationGrid.of(like.height(),
        like.width(), like.spacing(), mm), like.spacing());
  }
}
