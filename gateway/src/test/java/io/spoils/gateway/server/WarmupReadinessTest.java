package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.service.AnalysisService;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WarmupReadinessTest {

  @Test
  void healthReady_duringWarmup_503WithTheReasonThen200(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend();
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
          ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
      Promise<Void> gate = backend.holdSegmentation();
      Future<Integer> warm = service.warmUp(1);
      SpoilsServer server = SpoilsServerTest.await(SpoilsServer.start(vertx, service));
      try {
        SpoilsServerTest.await(Future.fromCompletionStage(backend.held));
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + server.port() + "/health/ready");
        HttpResponse<String> during = http.send(HttpRequest.newBuilder(ready).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(503, during.statusCode());
        JsonObject body = new JsonObject(during.body());
        assertEquals("DOWN", body.getString("status"));
        assertTrue(body.getString("reason").contains("warming up"), body.encode());
        gate.complete();
        SpoilsServerTest.await(warm);
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(ready).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode(), after.body());
      } finally {
        SpoilsServerTest.await(server.close());
      }
    }
  }
}
