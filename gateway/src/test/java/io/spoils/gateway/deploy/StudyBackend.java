package io.spoils.gateway.deploy;

import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.FakeBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test backend for the deployment tests: segmentation answers the bundled example's expert mask as
 * one-hot logits, grading fixed probabilities, so a whole study runs in milliseconds. Segmentation
 * calls can be held ({@link #hold}) to keep studies in flight, and the next calls can be made to
 * fail with UNAVAILABLE ({@link #failNext}), as a Triton outage would.
 */
final class StudyBackend implements InferenceBackend {

  static final Path EXAMPLE = Path.of("examples/spider");
  private static final float[] CNN = {0.01f, 0.02f, 0.05f, 0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.05f,
      0.04f, 0.03f};

  private final LabelMap mask =
      ImageFiles.readMask(EXAMPLE.resolve("mask.png"), new PixelSpacing(0.46875, 0.46875));
  private final AtomicInteger failures = new AtomicInteger();
  private volatile Promise<Void> gate;
  /** Released once per segmentation call that arrived while held. */
  final Semaphore heldCalls = new Semaphore(0);

  /** Segmentation calls wait until the returned promise completes. */
  Promise<Void> hold() {
    gate = Promise.promise();
    return gate;
  }

  /** The next {@code n} segmentation calls fail with UNAVAILABLE. */
  void failNext(int n) {
    failures.set(n);
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    if (request.model().equals(AnalysisPipeline.SEGMENTATION_MODEL)) {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
            "test: the model server is down"));
      }
      Promise<Void> g = gate;
      if (g != null) {
        heldCalls.release();
      }
      Future<Void> wait = g == null ? Future.succeededFuture() : g.future();
      return wait.map(v -> new InferResponse(request.model(), 1, Map.of("logits", logits())));
    }
    if (request.model().equals(AnalysisPipeline.GRADING_MODEL)) {
      int n = (int) request.inputs().get("crop").dim(0);
      float[] data = new float[n * 11];
      for (int i = 0; i < n; i++) {
        System.arraycopy(CNN, 0, data, i * 11, 11);
      }
      return Future.succeededFuture(new InferResponse(request.model(), 1,
          Map.of("probabilities", new FloatTensor(new long[] {n, 11}, data))));
    }
    return Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND, "unknown model"));
  }

  private FloatTensor logits() {
    return FakeBackend.oneHotLogits(mask);
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
