package io.spoils.gateway.pipeline;

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
 * Test double of the inference backend for series: segmentation answers each slice with the
 * one-hot logits ({@link FakeBackend#oneHotLogits}) of its own SPIDER mask, slice {@code n} of the
 * calls so far getting {@code masks.get(n % masks.size())} (the pipeline sends a series' slices in
 * spatial order, so one analysis at a time sees its masks in that order); grading answers
 * {@link FakeBackend#CNN} for every disc. Counts the slices segmented.
 */
public final class SeriesBackend implements InferenceBackend {

  private final List<LabelMap> masks;
  private final FloatTensor[] logits;
  private final AtomicInteger slices = new AtomicInteger();
  private final List<Integer> segmentationBatches = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param masks one SPIDER mask per slice of the series, in spatial order */
  public SeriesBackend(List<LabelMap> masks) {
    this.masks = List.copyOf(masks);
    this.logits = new FloatTensor[masks.size()];
  }

  /** The logits of mask {@code i}, made once (so replaying them costs the pipeline nothing). */
  private synchronized FloatTensor logits(int i) {
    if (logits[i] == null) {
      logits[i] = FakeBackend.oneHotLogits(masks.get(i)).batchItem(0);
    }
    return logits[i];
  }

  /** Slices segmented so far. */
  public int slicesSegmented() {
    return slices.get();
  }

  /** The batch size of every segmentation request so far. */
  public List<Integer> segmentationBatches() {
    return segmentationBatches;
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    if (request.model().equals(AnalysisPipeline.SEGMENTATION_MODEL)) {
      int n = (int) request.inputs().get("image").dim(0);
      segmentationBatches.add(n);
      List<FloatTensor> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(logits(slices.getAndIncrement() % masks.size()));
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
