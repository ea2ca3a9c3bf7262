package io.spoils.gateway.testing;

import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.pipeline.FakeBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configurable test backend of the server and deployment tests: segmentation answers the
 * bundled example's expert mask as one-hot logits (one copy per slice), grading fixed
 * probabilities, so a whole study runs in milliseconds. A test can hold the segmentation calls
 * ({@link #holdSegmentation}) or grading call number k ({@link #holdGradingCall}) to observe what
 * the server does meanwhile, make the next segmentation calls fail with UNAVAILABLE as a Triton
 * outage would ({@link #failNext}), and read the calls received ({@link #calls}). The model version
 * it reports and the grading batch limit are configurable. Thread-safe.
 */
public final class ExampleBackend implements InferenceBackend {

  /** The bundled example study (slice.dcm, mask.png), relative to the gateway module. */
  public static final Path EXAMPLE = Path.of("examples/spider");
  private static final float[] CNN = {0.01f, 0.02f, 0.05f, 0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.05f,
      0.04f, 0.03f};

  /** One call: the model and how long its deadline had left when it arrived. */
  public record Call(String model, Duration remaining) { }

  private final long version;
  private final int gradingMaxBatch;
  private final LabelMap mask =
      ImageFiles.readMask(EXAMPLE.resolve("mask.png"), new PixelSpacing(0.46875, 0.46875));
  private final AtomicInteger gradingCalls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile Promise<Void> segmentationGate;
  private volatile int heldGradingCall = -1;
  private volatile Promise<Void> gradingGate;
  /** Completes when a held call has been received. */
  public final CompletableFuture<Void> held = new CompletableFuture<>();
  /** Released once per segmentation call that arrived while held. */
  public final Semaphore heldCalls = new Semaphore(0);
  /** Every call received, in order. */
  public final List<Call> calls = new CopyOnWriteArrayList<>();

  /** Version 7, one crop per grading call. */
  public ExampleBackend() {
    this(7, 1);
  }

  /**
   * @param version the model version every answer reports
   * @param gradingMaxBatch crops per grading call at most
   */
  public ExampleBackend(long version, int gradingMaxBatch) {
    this.version = version;
    this.gradingMaxBatch = gradingMaxBatch;
  }

  /** The calls of {@code model} so far. */
  public long calls(String model) {
    return calls.stream().filter(c -> c.model().equals(model)).count();
  }

  /** Segmentation calls wait until the returned promise completes. */
  public Promise<Void> holdSegmentation() {
    segmentationGate = Promise.promise();
    return segmentationGate;
  }

  /** Grading call number {@code call} (0-based) waits until the returned promise completes. */
  public Promise<Void> holdGradingCall(int call) {
    heldGradingCall = call;
    gradingGate = Promise.promise();
    return gradingGate;
  }

  /** The next {@code n} segmentation calls fail with UNAVAILABLE. */
  public void failNext(int n) {
    failures.set(n);
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    calls.add(new Call(request.model(), request.deadline().remaining()));
    if (request.model().equals(ModelRegistry.SEGMENTATION.name())) {
      return segmentation(request);
    }
    if (request.model().equals(ModelRegistry.DISC_GRADING.name())) {
      return grading(request);
    }
    return Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND, "unknown model"));
  }

  private Future<InferResponse> segmentation(InferRequest request) {
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "test: the model server is down"));
    }
    Promise<Void> gate = segmentationGate;
    if (gate != null) {
      held.complete(null);
      heldCalls.release();
    }
    Future<Void> wait = gate == null ? Future.succeededFuture() : gate.future();
    // the request's grid: a series' boxed slices (SeriesSegmenter) get the mask inside the box
    var image = request.inputs().get("image");
    int n = (int) image.dim(0);
    return wait.map(v -> new InferResponse(request.model(), version,
        Map.of("logits", FakeBackend.repeated(FakeBackend.maskLogits(mask, (int) image.dim(2),
            (int) image.dim(3)), n))));
  }

  private Future<InferResponse> grading(InferRequest request) {
    int n = (int) request.inputs().get("crop").dim(0);
    float[] data = new float[n * CNN.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(CNN, 0, data, i * CNN.length, CNN.length);
    }
    InferResponse response = new InferResponse(request.model(), version,
        Map.of("probabilities", new FloatTensor(new long[] {n, CNN.length}, data)));
    if (gradingCalls.getAndIncrement() == heldGradingCall) {
      held.complete(null);
      return gradingGate.future().map(v -> response);
    }
    return Future.succeededFuture(response);
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
    return FakeBackend.contractModels(gradingMaxBatch);
  }
}
