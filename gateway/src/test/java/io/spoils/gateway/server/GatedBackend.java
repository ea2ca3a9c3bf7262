package io.spoils.gateway.server;

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
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test backend: segmentation answers the expert mask of the bundled example as one-hot logits;
 * grading answers fixed probabilities, one disc per call. Tests can hold the segmentation or the
 * grading call number k until they release it, to observe what the server has sent meanwhile.
 */
final class GatedBackend implements InferenceBackend {

  static final Path EXAMPLE = Path.of("examples/spider");
  private static final float[] CNN = {0.01f, 0.02f, 0.05f, 0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.05f,
      0.04f, 0.03f};

  private final LabelMap mask;
  private final AtomicInteger gradingCalls = new AtomicInteger();
  private volatile Promise<Void> segmentationGate;
  private volatile int heldGradingCall = -1;
  private volatile Promise<Void> gradingGate;
  /** Completes when a held call has been received. */
  final CompletableFuture<Void> held = new CompletableFuture<>();
  /** Every call received, in order. */
  final List<Call> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One call: the model and how long its deadline had left when it arrived. */
  record Call(String model, java.time.Duration remaining) { }

  /** The calls of {@code model} so far. */
  long calls(String model) {
    return calls.stream().filter(c -> c.model().equals(model)).count();
  }

  GatedBackend() {
    this.mask = ImageFiles.readMask(EXAMPLE.resolve("mask.png"), new PixelSpacing(0.46875, 0.46875));
  }

  /** Segmentation calls wait until the returned promise completes. */
  Promise<Void> holdSegmentation() {
    segmentationGate = Promise.promise();
    return segmentationGate;
  }

  /** Grading call number {@code call} (0-based) waits until the returned promise completes. */
  Promise<Void> holdGradingCall(int call) {
    heldGradingCall = call;
    gradingGate = Promise.promise();
    return gradingGate;
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    calls.add(new Call(request.model(), request.deadline().remaining()));
    if (request.model().equals(AnalysisPipeline.SEGMENTATION_MODEL)) {
      Promise<Void> gate = segmentationGate;
      if (gate != null) {
        held.complete(null);
      }
      Future<Void> wait = gate == null ? Future.succeededFuture() : gate.future();
      FloatTensor image = request.inputs().get("image");
      int n = (int) image.dim(0);
      return wait.map(v -> new InferResponse(request.model(), 7, Map.of("logits",
          FakeBackend.repeated(FakeBackend.maskLogits(mask, (int) image.dim(2),
              (int) image.dim(3)), n))));
    }
    if (request.model().equals(AnalysisPipeline.GRADING_MODEL)) {
      int n = (int) request.inputs().get("crop").dim(0);
      float[] data = new float[n * 11];
      for (int i = 0; i < n; i++) {
        System.arraycopy(CNN, 0, data, i * 11, 11);
      }
      InferResponse response = new InferResponse(request.model(), 7,
          Map.of("probabilities", new FloatTensor(new long[] {n, 11}, data)));
      if (gradingCalls.getAndIncrement() == heldGradingCall) {
        held.complete(null);
        return gradingGate.future().map(v -> response);
      }
      return Future.succeededFuture(response);
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
    return FakeBackend.contractModels(1);
  }
}
