package io.spoils.gateway.deploy;

import static io.spoils.gateway.deploy.RunningGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.failure.AnalysisException;
import io.spoils.gateway.failure.FailureCode;
import io.spoils.gateway.service.Drain;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Graceful shutdown over real sockets: studies in flight over HTTP and gRPC finish while the
 * server drains; new ones are refused (503 + Retry-After, UNAVAILABLE); readiness and gRPC health
 * flip; the port closes afterwards.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class DrainTest {

  private static XgbTreeGrader trees;
  private static byte[] slice;
  private RunningGateway gateway;
  private ManagedChannel channel;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) throws Exception {
    trees = defaultTrees;
    slice = RunningGateway.slice();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private void start(Vertx vertx) throws Exception {
    gateway = RunningGateway.start(vertx, trees, 2);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.server.port()).usePlaintext()
        .build();
  }

  private static AnalyzeRequest request() {
    return AnalyzeRequest.newBuilder().setFiles(DicomFiles.newBuilder().addFiles(
        DicomFile.newBuilder().setName("slice.dcm").setContent(ByteString.copyFrom(slice))))
        .build();
  }

  /** The events of one gRPC Analyze, read to the end on a background thread. */
  private CompletableFuture<List<AnalysisEvent>> grpcAnalyze() {
    return CompletableFuture.supplyAsync(() -> {
      List<AnalysisEvent> events = new ArrayList<>();
      Iterator<AnalysisEvent> it = AnalysisServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS).analyze(request());
      it.forEachRemaining(events::add);
      return events;
    });
  }

  @Test
  void drain_studiesInFlightFinishNewOnesRefusedReadinessFlips(Vertx vertx) throws Exception {
    start(vertx);
    Promise<Void> gate = gateway.backend.holdSegmentation();
    // HTTP/1.1: JDK 17's HTTP/2 client fails every open stream on GOAWAY, whatever its
    // last-stream-id says; the in-flight HTTP/2 case is the gRPC study below (grpc-java)
    CompletableFuture<HttpResponse<String>> httpStudy = gateway.analyze(java.net.http.HttpClient
        .newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build(), slice);
    CompletableFuture<List<AnalysisEvent>> grpcStudy = grpcAnalyze();
    assertTrue(gateway.backend.heldCalls.tryAcquire(2, 30, TimeUnit.SECONDS), "both studies held");
    assertEquals(200, gateway.get("/health/ready").statusCode());
    assertEquals(1, healthStatus(), "SERVING before the drain");

    Future<Void> stopped = Drain.stop(vertx, gateway.service, gateway.server,
        Duration.ofSeconds(20));
    assertTrue(gateway.service.drain().draining());
    assertEquals(2, gateway.service.drain().active());

    HttpResponse<String> ready = gateway.get("/health/ready");
    assertEquals(503, ready.statusCode());
    assertEquals("the server is shutting down", new JsonObject(ready.body()).getString("reason"));
    assertEquals(200, gateway.get("/health/live").statusCode());
    assertEquals(2, healthStatus(), "NOT_SERVING while draining");

    HttpResponse<String> refused = gateway.analyze(slice).get(30, TimeUnit.SECONDS);
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("application/problem+json",
        refused.headers().firstValue("Content-Type").orElse(""));
    assertEquals("2", refused.headers().firstValue("Retry-After").orElse(""));
    java.util.concurrent.ExecutionException grpcRefused = assertThrows(
        java.util.concurrent.ExecutionException.class,
        () -> grpcAnalyze().get(30, TimeUnit.SECONDS), "new gRPC study refused");
    assertEquals(Status.Code.UNAVAILABLE,
        ((StatusRuntimeException) grpcRefused.getCause()).getStatus().getCode());
    assertFalse(stopped.isComplete(), "the drain waits for the held studies");

    vertx.runOnContext(v -> gate.complete());
    HttpResponse<String> finished = httpStudy.get(30, TimeUnit.SECONDS);
    assertEquals(200, finished.statusCode());
    assertTrue(finished.body().contains("\"summary\""), finished.body());
    List<AnalysisEvent> events = grpcStudy.get(30, TimeUnit.SECONDS);
    assertTrue(events.get(events.size() - 1).hasSummary(), "gRPC stream ends with its summary");
    await(stopped);
    assertEquals(0, gateway.service.drain().active());
    // a fresh client: the shared one may still hold the HTTP/2 connection that got GOAWAY
    java.net.http.HttpClient fresh = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    assertThrows(ConnectException.class, () -> fresh.send(java.net.http.HttpRequest.newBuilder(
        gateway.uri("/health/live")).build(), HttpResponse.BodyHandlers.discarding()),
        "port closed");
    String metrics = gateway.service.metrics().scrape();
    assertTrue(metrics.contains("spoils_rejections_total{reason=\"draining\"} 2.0"), metrics);
    assertTrue(metrics.contains("spoils_errors_total{code=\"UNAVAILABLE\",status=\"503\"} 2.0"),
        metrics);
  }

  @Test
  void drain_studyBeyondTimeout_completesFalse(Vertx vertx) throws Exception {
    Drain drain = new Drain();
    Promise<Void> never = Promise.promise();
    Future<Void> study = drain.track(never::future);
    assertFalse(await(drain.start(vertx, Duration.ofMillis(200))), "timed out");
    assertEquals(1, drain.active());
    // cut off: its result fails at once, so that its transport ends the stream with an error
    assertTrue(study.failed() && io.spoils.gateway.failure.AnalysisException.is(study.cause(),
        io.spoils.gateway.failure.FailureCode.DRAINING), String.valueOf(study.cause()));
  }

  @Test
  void drain_idle_completesAtOnceAndRefusesLaterStudies(Vertx vertx) throws Exception {
    Drain drain = new Drain();
    assertTrue(await(drain.track(() -> Future.succeededFuture(true))));
    assertTrue(await(drain.start(vertx, Duration.ofSeconds(30))));
    Future<Object> late = drain.track(() -> Future.succeededFuture("ran"));
    assertTrue(late.failed());
    assertTrue(AnalysisException.is(late.cause(), FailureCode.DRAINING));
    assertTrue(await(drain.start(vertx, Duration.ofSeconds(30))), "idempotent");
  }

  @Test
  void timeout_environment_defaultValueAndBadValue() {
    assertEquals(Drain.DEFAULT_TIMEOUT, Drain.timeout(Map.of()));
    assertEquals(Duration.ofMillis(2500), Drain.timeout(Map.of(Drain.ENV, " 2.5 ")));
    assertThrows(InvalidInputException.class, () -> Drain.timeout(Map.of(Drain.ENV, "0")));
    assertThrows(InvalidInputException.class, () -> Drain.timeout(Map.of(Drain.ENV, "soon")));
  }

  /** grpc.health.v1.Health/Check for service "": the ServingStatus number. */
  private int healthStatus() {
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    var method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("grpc.health.v1.Health/Check")
        .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    byte[] answer = io.grpc.stub.ClientCalls.blockingUnaryCall(channel, method,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[0]);
    assertEquals(2, answer.length);
    return answer[1];
  }
}
