package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.spoils.proto.v1.AnalyzeRequest;
import io.spoils.proto.v1.ListModelsRequest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What ends an analysis early, over real sockets: the client cancelling (gRPC) or going away
 * (HTTP), the caller's deadline, and the admission queue's longest wait.
 */
class GrpcLifecycleTest extends GatedServerTestBase {

  private static final String SEG = AnalysisPipeline.SEGMENTATION_MODEL;
  private static final String CNN = AnalysisPipeline.GRADING_MODEL;

  /** Starts {@code Analyze} and returns the handle that can cancel it. */
  private ClientCallStreamObserver<AnalyzeRequest> startAnalyze(GrpcUploadTest.Events events) {
    @SuppressWarnings("unchecked")
    ClientCallStreamObserver<AnalyzeRequest>[] call = new ClientCallStreamObserver[1];
    AnalysisServiceGrpc.newStub(server.channel).analyze(GatedServer.request(slice),
        new ClientResponseObserver<AnalyzeRequest, AnalysisEvent>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<AnalyzeRequest> stream) {
            call[0] = stream;
          }

          @Override
          public void onNext(AnalysisEvent e) {
            events.onNext(e);
          }

          @Override
          public void onError(Throwable t) {
            events.onError(t);
          }

          @Override
          public void onCompleted() {
            events.onCompleted();
          }
        });
    return call[0];
  }

  /**
   * A unary call on the same HTTP/2 connection: once it is answered, the server has read every
   * frame sent before it (a stream reset included).
   */
  private void barrier() {
    AnalysisServiceGrpc.newBlockingStub(server.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .listModels(ListModelsRequest.getDefaultInstance());
  }

  private void assertStoppedAfterSegmentation() throws Exception {
    assertTrue(GatedServer.eventually(() -> server.service.admission().inFlight() == 0),
        "the slot was released");
    assertEquals(1, server.backend.calls(SEG));
    assertEquals(0, server.backend.calls(CNN), "no backend call after the stop");
  }

  @Test
  void analyze_clientCancelsDuringSegmentation_stopsAndReleasesSlot(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    Promise<Void> gate = server.backend.holdSegmentation();
    GrpcUploadTest.Events events = new GrpcUploadTest.Events();
    ClientCallStreamObserver<AnalyzeRequest> call = startAnalyze(events);
    server.backend.held.get(30, TimeUnit.SECONDS);
    call.cancel("the user closed the viewer", null);
    assertEquals(Status.Code.CANCELLED, events.status().getCode());
    barrier();
    vertx.runOnContext(v -> gate.complete());
    assertStoppedAfterSegmentation();
    assertTrue(GatedServer.eventually(() ->
        server.metric("spoils_errors_total", "code=\"CANCELLED\"") == 1));
    // the slot is free again: a new study runs to its summary
    var next = AnalysisServiceGrpc.newBlockingStub(server.channel)
        .withDeadlineAfter(60, TimeUnit.SECONDS).analyze(GatedServer.request(slice));
    AnalysisEvent last = null;
    while (next.hasNext()) {
      last = next.next();
    }
    assertTrue(last.hasSummary());
  }

  @Test
  void analyze_clientCancelsWhileQueued_leavesQueue(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 1));
    Promise<Void> gate = server.backend.holdSegmentation();
    GrpcUploadTest.Events first = new GrpcUploadTest.Events();
    startAnalyze(first);
    server.backend.held.get(30, TimeUnit.SECONDS);
    GrpcUploadTest.Events second = new GrpcUploadTest.Events();
    ClientCallStreamObserver<AnalyzeRequest> queued = startAnalyze(second);
    assertTrue(GatedServer.eventually(() -> server.service.admission().queued() == 1));
    queued.cancel("gave up waiting", null);
    assertTrue(GatedServer.eventually(() -> server.service.admission().queued() == 0),
        "the cancelled study left the queue");
    assertTrue(GatedServer.eventually(() ->
        server.metric("spoils_errors_total", "code=\"CANCELLED\"") == 1));
    vertx.runOnContext(v -> gate.complete());
    assertEquals(Status.Code.OK, first.status().getCode());
    assertEquals(1, server.backend.calls(SEG), "the cancelled study never ran");
  }

  @Test
  void analyze_callerDeadlineShorterThanAnalysis_deadlineExceededAndBackendSawIt(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);
    Promise<Void> gate = server.backend.holdSegmentation();
    long deadlineMs = 4000;
    var events = AnalysisServiceGrpc.newBlockingStub(server.channel)
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).analyze(GatedServer.request(slice));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> events.forEachRemaining(x -> { }));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(server.backend.held.isDone(), "segmentation was called within the deadline");
    Duration seen = server.backend.calls.get(0).remaining();
    assertTrue(seen.toMillis() > 0 && seen.toMillis() < deadlineMs,
        "the backend call carried the caller's deadline, not the server's 60 s: " + seen);
    Thread.sleep(100); // the server's copy of the deadline passes a moment after the client's
    vertx.runOnContext(v -> gate.complete());
    assertStoppedAfterSegmentation();
    assertTrue(GatedServer.eventually(() ->
        server.metric("spoils_errors_total", "code=\"DEADLINE_EXCEEDED\"") == 1));
  }

  @Test
  void admission_queuedLongerThanMaxQueueWait_resourceExhaustedAnd429(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 1)
        .withMaxQueueWaitSeconds(0.3));
    Promise<Void> gate = server.backend.holdSegmentation();
    GrpcUploadTest.Events first = new GrpcUploadTest.Events();
    startAnalyze(first);
    server.backend.held.get(30, TimeUnit.SECONDS);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> AnalysisServiceGrpc.newBlockingStub(server.channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS).analyze(GatedServer.request(slice))
            .forEachRemaining(x -> { }));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("within 300 ms"),
        e.getStatus().getDescription());
    HttpClient http = vertx.createHttpClient();
    int status = GatedServer.await(http.request(HttpMethod.POST, server.port(), "127.0.0.1",
            "/v1/analyses")
        .compose(req -> req.putHeader("Content-Type", "application/dicom")
            .send(Buffer.buffer(slice)))
        .map(r -> r.statusCode()));
    assertEquals(429, status);
    assertEquals(2.0, server.metric("spoils_rejections_total", "reason=\"queue_timeout\""));
    vertx.runOnContext(v -> gate.complete());
    assertEquals(Status.Code.OK, first.status().getCode());
    assertEquals(0, server.service.admission().queued());
  }

  @Test
  void httpAnalyses_clientDisconnects_stopsAndReleasesSlot(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
    Promise<Void> gate = server.backend.holdSegmentation();
    HttpClient http = vertx.createHttpClient();
    HttpClientRequest request = GatedServer.await(http.request(HttpMethod.POST, server.port(),
        "127.0.0.1", "/v1/analyses?odi=45&nrs=7"));
    request.exceptionHandler(expectedClose -> { });
    request.putHeader("Content-Type", "application/dicom").send(Buffer.buffer(slice))
        .onSuccess(response -> response.exceptionHandler(expectedClose -> { }));
    server.backend.held.get(30, TimeUnit.SECONDS);
    GatedServer.await(request.connection().close());
    // the server reads the close on its one event loop; a later request on a new connection
    // is answered after it, and the pause covers two sockets read in one loop turn
    int live = GatedServer.await(http.request(HttpMethod.GET, server.port(), "127.0.0.1",
        "/health/live").compose(r -> r.send()).map(r -> r.statusCode()));
    assertEquals(200, live);
    Thread.sleep(200);
    vertx.runOnContext(v -> gate.complete());
    assertStoppedAfterSegmentation();
    assertTrue(GatedServer.eventually(() ->
        server.metric("spoils_errors_total", "code=\"CANCELLED\"", "status=\"499\"") == 1));
  }
}
