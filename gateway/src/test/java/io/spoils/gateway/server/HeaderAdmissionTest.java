package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Studies are admitted from their request headers, over real sockets: a full server refuses a gRPC
 * {@code Analyze} call before its request message is sent (and resets the stream so that the
 * client stops sending it), and an admitted call counts against the limits (as arriving, without
 * an analysis slot: {@code SlowClientsTest}) while the message is on its way.
 */
class HeaderAdmissionTest extends GatedServerTestBase {

  /** Nothing running, waiting or arriving. */
  private static boolean free(GatedServer server) {
    var a = server.service.admission();
    return a.inFlight() == 0 && a.queued() == 0 && a.arriving() == 0;
  }

  /**
   * An {@code Analyze} call opened with its headers only (raw HTTP/2: grpc-java holds a unary
   * request's headers back until its message is sent); the test decides when to send.
   */
  private static final class OpenCall {
    final HttpClientRequest request;
    final CompletableFuture<String> status = new CompletableFuture<>();
    final CompletableFuture<Buffer> body = new CompletableFuture<>();

    OpenCall(Vertx vertx, GatedServer server, long deadlineMs) throws Exception {
      HttpClient http = vertx.createHttpClient(new HttpClientOptions()
          .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
      request = GatedServer.await(http.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setHost("127.0.0.1").setPort(server.port())
          .setURI("/spoils.v1.AnalysisService/Analyze")
          .putHeader("content-type", "application/grpc").putHeader("te", "trailers")
          .putHeader("grpc-timeout", deadlineMs + "m")));
      request.exceptionHandler(resetAfterAnswer -> { });
      request.response().onSuccess(resp -> {
        resp.exceptionHandler(resetAfterAnswer -> { });
        resp.body().onSuccess(b -> {
          body.complete(b);
          String code = resp.getTrailer("grpc-status");
          status.complete(code != null ? code : resp.getHeader("grpc-status"));
        });
      });
      GatedServer.await(request.setChunked(true).sendHead());
    }

    void send(AnalyzeRequest message) {
      byte[] bytes = message.toByteArray();
      request.end(Buffer.buffer().appendByte((byte) 0).appendInt(bytes.length)
          .appendBytes(bytes));
    }

    Status.Code status() throws Exception {
      return Status.fromCodeValue(Integer.parseInt(status.get(30, TimeUnit.SECONDS))).getCode();
    }

    /** The last message of the answer (the summary when it succeeded). */
    AnalysisEvent last() throws Exception {
      Buffer b = body.get(30, TimeUnit.SECONDS);
      AnalysisEvent last = null;
      for (int at = 0; at < b.length(); ) {
        int length = b.getInt(at + 1);
        last = AnalysisEvent.parseFrom(b.getBytes(at + 5, at + 5 + length));
        at += 5 + length;
      }
      return last;
    }
  }

  private void runAnalyze() {
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .analyze(GatedServer.request(slice)).forEachRemaining(e -> { });
  }

  @Test
  void analyze_serverFull_refusedBeforeTheRequestIsSent(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    Promise<Void> gate = server.backend.holdSegmentation();
    OpenCall running = new OpenCall(vertx, server, 30_000);
    running.send(GatedServer.request(slice));
    server.backend.held.get(30, TimeUnit.SECONDS);

    OpenCall refused = new OpenCall(vertx, server, 30_000);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.status());
    assertEquals(1.0, server.metric("spoils_rejections_total", "reason=\"busy\""));

