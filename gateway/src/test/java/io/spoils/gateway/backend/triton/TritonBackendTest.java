package io.spoils.gateway.backend.triton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spoils.feature.tensor.FloatTensor;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Triton backend against the in-process KServe v2 server, over real sockets, with the tiny
 * test model (runs without the trained models).
 */
@ExtendWith(VertxExtension.class)
class TritonBackendTest {

  static final String TINY = "tiny_conv";
  static final String TINY_CONFIG = """
      name: "tiny_conv"
      platform: "onnxruntime_onnx"
      max_batch_size: 8
      input [ { name: "x" data_type: TYPE_FP32 dims: [ 2, -1, -1 ] } ]
      output [ { name: "y" data_type: TYPE_FP32 dims: [ 3, -1, -1 ] } ]
      """;
  private static final Duration GENEROUS = Duration.ofMinutes(1);
  /** Quick checks: retries after 50-200 ms, a check every 100 ms, start-up limit 60 s. */
  static final TritonHealthOptions QUICK = new TritonHealthOptions(Duration.ofSeconds(60),
      Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(2));

  /** Plaintext to 127.0.0.1:{@code port} with {@link #QUICK} checks and {@code startupLimit}. */
  static TritonOptions quick(int port, Duration startupLimit) {
    return TritonOptions.of("127.0.0.1", port).withHealth(QUICK.withStartupLimit(startupLimit));
  }

  @TempDir
  Path served;
  @TempDir
  Path local;

  private KServeTestServer server;
  private TritonBackend triton;
  private OnnxRuntimeBackend embedded;

  @AfterEach
  void close() throws Exception {
    if (triton != null) {
      await(triton.close());
    }
    if (embedded != null) {
      await(embedded.close());
    }
    if (server != null) {
      await(server.close());
    }
  }

  static void writeModel(Path root, String name, String config) throws IOException {
    Path v1 = Files.createDirectories(root.resolve(name).resolve("1"));
    Files.writeString(root.resolve(name).resolve("config.pbtxt"), config, StandardCharsets.UTF_8);
    try (InputStream in = TritonBackendTest.class.getResourceAsStream(
        "/backend/repository/tiny_conv/1/model.onnx")) {
      Files.write(v1.resolve("model.onnx"), in.readAllBytes());
    }
  }

  private TritonBackend connect(Vertx vertx, String localConfig, List<String> models)
      throws Exception {
    writeModel(served, TINY, TINY_CONFIG);
    writeModel(local, TINY, localConfig);
    server = await(KServeTestServer.start(vertx, ModelRepository.load(served)));
    triton = new TritonBackend(vertx, ModelRepository.load(local), models,
        quick(server.port(), Duration.ofSeconds(2)));
    return triton;
  }

  private TritonBackend started(Vertx vertx) throws Exception {
    connect(vertx, TINY_CONFIG, List.of(TINY));
    await(triton.ready());
    return triton;
  }

