package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.spoils.gateway.service.Drain;
import io.spoils.proto.v1.AnalysisServiceGrpc;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A result cut short after its status line (issue 14 item 5) is visibly incomplete: at the drain
 * timeout an HTTP NDJSON stream ends with an {@code error} line, and a gRPC call with
 * UNAVAILABLE, never with a stream that just ends.
 */
class DrainCutOffTest extends GatedServerTestBase {

  @Test
  void drainTimeout_httpStreamAfterItsStatusLine_endsWithAnErrorLine(Vertx vertx)
      throws Exception {
    server = GatedServer.start(vertx, trees);
    server.backend.holdGradingCall(1);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> call = http.sendAsync(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/v1/analyses?odi=45&nrs=7"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/dicom")
        .header("Accept", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofByteArray(slice)).build(),
        HttpResponse.BodyHandlers.ofString());
    server.backend.held.get(30, TimeUnit.SECONDS);

    GatedServer.await(Drain.stop(vertx, server.service, server.server, Duration.ofMillis(100)));

    HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    List<String> lines = response.body().lines().toList();
    JsonObject last = new JsonObject(lines.get(lines.size() - 1));
    assertTrue(last.containsKey("error"), response.body());
    assertEquals(503, last.getJsonObject("error").getInteger("status"), last.encode());
  }

  @Test
  void drainTimeout_grpcCallAfterItsFirstEvents_endsUnavailable(Vertx vertx) throws Exception {
    server = GatedServer.start(vertx, trees);
    server.backend.holdGradingCall(1);
    CompletableFuture<StatusRuntimeException> call = CompletableFuture.supplyAsync(() ->
        assertThrows(StatusRuntimeException.class, () -> AnalysisServiceGrpc
            .newBlockingStub(server.channel).withDeadlineAfter(60, TimeUnit.SECONDS)
            .analyze(GatedServer.request(slice)).forEachRemaining(e -> { })));
    server.backend.held.get(30, TimeUnit.SECONDS);

    GatedServer.await(Drain.stop(vertx, server.service, server.server, Duration.ofMillis(100)));

    StatusRuntimeException e = call.get(30, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    assertTrue(e.getStatus().getDescription().contains("drain timeout"), e.toString());
  }
}
