package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ClinicalScores;
import io.spoils.proto.v1.DicomFile;
import io.spoils.proto.v1.DicomFiles;
import io.spoils.proto.v1.ListModelsRequest;
import io.spoils.proto.v1.ModelRole;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server on a real socket with the bundled example and a gated fake backend; real clients:
 * grpc-java stubs over a ManagedChannel and the JDK HttpClient.
 */
@ExtendWith(VertxExtension.class)
class SpoilsServerTest {

  private static byte[] slice;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private SpoilsServer server;
  private ManagedChannel channel;
  private ExampleBackend backend;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void load() throws Exception {
    slice = Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
  }

  private void start(Vertx vertx, ServerOptions options) throws Exception {
    backend = new ExampleBackend();
    TestServer started = servers.start(vertx, backend, options);
    server = started.server;
    channel = started.channel;
  }

  private void start(Vertx vertx) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static AnalyzeRequest request(byte[] content) {
    return AnalyzeRequest.newBuilder()
        .setFiles(DicomFiles.newBuilder().addFiles(DicomFile.newBuilder().setName("slice.dcm")
            .setContent(ByteString.copyFrom(content))))
        .setScores(ClinicalScores.newBuilder().setOdiPercent(45).setNrs(7))
        .build();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void grpcAnalyze_firstDiscBeforeSummary(Vertx vertx) throws Exception {
    start(vertx);
    Promise<Void> second = backend.holdGradingCall(1);
    Iterator<AnalysisEvent> events = AnalysisServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS).analyze(request(slice));
    List<AnalysisEvent.EventCase> seen = new ArrayList<>();
    int discLevels = -1;
    while (seen.isEmpty() || seen.get(seen.size() - 1) != AnalysisEvent.EventCase.DISC) {
      AnalysisEvent e = events.next();
      seen.add(e.getEventCase());
      discLevels = e.hasSegmentation() ? e.getSegmentation().getDiscLevelsCount() : discLevels;
    }
    // the second disc's grading is still held: the first disc reached us while no summary exists
    assertFalse(seen.contains(AnalysisEvent.EventCase.SUMMARY));
    assertEquals(AnalysisEvent.EventCase.ACCEPTED, seen.get(0));
    vertx.runOnContext(v -> second.complete());
    AnalysisEvent last = null;
    int discs = 1;
    while (events.hasNext()) {
      last = events.next();
      discs += last.hasDisc() ? 1 : 0;
    }
    assertTrue(last.hasSummary());
    assertEquals(discLevels, discs);
    assertTrue(last.getSummary().getDiscsGraded() > 0);
    // the written report rides in the summary: every level, the models, the statement
    String report = last.getSummary().getReportText();
    assertTrue(report.contains("L5-S1") && report.contains("L1-L2"), report);
    assertTrue(report.contains("spine_segmentation"), report);
    assertTrue(report.contains("not a diagnosis"), report);
  }

