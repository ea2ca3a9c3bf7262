package io.spoils.gateway.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spoils.feature.tensor.FloatTensor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class OnnxRuntimeBackendTest {

  /** The fixed weights and biases of generate_tiny_conv.py. */
  private static final float[][] W = {{1f, 2f}, {-1f, 0.5f}, {0f, 3f}};
  private static final float[] B = {0.5f, -1f, 2f};
  private static final Duration GENEROUS = Duration.ofMinutes(1);

  @TempDir
  Path root;

  private OnnxRuntimeBackend backend;

  @AfterEach
  void close() throws Exception {
    if (backend != null) {
      await(backend.close());
    }
  }

  private OnnxRuntimeBackend start(Vertx vertx, OnnxRuntimeOptions options) throws Exception {
    TestRepositories.model(root, TestRepositories.TINY, TestRepositories.TINY_CONFIG, "1");
    backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(root), options);
    await(backend.ready());
    return backend;
  }

  private OnnxRuntimeBackend start(Vertx vertx) throws Exception {
    return start(vertx, new OnnxRuntimeOptions(1, 2, 64));
  }

  @Test
  void infer_equalsConvolution(Vertx vertx) throws Exception {
    start(vertx);
    FloatTensor x = random(new Random(1), 3, 2, 4, 5);
    InferResponse response = await(backend.infer(request(x)));
    assertEquals(TestRepositories.TINY, response.model());
    assertEquals(1, response.version());
    FloatTensor y = response.output("y");
    assertArrayEquals(new long[] {3, 3, 4, 5}, y.shape());
    assertArrayEquals(expected(x), y.data(), 1e-5f);
  }

  @Test
  void batchLimit_maxBatchCapsTheModelsMaxBatchSize(Vertx vertx) throws Exception {
    start(vertx, new OnnxRuntimeOptions(1, 2, 64, 2));
    assertEquals(2, backend.batchLimit(TestRepositories.TINY));
    assertEquals(1, backend.batchLimit("unknown"));
    assertEquals(OnnxRuntimeOptions.DEFAULT_MAX_BATCH, OnnxRuntimeOptions.defaults().maxBatch());
    assertEquals(OnnxRuntimeOptions.DEFAULT_MAX_BATCH, new OnnxRuntimeOptions(1, 1, 1).maxBatch());
    assertThrows(IllegalArgumentException.class, () -> new OnnxRuntimeOptions(1, 1, 1, 0));
  }

  @Test
  void batchLimit_maxBatchAboveMaxBatchSize_theModelsMaxBatchSize(Vertx vertx) throws Exception {
    start(vertx, new OnnxRuntimeOptions(1, 2, 64, 32));
    // TINY's config.pbtxt: max_batch_size 8
    assertEquals(8, backend.batchLimit(TestRepositories.TINY));
  }

  @Test
  void infer_explicitVersion(Vertx vertx) throws Exception {
    start(vertx);
    FloatTensor x = random(new Random(2), 1, 2, 1, 1);
    InferRequest r = new InferRequest(TestRepositories.TINY, OptionalLong.of(1), Map.of("x", x),
        Deadline.after(GENEROUS));
    assertArrayEquals(expected(x), await(backend.infer(r)).output("y").data(), 1e-5f);
  }

  @Test
  void infer_concurrentRequests(Vertx vertx) throws Exception {
    start(vertx, new OnnxRuntimeOptions(1, 4, 64));
    Random random = new Random(3);
    List<FloatTensor> inputs = new ArrayList<>();
    List<Future<InferResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      FloatTensor x = random(random, 1 + i % 8, 2, 3 + i % 5, 7);
      inputs.add(x);
      futures.add(backend.infer(request(x)));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertArrayEquals(expected(inputs.get(i)), await(futures.get(i)).output("y").data(), 1e-5f,
          "request " + i);
    }
  }

  @Test
  void infer_unknownInputName(Vertx vertx) throws Exception {
    start(vertx);
    InferRequest r = InferRequest.of(TestRepositories.TINY, Map.of("image", random(new Random(4), 1, 2, 2, 2)),
        Deadline.after(GENEROUS));
    assertFailure(backend.infer(r), BackendStatus.INVALID_ARGUMENT, "takes inputs [x], got [image]");
  }

  @Test
  void infer_wrongChannelCount(Vertx vertx) throws Exception {
    start(vertx);
    assertFailure(backend.infer(request(random(new Random(5), 1, 3, 2, 2))), BackendStatus.INVALID_ARGUMENT,
        "must have shape [n, 2, -1, -1], got [1, 3, 2, 2]");
  }

  @Test
  void infer_missingBatchDimension(Vertx vertx) throws Exception {
    start(vertx);
    assertFailure(backend.infer(request(random(new Random(6), 2, 2, 2))), BackendStatus.INVALID_ARGUMENT,
        "must have shape");
  }

  @Test
  void infer_batchTooLarge(Vertx vertx) throws Exception {
    start(vertx);
    assertFailure(backend.infer(request(random(new Random(7), 9, 2, 1, 1))), BackendStatus.INVALID_ARGUMENT,
        "batch size of input x must be 1 to 8, got 9");
  }

  @Test
  void infer_unknownModel(Vertx vertx) throws Exception {
    start(vertx);
    InferRequest r = InferRequest.of("nope", Map.of("x", random(new Random(8), 1, 2, 1, 1)),
        Deadline.after(GENEROUS));
    assertFailure(backend.infer(r), BackendStatus.NOT_FOUND, "unknown model nope");
  }

  @Test
  void infer_unknownVersion(Vertx vertx) throws Exception {
    start(vertx);
    InferRequest r = new InferRequest(TestRepositories.TINY, OptionalLong.of(2),
        Map.of("x", random(new Random(9), 1, 2, 1, 1)), Deadline.after(GENEROUS));
    assertFailure(backend.infer(r), BackendStatus.NOT_FOUND, "version 2 is not served");
  }

  @Test
  void infer_expiredDeadline(Vertx vertx) throws Exception {
    start(vertx);
    InferRequest r = InferRequest.of(TestRepositories.TINY, Map.of("x", random(new Random(10), 1, 2, 2, 2)),
        new Deadline(System.nanoTime() - 1));
    assertFailure(backend.infer(r), BackendStatus.DEADLINE_EXCEEDED, "deadline exceeded");
  }

  @Test
  void infer_afterClose(Vertx vertx) throws Exception {
    start(vertx);
    await(backend.close());
    assertFailure(backend.infer(request(random(new Random(11), 1, 2, 1, 1))), BackendStatus.UNAVAILABLE,
        "closed");
    backend = null;
  }

  @Test
  void ready_configInputNameDiffersFromGraph(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("name: \"x\"", "name: \"image\""),
        "inputs [image] in config.pbtxt, [x] in the ONNX graph");
  }

  @Test
  void ready_configDimsDifferFromGraph(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("[ 3, -1, -1 ]", "[ 4, -1, -1 ]"),
        "output y: dims [4, -1, -1]");
  }

  @Test
  void ready_configRankDiffersFromGraph(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("[ 2, -1, -1 ]", "[ 2, -1 ]"),
        "rank differs");
  }

  @Test
  void ready_configWithoutBatchingOnBatchedGraph(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("max_batch_size: 8", "max_batch_size: 0"),
        "rank differs");
  }

  @Test
  void ready_configDataTypeDiffersFromGraph(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("data_type: TYPE_FP32 dims: [ 3",
        "data_type: TYPE_INT64 dims: [ 3"), "only TYPE_FP32 is supported");
  }

  @Test
  void ready_unknownOutput(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("name: \"y\"", "name: \"probabilities\""),
        "output probabilities is not in the ONNX graph");
  }

  @Test
  void ready_notAnOnnxModel(Vertx vertx) {
    assertStartFails(vertx, TestRepositories.TINY_CONFIG.replace("onnxruntime_onnx", "pytorch_libtorch"),
        "platform pytorch_libtorch cannot run");
  }

  private void assertStartFails(Vertx vertx, String config, String expectedPart) {
    TestRepositories.model(root, TestRepositories.TINY, config, "1");
    backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(root), new OnnxRuntimeOptions(1, 1, 4));
    Throwable cause = failure(backend.ready());
    assertInstanceOf(ModelRepositoryException.class, cause);
    assertTrue(cause.getMessage().contains(expectedPart), cause.getMessage());
    assertFailure(backend.infer(request(random(new Random(12), 1, 2, 1, 1))), BackendStatus.UNAVAILABLE,
        "models failed to load");
  }

  private static InferRequest request(FloatTensor x) {
    return InferRequest.of(TestRepositories.TINY, Map.of("x", x), Deadline.after(GENEROUS));
  }

  private static FloatTensor random(Random random, long... shape) {
    FloatTensor t = FloatTensor.zeros(shape);
    for (int i = 0; i < t.data().length; i++) {
      t.data()[i] = (float) random.nextGaussian() * 10;
    }
    return t;
  }

  /** y[n, o, p] = sum_k W[o][k] * x[n, k, p] + B[o], p over the rows x columns plane. */
  private static float[] expected(FloatTensor x) {
    int n = (int) x.dim(0);
    int plane = (int) (x.dim(2) * x.dim(3));
    float[] y = new float[n * 3 * plane];
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < 3; o++) {
        for (int p = 0; p < plane; p++) {
          double sum = B[o];
          for (int k = 0; k < 2; k++) {
            sum += (double) W[o][k] * x.data()[(b * 2 + k) * plane + p];
          }
          y[(b * 3 + o) * plane + p] = (float) sum;
        }
      }
    }
    return y;
  }

  private static void assertFailure(Future<?> future, BackendStatus status, String expectedPart) {
    Throwable cause = failure(future);
    BackendException e = assertInstanceOf(BackendException.class, cause);
    assertEquals(status, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      fail("no answer: " + e);
    }
    return fail("expected a failure");
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