    vertx.runOnContext(v -> gate.complete());
    assertEquals(Status.Code.OK, running.status());
    assertTrue(running.last().hasSummary());
  }

  @Test
  void analyze_admittedCall_countsAgainstTheLimitsUntilTheRequestArrives(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    OpenCall uploading = new OpenCall(vertx, server, 30_000);
    assertTrue(GatedServer.eventually(() -> server.service.admission().arriving() == 1),
        "the call was admitted from its headers");

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, this::runAnalyze);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertEquals(0, server.backend.calls(AnalysisPipeline.SEGMENTATION_MODEL));

    uploading.send(GatedServer.request(slice));
    assertEquals(Status.Code.OK, uploading.status());
    assertTrue(uploading.last().hasSummary());
    assertTrue(free(server));
  }

  @Test
  void analyze_requestNeverSent_callEndsAtItsDeadlineAndGivesItsPlaceBack(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    OpenCall silent = new OpenCall(vertx, server, 500);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, silent.status());
    assertTrue(GatedServer.eventually(() -> free(server)),
        "its place was given back");
    runAnalyze();
    assertEquals(1, server.backend.calls(AnalysisPipeline.SEGMENTATION_MODEL));
  }

  @Test
  void analyze_clientCancelsBeforeSending_givesItsPlaceBack(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    OpenCall cancelled = new OpenCall(vertx, server, 30_000);
    assertTrue(GatedServer.eventually(() -> server.service.admission().arriving() == 1));
    cancelled.request.reset();
    assertTrue(GatedServer.eventually(() -> free(server)),
        "its place was given back");
    runAnalyze();
    assertTrue(GatedServer.eventually(() ->
        server.metric("spoils_errors_total", "code=\"CANCELLED\"") == 1));
  }

  @Test
  void httpAnalyses_uploadInProgress_countsAgainstTheLimits(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    HttpClient http = vertx.createHttpClient();
    CompletableFuture<String> body = new CompletableFuture<>();
    // request and response chain on one event-loop context (GatedServer#awaitOnContext)
    HttpClientRequest uploading = GatedServer.awaitOnContext(vertx, () -> http.request(
        HttpMethod.POST, server.port(), "127.0.0.1", "/v1/analyses?odi=45&nrs=7").map(req -> {
          req.response().compose(r -> r.body()).onSuccess(b -> body.complete(b.toString()));
          return req;
        }));
    uploading.putHeader("Content-Type", "application/dicom")
        .putHeader("Content-Length", String.valueOf(slice.length));
    uploading.write(Buffer.buffer(slice).getBuffer(0, slice.length / 2));
    assertTrue(GatedServer.eventually(() -> server.service.admission().arriving() == 1),
        "the upload was admitted from its headers");

    int refused = GatedServer.await(http.request(HttpMethod.POST, server.port(), "127.0.0.1",
            "/v1/analyses")
        .compose(req -> req.putHeader("Content-Type", "application/dicom")
            .send(Buffer.buffer(slice)))
        .map(r -> r.statusCode()));
    assertEquals(429, refused);

    uploading.end(Buffer.buffer(slice).getBuffer(slice.length / 2, slice.length));
    String events = body.get(30, TimeUnit.SECONDS);
    assertTrue(events.contains("\"summary\""), events);
    assertTrue(free(server));
  }

  @Test
  void analyze_requestNotSentWithinServerTimeout_deadlineExceededAndPlaceGivenBack(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0)
        .withTimeoutSeconds(0.5));
    // a caller deadline far beyond the server's timeout: the server's is the one that ends it
    OpenCall silent = new OpenCall(vertx, server, 60_000);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, silent.status());
    assertTrue(GatedServer.eventually(() -> free(server)),
        "its place was given back");
    assertEquals(1.0, server.metric("spoils_errors_total", "code=\"DEADLINE_EXCEEDED\""));
  }

  @Test
  void httpAnalyses_bodyNotSentWithinServerTimeout_408AndPlaceGivenBack(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0)
        .withTimeoutSeconds(0.5));
    HttpClient http = vertx.createHttpClient();
    HttpClientRequest stalled = GatedServer.await(http.request(HttpMethod.POST, server.port(),
        "127.0.0.1", "/v1/analyses"));
    stalled.exceptionHandler(closedByServer -> { });
    stalled.putHeader("Content-Type", "application/dicom")
        .putHeader("Content-Length", String.valueOf(slice.length));
    stalled.write(Buffer.buffer(slice).getBuffer(0, 1000));
    int status = GatedServer.await(stalled.response()).statusCode();
    assertEquals(408, status);
    assertTrue(GatedServer.eventually(() -> free(server)),
        "its place was given back");
  }

  @Test
  void analyzeUpload_headerSent_countsAgainstTheLimitsUntilTheFilesArrive(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    GrpcUploadTest.Events events = new GrpcUploadTest.Events();
    var upload = AnalysisServiceGrpc.newStub(server.channel).analyzeUpload(events);
    upload.onNext(GrpcUploadTest.header(1));
    assertTrue(GatedServer.eventually(() -> server.service.admission().arriving() == 1),
        "the upload was admitted from its header");

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, this::runAnalyze);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());

    upload.onNext(GrpcUploadTest.chunk(0, slice, true));
    upload.onCompleted();
    assertEquals(Status.Code.OK, events.status().getCode());
    assertTrue(events.events.get(events.events.size() - 1).hasSummary());
    assertTrue(free(server));
  }
}
