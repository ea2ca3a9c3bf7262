package io.spoils.gateway.pipeline;

import io.spoils.feature.geometry.MidSagittalSlice;
import io.spoils.feature.geometry.SliceAnatomy;
import io.spoils.feature.image.PixelBox;
import io.spoils.feature.tensor.MaskLogits;
import io.spoils.feature.tensor.SegmentationGrid;
import io.spoils.feature.tensor.SegmentationOutput;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the inference backend for series, answering the segmentation passes of
 * {@link SeriesSegmenter} with {@link SeriesOptions#defaults()}: each slice gets the one-hot logits
 * ({@link MaskLogits}) of its own SPIDER mask, on the grid the pipeline sends it. Segmented items
 * are counted across requests (the pipeline sends a pass's requests in order): item 0 is the
 * series' geometric centre, whole on the 0.8 mm grid; items 1 to n every slice in spatial order,
 * each cut to the box around the centre slice's labels; item n + 1, when asked, the measured slice whole again, found as the pipeline finds it (the anatomy of the maps
 * this double answered). Grading answers {@link FakeBackend#CNN} for every disc. Analyses one
 * after another: the item count starts again after each analysis' last item.
 */
public final class SeriesBackend implements InferenceBackend {

  private final List<LabelMap> masks;
  private final int centre;
  private final SeriesOptions options = SeriesOptions.defaults();
  private final AtomicInteger slices = new AtomicInteger();
  private final List<Integer> segmentationBatches = new java.util.concurrent.CopyOnWriteArrayList<>();
  private PixelBox box;
  /** Item of the running analysis; its items in all (n + 1, or n + 2 with a third pass). */
  private int item;
  private int itemsPerAnalysis = Integer.MAX_VALUE;

  /**
   * @param masks one SPIDER mask per slice of the series, in spatial order, all of one size
   * @param centre the series' geometric centre (the pipeline's first segmented slice)
   */
  public SeriesBackend(List<LabelMap> masks, int centre) {
    this.masks = List.copyOf(masks);
    this.centre = centre;
  }

  /** Slices segmented so far (a slice segmented twice counts twice). */
  public int slicesSegmented() {
    return slices.get();
  }

  /** The batch size of every segmentation request so far. */
  public List<Integer> segmentationBatches() {
    return segmentationBatches;
  }

  /** The logits of the running analysis' next segmented item. */
  private synchronized FloatTensor next() {
    if (item == itemsPerAnalysis) {
      item = 0;
    }
    int k = item++;
    if (k == 0) {
      FloatTensor whole = MaskLogits.of(masks.get(centre), 10f);
      box = PixelBox.around(semantic(whole, masks.get(centre), SegmentationGrid.MM),
          options.boxMarginMm(), options.boxMinMm()).orElseThrow()
          .fitted(masks.get(centre).width(), masks.get(centre).height(),
              masks.get(centre).spacing(), options.outerSliceMm(), SegmentationGrid.PAD);
      itemsPerAnalysis = masks.size() + (measured() == centre ? 1 : 2);
      return whole;
    }
    return logits(k);
  }

  private FloatTensor logits(int item) {
    if (item <= masks.size()) {
      return MaskLogits.of(box.crop(masks.get(item - 1)), 10f, options.outerSliceMm());
    }
    return MaskLogits.of(masks.get(measured()), 10f);
  }

  /** The measured slice, chosen from the maps answered so far as the pipeline chooses it. */
  private int measured() {
    List<SliceAnatomy> anatomies = new ArrayList<>();
    for (LabelMap mask : masks) {
      LabelMap part = box.crop(mask);
      anatomies.add(SliceAnatomy.of(semantic(MaskLogits.of(part, 10f, options.outerSliceMm()),
          part, options.outerSliceMm())).shifted(box.x(), box.y()));
    }
    return MidSagittalSlice.choose(anatomies, centre).index();
  }

  private static LabelMap semantic(FloatTensor logits, LabelMap like, double mm) {
    return SegmentationOutput.toSemanticMap(logits, SegmentationGrid.of(like.height(),
        like.width(), like.spacing(), mm), like.spacing());
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    if (request.model().equals(AnalysisPipeline.SEGMENTATION_MODEL)) {
      int n = (int) request.inputs().get("image").dim(0);
      segmentationBatches.add(n);
      List<FloatTensor> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        slices.incrementAndGet();
        items.add(next());
      }
      return Future.succeededFuture(new InferResponse(request.model(), 7,
          Map.of("logits", FloatTensor.stack(items))));
    }
    if (request.model().equals(AnalysisPipeline.GRADING_MODEL)) {
      int n = (int) request.inputs().get("crop").dim(0);
      return Future.succeededFuture(new InferResponse(request.model(), 7,
          Map.of("probabilities", FakeBackend.grading(n))));
    }
    return Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND, "unknown model"));
  }

  @Override
  public Future<Void> ready() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  @Override
  public Optional<ModelSpec> model(String name) {
    return models().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  @Override
  public List<ModelSpec> models() {
    return FakeBackend.contractModels(16);
  }
}