  @Test
  void grpcAnalyze_badInputInvalidArgumentThenHealthy(Vertx vertx) throws Exception {
    start(vertx);
    var stub = AnalysisServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.analyze(request("not a DICOM file".getBytes())).forEachRemaining(x -> { }));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertFalse(e.getStatus().getDescription().isBlank());
    StatusRuntimeException scores = assertThrows(StatusRuntimeException.class,
        () -> stub.analyze(request(slice).toBuilder()
            .setScores(ClinicalScores.newBuilder().setOdiPercent(140).setNrs(7)).build())
            .forEachRemaining(x -> { }));
    assertEquals(Status.Code.INVALID_ARGUMENT, scores.getStatus().getCode());
    var models = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
    assertEquals(3, models.size());
    assertTrue(models.stream().anyMatch(m -> m.getRole() == ModelRole.MODEL_ROLE_DISC_GRADING_TREES));
    List<AnalysisEvent> events = new ArrayList<>();
    stub.analyze(request(slice)).forEachRemaining(events::add);
    assertTrue(events.get(events.size() - 1).hasSummary());
  }

  @Test
  void httpAnalyses_ndjsonFirstDiscBeforeSummary(Vertx vertx) throws Exception {
    start(vertx);
    Promise<Void> second = backend.holdGradingCall(1);
    HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
            uri("/v1/analyses?odi=45&nrs=7"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertEquals(HttpEndpoints.NDJSON, response.headers().firstValue("Content-Type").orElse(""));
    Iterator<String> lines = response.body().iterator();
    List<JsonObject> seen = new ArrayList<>();
    while (seen.isEmpty() || !seen.get(seen.size() - 1).containsKey("disc")) {
      seen.add(new JsonObject(lines.next()));
    }
    assertTrue(seen.get(0).containsKey("accepted"));
    assertTrue(seen.stream().noneMatch(j -> j.containsKey("summary")));
    vertx.runOnContext(v -> second.complete());
    JsonObject last = null;
    while (lines.hasNext()) {
      last = new JsonObject(lines.next());
    }
    assertTrue(last.containsKey("summary"), "last line: " + last);
  }

  @Test
  void httpAnalyses_badInputProblemThenHealthy(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri("/v1/analyses"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofString("not a DICOM file")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(bad, 400);
    HttpResponse<String> scores = http.send(HttpRequest.newBuilder(uri("/v1/analyses?odi=45"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(scores, 400);
    HttpResponse<String> live = http.send(HttpRequest.newBuilder(uri("/health/live")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, live.statusCode());
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(uri("/health/ready")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode());
    HttpResponse<String> models = http.send(HttpRequest.newBuilder(uri("/v1/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(3, new JsonObject(models.body()).getJsonArray("models").size());
  }

  @Test
  void httpAnalyses_tooLarge413(Vertx vertx) throws Exception {
    ServerOptions small = new ServerOptions("127.0.0.1", 0, 1, 0, 1000, 10, 60, 2);
    start(vertx, small);
    HttpResponse<String> big = http.send(HttpRequest.newBuilder(uri("/v1/analyses"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(big, 413);
  }

  @Test
  void admission_busyRefusedFast(Vertx vertx) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withAdmission(1, 0));
    Promise<Void> gate = backend.holdSegmentation();
    var async = AnalysisServiceGrpc.newStub(channel);
    var done = new java.util.concurrent.CompletableFuture<List<AnalysisEvent>>();
    List<AnalysisEvent> first = new ArrayList<>();
    async.analyze(request(slice), new io.grpc.stub.StreamObserver<>() {
      public void onNext(AnalysisEvent e) {
        first.add(e);
      }

      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      public void onCompleted() {
        done.complete(first);
      }
    });
    backend.held.get(30, TimeUnit.SECONDS);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> AnalysisServiceGrpc.newBlockingStub(channel).analyze(request(slice))
            .forEachRemaining(x -> { }));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    HttpResponse<String> busy = http.send(HttpRequest.newBuilder(uri("/v1/analyses"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertProblem(busy, 429);
    assertTrue(busy.headers().firstValue("Retry-After").isPresent());
    vertx.runOnContext(v -> gate.complete());
    List<AnalysisEvent> events = done.get(30, TimeUnit.SECONDS);
    assertTrue(events.get(events.size() - 1).hasSummary());
  }

  @Test
  void grpcHealth_servingAndUnknownService(Vertx vertx) throws Exception {
    start(vertx);
    byte[] serving = health("spoils.v1.AnalysisService");
    assertEquals(List.of((byte) 0x08, (byte) GrpcHealth.SERVING),
        List.of(serving[0], serving[1]));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> health("other"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  /** Health/Check through grpc-java with hand-encoded messages (grpc-services is not a dependency). */
  private byte[] health(String service) throws Exception {
    io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
      public java.io.InputStream stream(byte[] value) {
        return new java.io.ByteArrayInputStream(value);
      }

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
    byte[] name = service.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] request = new byte[name.length + 2];
    request[0] = 0x0A;
    request[1] = (byte) name.length;
    System.arraycopy(name, 0, request, 2, name.length);
    return io.grpc.stub.ClientCalls.blockingUnaryCall(channel, method,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(HttpEndpoints.PROBLEM, response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals(status, problem.getInteger("status"));
    assertFalse(problem.getString("title").isBlank());
    assertFalse(problem.getString("detail").isBlank());
    assertTrue(problem.getString("type").startsWith("urn:spoils:problem:"));
  }
}
