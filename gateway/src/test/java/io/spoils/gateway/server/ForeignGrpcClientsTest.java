package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Statuses that gRPC clients the project did not write can read ({@link ForeignGrpcClient}:
 * Debian's python3-grpcio and curl over HTTP/2): a refused or failed call ends with its trailers
 * and at most a NO_ERROR reset, never CANCEL (which those clients report as CANCELLED, dropping
 * the status); the status message is percent-encoded only where the gRPC specification says.
 * The grpcio calls are still sending their requests when the server answers (curl 7.88 reports
 * a NO_ERROR reset of a stream it is still sending as an error, exit 92, so its requests are small
 * enough to be sent at once).
 */
class ForeignGrpcClientsTest extends GatedServerTestBase {

  /** The busy refusals' messages as written (": " and "; " kept, never "%3A" or "+"). */
  private static final Pattern BUSY = Pattern.compile("the server is busy(: .*)?; retry later");

  /** Starts one analysis that holds the only slot (at segmentation) until {@code gate}. */
  private CompletableFuture<Void> holdTheOnlySlot(Promise<Void> gate) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    AnalysisServiceGrpc.newStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
        .analyze(GatedServer.request(slice), new StreamObserver<AnalysisEvent>() {
          @Override
          public void onNext(AnalysisEvent value) {
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    server.backend.held.get(30, TimeUnit.SECONDS);
    return done;
  }

  private void busyServer(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees, ServerOptions.defaults().withAdmission(1, 0));
  }

  @Test
  void grpcio_busyServer_readsResourceExhaustedWithItsMessage(Vertx vertx) throws Exception {
    busyServer(vertx);
    Promise<Void> gate = server.backend.holdSegmentation();
    CompletableFuture<Void> running = holdTheOnlySlot(gate);

    var refused = ForeignGrpcClient.grpcio(server.port(), "analyze-large");
    var refusedUpload = ForeignGrpcClient.grpcio(server.port(), "upload-header");

    vertx.runOnContext(v -> gate.complete());
    running.get(30, TimeUnit.SECONDS);
    for (var outcome : List.of(refused, refusedUpload)) {
      assertEquals("RESOURCE_EXHAUSTED", outcome.code(), outcome.toString());
      assertTrue(BUSY.matcher(outcome.message()).matches(), outcome.message());
    }
  }

  @Test
  void grpcio_drainingServer_readsUnavailable(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    GatedServer.await(server.service.drain().start(vertx, Duration.ofSeconds(30)));

    var outcome = ForeignGrpcClient.grpcio(server.port(), "analyze-large");

    assertEquals("UNAVAILABLE", outcome.code(), outcome.toString());
  }

  @Test
  void grpcio_messageOverTheLimit_readsResourceExhausted(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees,
        new ServerOptions("127.0.0.1", 0, 2, 2, 1024 * 1024, 10, 60, 2));

    var outcome = ForeignGrpcClient.grpcio(server.port(), "analyze-large");

    assertEquals("RESOURCE_EXHAUSTED", outcome.code(), outcome.toString());
  }

  @Test
  void grpcio_secondUploadHeader_readsInvalidArgument(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    var outcome = ForeignGrpcClient.grpcio(server.port(), "upload-two-headers");

    assertEquals(new ForeignGrpcClient.Outcome("INVALID_ARGUMENT",
        "the upload header was sent twice"), outcome);
  }

  @Test
  void grpcio_malformedUploadMessage_readsInvalidArgument(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    var outcome = ForeignGrpcClient.grpcio(server.port(), "upload-malformed");

    assertEquals("INVALID_ARGUMENT", outcome.code(), outcome.toString());
  }

  @Test
  void grpcio_expectedFileCountMaxUint32_refusedAsTooManyFiles(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);

    var outcome = ForeignGrpcClient.grpcio(server.port(), "upload-max-uint32-files");

    assertEquals("RESOURCE_EXHAUSTED", outcome.code(), outcome.toString());
    assertTrue(outcome.message().contains("4294967295 files"), outcome.message());
  }

  @Test
  void curl_busyServer_readsStatusAndUnencodedMessageWithoutCancel(Vertx vertx)
      throws Exception {
    busyServer(vertx);
    Promise<Void> gate = server.backend.holdSegmentation();
    CompletableFuture<Void> running = holdTheOnlySlot(gate);

    var refused = ForeignGrpcClient.curl(server.port(), "Analyze",
        ForeignGrpcClient.frame(GatedServer.request(new byte[128]).toByteArray()));

    vertx.runOnContext(v -> gate.complete());
    running.get(30, TimeUnit.SECONDS);
    assertFalse(refused.stderr().contains("CANCEL"), refused.stderr());
    assertEquals("8", refused.field("grpc-status"), refused.headers() + refused.stderr());
    String message = refused.field("grpc-message");
    assertTrue(message != null && BUSY.matcher(message).matches(), refused.headers());
  }

  @Test
  void curl_malformedMessage_readsInvalidArgument(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    byte[] malformed = ForeignGrpcClient.frame(new byte[] {0x0a, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff});

    var outcome = ForeignGrpcClient.curl(server.port(), "AnalyzeUpload", malformed);

    assertFalse(outcome.stderr().contains("CANCEL"), outcome.stderr());
    assertEquals("3", outcome.field("grpc-status"), outcome.headers() + outcome.stderr());
    assertEquals("a request message is not a valid protobuf message",
        outcome.field("grpc-message"), outcome.headers());
  }
}