  static FloatTensor random(long seed, long... shape) {
    Random r = new Random(seed);
    float[] data = new float[(int) FloatTensor.elementCount(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    return new FloatTensor(shape, data);
  }

  @Test
  void infer_sameAsEmbedded_largerThanDefaultMessageSize(Vertx vertx) throws Exception {
    started(vertx);
    embedded = new OnnxRuntimeBackend(vertx, ModelRepository.load(served),
        new OnnxRuntimeOptions(1, 1, 4));
    await(embedded.ready());
    // output [2, 3, 512, 512] FP32 = 6.3 MB: above grpc-java's 4 MiB and Vert.x's 256 KiB defaults
    InferRequest request = InferRequest.of(TINY, Map.of("x", random(7, 2, 2, 512, 512)),
        Deadline.after(GENEROUS));
    InferResponse viaTriton = await(triton.infer(request));
    InferResponse direct = await(embedded.infer(request));
    FloatTensor y = viaTriton.output("y");
    assertArrayEquals(new long[] {2, 3, 512, 512}, y.shape());
    assertArrayEquals(direct.output("y").data(), y.data());
    assertEquals(1, viaTriton.version());
  }

  @Test
  void infer_queueFull_staysUnavailable(Vertx vertx) throws Exception {
    started(vertx);
    server.queueFull(true);
    BackendException e = failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(GENEROUS))));
    assertEquals(BackendStatus.UNAVAILABLE, e.status());
  }

  @Test
  void infer_serverInvalidArgument_becomesInternalWithoutServerReason(Vertx vertx)
      throws Exception {
    started(vertx);
    server.unload(TINY);
    BackendException e = failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(GENEROUS))));
    assertEquals(BackendStatus.INTERNAL, e.status());
    assertFalse(e.getMessage().contains("unknown model"), e.getMessage());
    assertEquals(1, server.inferCalls());
  }

  @Test
  void infer_expiredDeadline_failsWithoutCall(Vertx vertx) throws Exception {
    started(vertx);
    BackendException e = failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 2, 4, 4)), new Deadline(System.nanoTime() - 1))));
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, e.status());
    assertEquals(0, server.inferCalls());
  }

  @Test
  void infer_slowServer_deadlineExceeded(Vertx vertx) throws Exception {
    started(vertx);
    server.delay(30_000);
    BackendException e = failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(Duration.ofMillis(300)))));
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, e.status());
  }

  @Test
  void infer_wrongShape_rejectedLocally(Vertx vertx) throws Exception {
    started(vertx);
    BackendException e = failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 3, 4, 4)), Deadline.after(GENEROUS))));
    assertEquals(BackendStatus.INVALID_ARGUMENT, e.status());
    assertEquals(0, server.inferCalls());
    assertEquals(BackendStatus.NOT_FOUND, failure(triton.infer(InferRequest.of("nope",
        Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(GENEROUS)))).status());
  }

  @Test
  void ready_dimsMismatch_failsAtTheStartupLimitNamingModelAndTensor(Vertx vertx)
      throws Exception {
    connect(vertx, TINY_CONFIG.replace("dims: [ 3, -1, -1 ]", "dims: [ 4, -1, -1 ]"), List.of(TINY));
    BackendException e = failure(triton.ready());
    assertEquals(BackendStatus.UNAVAILABLE, e.status());
    assertTrue(e.getMessage().contains("did not pass the start-up check within 2 s"),
        e.getMessage());
    assertTrue(e.getMessage().contains("model tiny_conv"), e.getMessage());
    assertTrue(e.getMessage().contains("output y has shape [-1, 3, -1, -1] on the server, "
        + "[-1, 4, -1, -1] locally"), e.getMessage());
    assertEquals(BackendStatus.UNAVAILABLE, failure(triton.infer(InferRequest.of(TINY,
        Map.of("x", random(1, 1, 2, 4, 4)), Deadline.after(GENEROUS)))).status());
  }

  @Test
  void ready_modelMissingOnServer_failsNamingModel(Vertx vertx) throws Exception {
    connect(vertx, TINY_CONFIG, List.of(TINY));
    writeModel(local, "other", TINY_CONFIG.replace("tiny_conv", "other"));
    await(triton.close());
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY, "other"),
        quick(server.port(), Duration.ofSeconds(2)));
    BackendException e = failure(triton.ready());
    assertTrue(e.getMessage().contains("model other is not available on Triton"), e.getMessage());
  }

  @Test
  void ready_noServer_unavailableAtTheStartupLimit(Vertx vertx) throws Exception {
    writeModel(local, TINY, TINY_CONFIG);
    triton = new TritonBackend(vertx, ModelRepository.load(local), List.of(TINY),
        quick(freePort(), Duration.ofSeconds(1)));
    BackendException e = failure(triton.ready());
    assertEquals(BackendStatus.UNAVAILABLE, e.status());
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    assertEquals(BackendStatus.UNAVAILABLE, failure(triton.startup()).status());
  }

  /** A port nothing listens on (bound and released). */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static BackendException failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(BackendException.class, e.getCause());
    }
    return fail("expected a failure");
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void provenance_afterStartupCheck_tritonMetadataThenLocalRepository(Vertx vertx)
      throws Exception {
    connect(vertx, TINY_CONFIG, List.of(TINY));
    String local = ModelRepository.load(this.local).provenance(TINY).orElseThrow();
    await(triton.ready());
    assertEquals("Triton model metadata: platform onnxruntime_onnx, versions 1; local repository: "
        + local, triton.provenance(TINY).orElseThrow());
    assertTrue(triton.provenance("other").isEmpty());
  }
}
