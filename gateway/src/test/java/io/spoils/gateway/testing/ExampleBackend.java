package io.spoils.gateway.testing;

import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one configurable test backend. Segmentation answers one-hot logits (contract v2,
 * {@link ModelAnswers#maskLogits}) of the bundled example's expert mask, one copy per slice; or of
 * another mask ({@link #segmenting}, none: background only); or of each slice's own mask, pass by
 * pass, for a series ({@link #forSeries}). Grading answers {@link ModelAnswers#CNN} per crop and
 * refuses a batch over its limit. So a whole study runs in milliseconds.
 *
 * <p>A test can hold the segmentation calls ({@link #holdSegmentation}) or grading call number k
 * ({@link #holdGradingCall}) to observe what happens meanwhile, let segmentation never answer
 * ({@link #hangSegmentation}), make the next segmentation calls fail with UNAVAILABLE as a Triton
 * outage would ({@link #failNext}), or one of them ({@link #failSegmentationCall}), or every
 * grading call ({@link #failGrading}), take fewer slices per request ({@link #withBatchLimit}),
 * answer segmentation late ({@link #withSegmentationDelay}) and tell the most calls waiting at
 * once ({@link #mostOutstandingSegmentationCalls}),
 * fail every call with DEADLINE_EXCEEDED once its deadline passes as real backends do
 * ({@link #withDeadlines}),
 * and read the calls received ({@link #calls}, {@link #gradingBatchSizes},
 * {@link #segmentationBatches}). The model version it reports and the grading batch limit are
 * configurable. Thread-safe.
 */
public final class ExampleBackend implements InferenceBackend {

  /** The bundled example study (slice.dcm, mask.png), relative to the gateway module. */
  public static final Path EXAMPLE = Path.of("examples/spider");
  /** The example mask's pixel spacing. */
  public static final PixelSpacing EXAMPLE_SPACING = new PixelSpacing(0.46875, 0.46875);

  /** One call: the model, how long its deadline had left when it arrived, and the deadline. */
  public record Call(String model, Duration remaining, Deadline deadline) { }

  private final long version;
  private final int gradingMaxBatch;
  /** The one mask of every slice (null: background), unless {@link #series} answers. */
  private final LabelMap mask;
  private final SeriesMasks series;
  private final AtomicInteger gradingCalls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger slices = new AtomicInteger();
  private final Map<Integer, Promise<Void>> gradingHolds = new ConcurrentHashMap<>();
  private final List<Integer> gradingBatchSizes = new CopyOnWriteArrayList<>();
  private final List<Integer> segmentationBatches = new CopyOnWriteArrayList<>();
  private final AtomicInteger segmentationCalls = new AtomicInteger();
  private volatile int batchLimit;
  private volatile int failingSegmentationCall = -1;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicInteger mostOutstanding = new AtomicInteger();
  private volatile Vertx delays;
  private volatile long delayMs;
  private volatile Promise<Void> segmentationGate;
  private volatile boolean segmentationHangs;
  private volatile String gradingFailure;
  private volatile Vertx deadlines;
  /** Completes when a held call has been received. */
  public final CompletableFuture<Void> held = new CompletableFuture<>();
  /** Released once per segmentation call that arrived while held. */
  public final Semaphore heldCalls = new Semaphore(0);
  /** Every call received, in order. */
  public final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Future<Void> readiness = Future.succeededFuture();

  /** The example's mask, version 7, one crop per grading call. */
  public ExampleBackend() {
    this(7, 1);
  }

  /**
   * The example's mask.
   *
   * @param version the model version every answer reports
   * @param gradingMaxBatch crops per grading call at most
   */
  public ExampleBackend(long version, int gradingMaxBatch) {
    this(version, gradingMaxBatch, ImageFiles.readMask(EXAMPLE.resolve("mask.png"),
        EXAMPLE_SPACING), null);
  }

  private ExampleBackend(long version, int gradingMaxBatch, LabelMap mask, SeriesMasks series) {
    this.version = version;
    this.gradingMaxBatch = gradingMaxBatch;
    this.mask = mask;
    this.series = series;
  }

  /**
   * Segmentation answers {@code mask} for every slice (null: background everywhere, no spine);
   * version 7.
   */
  public static ExampleBackend segmenting(LabelMap mask, int gradingMaxBatch) {
    return new ExampleBackend(7, gradingMaxBatch, mask, null);
  }

  /**
   * Segmentation answers the passes of a series whose slices have these SPIDER masks (in spatial
   * order, all of one size; {@code centre} is the series' geometric centre), as
   * {@link SeriesMasks} describes; version 7, grading batches of 16.
   */
  public static ExampleBackend forSeries(List<LabelMap> masks, int centre) {
    return new ExampleBackend(7, 16, null, new SeriesMasks(masks, centre));
  }

  /**
   * {@link #batchLimit} answers {@code limit} instead of the model's {@code max_batch_size}, as
   * the embedded backend's {@code OnnxRuntimeOptions.maxBatch} does.
   */
  public ExampleBackend withBatchLimit(int limit) {
    this.batchLimit = limit;
    return this;
  }

  @Override
  public int batchLimit(String model) {
    int limit = batchLimit;
    return limit > 0 ? limit : InferenceBackend.super.batchLimit(model);
  }

  /** Segmentation calls answer {@code ms} after they arrive (timers on {@code vertx}). */
  public ExampleBackend withSegmentationDelay(Vertx vertx, long ms) {
    this.delays = vertx;
    this.delayMs = ms;
    return this;
  }

  /** The most segmentation calls that were waiting for their answer at one time. */
  public int mostOutstandingSegmentationCalls() {
    return mostOutstanding.get();
  }

  /** Segmentation call number {@code call} (0-based, of all analyses) fails with UNAVAILABLE. */
  public ExampleBackend failSegmentationCall(int call) {
    this.failingSegmentationCall = call;
    return this;
  }

  /** Every call fails with DEADLINE_EXCEEDED once its deadline passes (timers on {@code vertx}). */
  public ExampleBackend withDeadlines(Vertx vertx) {
    this.deadlines = vertx;
    return this;
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

  /** Segmentation never answers (until its deadline, {@link #withDeadlines}). */
  public void hangSegmentation() {
    segmentationHangs = true;
  }

  /** Grading call number {@code call} (0-based) waits until the returned promise completes. */
  public Promise<Void> holdGradingCall(int call) {
    return gradingHolds.computeIfAbsent(call, c -> Promise.promise());
  }

  /** The next {@code n} segmentation calls fail with UNAVAILABLE. */
  public void failNext(int n) {
    failures.set(n);
  }

  /** Every grading call fails with UNAVAILABLE and {@code message} (the model is unreachable). */
  public ExampleBackend failGrading(String message) {
    gradingFailure = message;
    return this;
  }

  /** The batch size of every grading call so far. */
  public List<Integer> gradingBatchSizes() {
    return Collections.unmodifiableList(gradingBatchSizes);
  }

  /** The batch size of every segmentation call so far. */
  public List<Integer> segmentationBatches() {
    return Collections.unmodifiableList(segmentationBatches);
  }

  /** Slices segmented so far (a slice segmented twice counts twice). */
  public int slicesSegmented() {
    return slices.get();
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    calls.add(new Call(request.model(), request.deadline().remaining(), request.deadline()));
    Vertx timers = deadlines;
    if (timers != null && request.deadline().expired()) {
      return Future.failedFuture(new BackendException(BackendStatus.DEADLINE_EXCEEDED, "expired"));
    }
    Future<InferResponse> answer;
    if (request.model().equals(ModelRegistry.SEGMENTATION.name())) {
      answer = segmentation(request);
    } else if (request.model().equals(ModelRegistry.DISC_GRADING.name())) {
      answer = grading(request);
    } else {
      return Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND, "unknown model"));
    }
    return timers == null ? answer : beforeDeadline(timers, request.deadline(), answer);
  }

  private static Future<InferResponse> beforeDeadline(Vertx vertx, Deadline deadline,
      Future<InferResponse> answer) {
    Promise<InferResponse> promise = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, deadline.remaining().toMillis()), id -> promise.tryFail(
        new BackendException(BackendStatus.DEADLINE_EXCEEDED, "deadline exceeded")));
    answer.onComplete(r -> {
      vertx.cancelTimer(timer);
      if (r.succeeded()) {
        promise.tryComplete(r.result());
      } else {
        promise.tryFail(r.cause());
      }
    });
    return promise.future();
  }

  private Future<InferResponse> segmentation(InferRequest request) {
    if (segmentationCalls.getAndIncrement() == failingSegmentationCall
        || failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE,
          "test: the model server is down"));
    }
    if (segmentationHangs) {
      return Promise.<InferResponse>promise().future();
    }
    Promise<Void> gate = segmentationGate;
    if (gate != null) {
      held.complete(null);
      heldCalls.release();
    }
    Future<Void> wait = gate == null ? Future.succeededFuture() : gate.future();
    Vertx timers = delays;
    if (timers != null) {
      Promise<Void> later = Promise.promise();
      timers.setTimer(delayMs, id -> later.complete());
      wait = Future.all(wait, later.future()).mapEmpty();
    }
    mostOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
    wait = wait.onComplete(ar -> outstanding.decrementAndGet());
    FloatTensor image = request.inputs().get("image");
    int n = (int) image.dim(0);
    segmentationBatches.add(n);
    slices.addAndGet(n);
    return wait.map(v -> new InferResponse(request.model(), version,
        Map.of("logits", logits(n, (int) image.dim(2), (int) image.dim(3)))));
  }

  /** The [n, 5, rows, cols] logits of a segmentation call. */
  private FloatTensor logits(int n, int rows, int cols) {
    if (series != null) {
      List<FloatTensor> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(series.next());
      }
      return FloatTensor.stack(items);
    }
    // the request's grid: a series' boxed slices (SeriesSegmenter) get the mask inside the box
    return ModelAnswers.repeated(mask == null ? ModelAnswers.background(rows, cols)
        : ModelAnswers.maskLogits(mask, rows, cols), n);
  }

  private Future<InferResponse> grading(InferRequest request) {
    String failure = gradingFailure;
    if (failure != null) {
      return Future.failedFuture(new BackendException(BackendStatus.UNAVAILABLE, failure));
    }
    FloatTensor crops = request.inputs().get("crop");
    int n = (int) crops.dim(0);
    if (n > gradingMaxBatch || !crops.hasShape(n, 1, 128, 128)) {
      return Future.failedFuture(new BackendException(BackendStatus.INVALID_ARGUMENT,
          "bad batch"));
    }
    gradingBatchSizes.add(n);
    InferResponse response = new InferResponse(request.model(), version,
        Map.of("probabilities", ModelAnswers.grading(n)));
    Promise<Void> hold = gradingHolds.get(gradingCalls.getAndIncrement());
    if (hold != null) {
      held.complete(null);
      return hold.future().map(v -> response);
    }
    return Future.succeededFuture(response);
  }

  @Override
  public Future<Void> ready() {
    return readiness;
  }

  /** {@link #ready()} answers {@code ready} (e.g. models still loading, or failed to). */
  public ExampleBackend withReadiness(Future<Void> ready) {
    readiness = ready;
    return this;
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
    return ModelAnswers.contractModels(gradingMaxBatch);
  }
}
