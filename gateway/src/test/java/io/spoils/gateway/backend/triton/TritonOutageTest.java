package io.spoils.gateway.backend.triton;

import static io.spoils.gateway.backend.triton.TritonBackendTest.await;
import static io.spoils.gateway.backend.triton.TritonHealthTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.RealModels;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole gateway in front of a Triton that hangs: the pipeline's models on the in-process
 * KServe v2 server, reached through a TCP proxy that goes silent (the open connection and every
 * new one accept bytes and never answer). Every analysis ends with 504 (DEADLINE_EXCEEDED) by its
 * deadline, its slot is free afterwards, readiness ({@code /health/ready}, gRPC health) and
 * {@code spoils_backend_ready} go DOWN, and all come back UP once Triton answers again. Outcomes and counts are asserted, never
 * timings. Skipped without the trained models (the KServe server runs them).
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class TritonOutageTest {

  private static final int STUDIES = 5;
  private static final int SERVING = 1;
  private static final int NOT_SERVING = 2;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void analyses_tritonGoesSilent_all504ThenSlotsFreeAndReadinessFollows(Vertx vertx,
      XgbTreeGrader trees) throws Exception {
    for (String m : TritonRealModelTest.PIPELINE_MODELS) {
      Assumptions.assumeTrue(RealModels.present(TritonRealModelTest.MODELS, m), "triton-models/" + m + " has no model.onnx");
    }
    ModelRepository models = ModelRepository.load(TritonRealModelTest.MODELS);
    KServeTestServer triton = await(KServeTestServer.start(vertx, models));
    TcpPeer proxy = await(TcpPeer.proxy(vertx, triton.port()));
    TritonBackend backend = new TritonBackend(vertx, models, ModelRegistry.backendModelNames(),
        TritonBackendTest.quick(proxy.port(), Duration.ofMinutes(1)));
    SpoilsServer server = null;
    io.grpc.ManagedChannel channel = null;
    try {
      await(backend.startup());
      AnalysisService service = new AnalysisService(vertx, backend, "triton", trees,
          ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withAdmission(2, 8)
              .withTimeoutSeconds(1.5));
      server = await(SpoilsServer.start(vertx, service));
      int port = server.port();
      channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      io.grpc.ManagedChannel grpc = channel;
      assertEquals(200, get(port, "/health/ready").statusCode());
      assertEquals(SERVING, health(grpc));
      assertTrue(get(port, "/metrics").body().contains("spoils_backend_ready 1.0"));

      proxy.silence();
      proxy.dropConnections();
      byte[] slice = Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
      List<CompletableFuture<HttpResponse<String>>> studies = new ArrayList<>();
      for (int i = 0; i < STUDIES; i++) {
        studies.add(http.sendAsync(HttpRequest.newBuilder(uri(port, "/v1/analyses?odi=45&nrs=6"))
            .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/dicom")
            .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> study : studies) {
        statuses.add(study.get().statusCode());
      }
      assertEquals(List.of(504, 504, 504, 504, 504), statuses);
      assertEquals(0, service.admission().inFlight(), "every slot is free");
      assertEquals(0, service.admission().queued());
      eventually("readiness DOWN", () -> status(port, "/health/ready") == 503);
      assertTrue(get(port, "/metrics").body().contains("spoils_backend_ready 0.0"));
      assertEquals(NOT_SERVING, health(grpc));

      proxy.resume();
      proxy.dropConnections();
      eventually("readiness UP again", () -> status(port, "/health/ready") == 200);
      assertTrue(get(port, "/metrics").body().contains("spoils_backend_ready 1.0"));
      eventually("gRPC health SERVING again", () -> health(grpc) == SERVING);
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      }
      if (server != null) {
        await(server.close());
      }
      await(backend.close());
      await(proxy.close());
      await(triton.close());
    }
  }

  @Test
  void gateway_startedBeforeTriton_aliveNotReadyThenReady(Vertx vertx, XgbTreeGrader trees,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path served = java.nio.file.Files.createDirectories(dir.resolve("served"));
    java.nio.file.Path local = java.nio.file.Files.createDirectories(dir.resolve("local"));
    TritonBackendTest.writeModel(served, TritonBackendTest.TINY, TritonBackendTest.TINY_CONFIG);
    TritonBackendTest.writeModel(local, TritonBackendTest.TINY, TritonBackendTest.TINY_CONFIG);
    int tritonPort = TritonBackendTest.freePort();
    TritonBackend backend = new TritonBackend(vertx, ModelRepository.load(local),
        List.of(TritonBackendTest.TINY), TritonBackendTest.quick(tritonPort, Duration.ofMinutes(1)));
    SpoilsServer server = null;
    KServeTestServer triton = null;
    try {
      server = await(SpoilsServer.start(vertx, new AnalysisService(vertx, backend, "triton",
          trees, ServerOptions.defaults().withHost("127.0.0.1").withPort(0))));
      int port = server.port();
      assertEquals(200, get(port, "/health/live").statusCode());
      HttpResponse<String> notReady = get(port, "/health/ready");
      assertEquals(503, notReady.statusCode());
      assertTrue(notReady.body().contains("start-up check"), notReady.body());
      triton = await(KServeTestServer.start(vertx, ModelRepository.load(served), tritonPort));
      eventually("readiness UP once Triton came", () -> status(port, "/health/ready") == 200);
      assertEquals(200, get(port, "/health/live").statusCode());
    } finally {
      if (server != null) {
        await(server.close());
      }
      await(backend.close());
      if (triton != null) {
        await(triton.close());
      }
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private int status(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** grpc.health.v1.Health/Check for service "" (hand-encoded): the ServingStatus number. */
  private static int health(io.grpc.Channel channel) {
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
      @Override
      public java.io.InputStream stream(byte[] value) {
        return new java.io.ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(java.io.InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    var method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("grpc.health.v1.Health/Check")
        .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    byte[] answer = io.grpc.stub.ClientCalls.blockingUnaryCall(channel, method,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS),
        new byte[0]);
    assertEquals(2, answer.length);
    return answer[1];
  }
}
