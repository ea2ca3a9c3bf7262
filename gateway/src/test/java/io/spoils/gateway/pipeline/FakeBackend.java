package io.spoils.gateway.pipeline;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tensor.FloatTensor;
import io.spoils.feature.tensor.MaskLogits;
import io.spoils.feature.tensor.SegmentationOutput;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.backend.TensorSpec;
import io.spoils.proto.inference.DataType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test double of the inference backend. Segmentation answers one-hot logits (contract v2) built
 * from a SPIDER mask (so the semantic map is that mask up to about a pixel along class borders),
 * the same for every slice of a batch; grading answers fixed probabilities per disc. Requests can be held back
 * ({@link #holdGradingCall}) and every call fails with DEADLINE_EXCEEDED once its deadline passes,
 * as real backends do.
 */
public final class FakeBackend implements InferenceBackend {

  /** The fixed CNN probabilities: most mass on 4M. */
  static final float[] CNN = {0.01f, 0.02f, 0.05f, 0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.05f, 0.04f, 0.03f};

  private final Vertx vertx;
  private final LabelMap mask;
  private final int gradingBatch;
  private final List<Integer> gradingBatchSizes = Collections.synchronizedList(new ArrayList<>());
  private final Map<Integer, Promise<Void>> holds = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean segmentationHangs;
  private int gradingCalls;

  /**
   * @param mask SPIDER mask the segmentation returns (null: all background, no spine)
   * @param gradingBatch max_batch_size of the fake disc_grading model
   */
  FakeBackend(Vertx vertx, LabelMap mask, int gradingBatch) {
    this.vertx = vertx;
    this.mask = mask;
    this.gradingBatch = gradingBatch;
  }

  /**
   * A backend whose segmentation answers the bundled example's expert mask
   * ({@code examples/spider/mask.png}, relative to the gateway module), grading batches of 16.
   */
  public static FakeBackend forExample(Vertx vertx) {
    return new FakeBackend(vertx, io.spoils.feature.image.ImageFiles.readMask(
        Path.of("examples/spider/mask.png"), ExampleDicomGenerator.SPACING), 16);
  }

  /** The grading call number {@code call} (0-based) waits until the returned promise completes. */
  Promise<Void> holdGradingCall(int call) {
    return holds.computeIfAbsent(call, c -> Promise.promise());
  }

  /** Segmentation never answers (until its deadline). */
  void hangSegmentation() {
    segmentationHangs = true;
  }

  List<Integer> gradingBatchSizes() {
    return gradingBatchSizes;
  }

  @Override
  public Future<InferResponse> infer(InferRequest request) {
    if (request.deadline().expired()) {
      return Future.failedFuture(new BackendException(BackendStatus.DEADLINE_EXCEEDED, "expired"));
    }
    Promise<InferResponse> promise = Promise.promise();
    long delay = Math.max(1, request.deadline().remaining().toMillis());
    vertx.setTimer(delay, id -> promise.tryFail(
        new BackendException(BackendStatus.DEADLINE_EXCEEDED, "deadline exceeded")));
    if (request.model().equals(AnalysisPipeline.SEGMENTATION_MODEL)) {
      if (!segmentationHangs) {
        FloatTensor image = request.inputs().get("image");
        int n = (int) image.dim(0);
        promise.tryComplete(respond(request.model(), "logits",
            repeated(segmentation((int) image.dim(2), (int) image.dim(3)), n)));
      }
    } else if (request.model().equals(AnalysisPipeline.GRADING_MODEL)) {
      FloatTensor crops = request.inputs().get("crop");
      int n = (int) crops.dim(0);
      if (n > gradingBatch || !crops.hasShape(n, 1, 128, 128)) {
        return Future.failedFuture(new BackendException(BackendStatus.INVALID_ARGUMENT, "bad batch"));
      }
      gradingBatchSizes.add(n);
      int call;
      synchronized (this) {
        call = gradingCalls++;
      }
      FloatTensor out = grading(n);
      Promise<Void> hold = holds.get(call);
      Future<Void> gate = hold == null ? Future.succeededFuture() : hold.future();
      gate.onSuccess(v -> promise.tryComplete(respond(request.model(), "probabilities", out)));
    } else {
      return Future.failedFuture(new BackendException(BackendStatus.NOT_FOUND, "unknown model"));
    }
    return promise.future();
  }

  private static InferResponse respond(String model, String output, FloatTensor t) {
    return new InferResponse(model, 7, Map.of(output, t));
  }

  /**
   * [1, 5, Hp, Wp] one-hot logits (contract v2) of the mask on the request's padded grid: the
   * whole mask, or the part inside the box a series' boxed slices are cut to (the pipeline finds the
   * same box on the same mask), else the mask cut or padded to the grid; without a mask,
   * background everywhere.
   */
  private FloatTensor segmentation(int paddedRows, int paddedCols) {
    if (mask == null) {
      int plane = paddedRows * paddedCols;
      float[] data = new float[SegmentationOutput.CLASSES * plane];
      java.util.Arrays.fill(data, 0, plane, 10f);
      return new FloatTensor(new long[] {1, SegmentationOutput.CLASSES, paddedRows, paddedCols},
          data);
    }
    return maskLogits(mask, paddedRows, paddedCols);
  }

  /**
   * [1, 5, Hp, Wp] one-hot logits of {@code mask} on a request's padded grid: the whole mask, or
   * the part inside the box a series' boxed slices are cut to (the pipeline finds the same box on
   * the same mask), else the mask cut or padded to the grid.
   */
  public static FloatTensor maskLogits(LabelMap mask, int paddedRows, int paddedCols) {
    FloatTensor whole = oneHotLogits(mask);
    if (whole.dim(2) == paddedRows && whole.dim(3) == paddedCols) {
      return whole;
    }
    // a series' boxed slices (SeriesSegmenter): the mask inside the box the pipeline finds
    SeriesOptions options = SeriesOptions.defaults();
    LabelMap map = SegmentationOutput.toSemanticMap(whole.batchItem(0), mask.height(),
        mask.width(), mask.spacing());
    var box = io.spoils.feature.image.PixelBox.around(map, options.boxMarginMm(),
        options.boxMinMm()).map(b -> b.fitted(mask.width(), mask.height(), mask.spacing(),
            options.outerSliceMm(), io.spoils.feature.tensor.SegmentationGrid.PAD));
    if (box.isPresent()) {
      FloatTensor part = oneHotLogits(box.get().crop(mask));
      if (part.dim(2) == paddedRows && part.dim(3) == paddedCols) {
        return part;
      }
    }
    return FloatTensor.stack(List.of(MaskLogits.logits(MaskLogits.resampled(mask), paddedRows,
        paddedCols, 10f)));
  }

  /**
   * A SPIDER-scheme mask as the segmentation model's {@code [1, 5, Hp, Wp]} logits (contract v2,
   * {@link MaskLogits}): 10 for the mask's class on the model's 0.8 mm grid, 0 elsewhere. The
   * pipeline's semantic map is the mask again up to about a pixel along class borders, with its
   * lowest disc as the lumbosacral disc (31).
   */
  public static FloatTensor oneHotLogits(LabelMap mask) {
    return FloatTensor.stack(List.of(MaskLogits.of(mask, 10f)));
  }

  /**
   * A batch of {@code n} copies of the one item of {@code single} ({@code [1, ...]}): the answer
   * for a series whose slices all get the same segmentation.
   */
  public static FloatTensor repeated(FloatTensor single, int n) {
    return FloatTensor.stack(java.util.Collections.nCopies(n, single.batchItem(0)));
  }

  /** {@code n} copies of {@link #CNN}, shape [n, 11]: the grading answer of every test double. */
  static FloatTensor grading(int n) {
    float[] data = new float[n * 11];
    for (int i = 0; i < n; i++) {
      System.arraycopy(CNN, 0, data, i * 11, 11);
    }
    return new FloatTensor(new long[] {n, 11}, data);
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
    return contractModels(gradingBatch);
  }

  /**
   * The two models as CONTRACT.md specifies them (version 7, fake file names), for test backends
   * that answer in the contract's shapes.
   */
  public static List<ModelSpec> contractModels(int gradingMaxBatch) {
    return List.of(
        new ModelSpec(AnalysisPipeline.SEGMENTATION_MODEL, 7, "onnxruntime_onnx", 4,
            List.of(new TensorSpec("image", DataType.TYPE_FP32, List.of(1L, -1L, -1L))),
            List.of(new TensorSpec("logits", DataType.TYPE_FP32, List.of(5L, -1L, -1L))),
            Path.of("fake-seg.onnx")),
        new ModelSpec(AnalysisPipeline.GRADING_MODEL, 7, "onnxruntime_onnx", gradingMaxBatch,
            List.of(new TensorSpec("crop", DataType.TYPE_FP32, List.of(1L, 128L, 128L))),
            List.of(new TensorSpec("probabilities", DataType.TYPE_FP32, List.of(11L))),
            Path.of("fake-cnn.onnx")));
  }
}
