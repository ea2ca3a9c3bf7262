package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.simulated.SimulatedBackend;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.server.SpoilsServer;
import io.spoils.gateway.service.AnalysisService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code SPOILS_BACKEND=simulated}: settings, backend choice and a served analysis end to end. */
@ExtendWith(VertxExtension.class)
class ServeSimulatedTest {

  @TempDir
  Path dir;

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void load_simulatedFromEnvAndFile() throws Exception {
    ServerOptions env = ServerOptions.load(Optional.empty(), Map.of("SPOILS_BACKEND", "simulated",
        "SPOILS_SIMULATED_LATENCY_MS", "5", "SPOILS_SIMULATED_JITTER_MS", "2.5"));
    assertEquals(ServerOptions.Backend.SIMULATED, env.backend());
    assertEquals(5, env.simulatedLatencyMs());
    assertEquals(2.5, env.simulatedJitterMs());
    Path file = Files.writeString(dir.resolve("s.json"),
        "{\"backend\": \"simulated\", \"simulatedLatencyMs\": 7}");
    ServerOptions fromFile = ServerOptions.load(Optional.of(file), Map.of());
    assertEquals(7, fromFile.simulatedLatencyMs());
    assertEquals(0, fromFile.simulatedJitterMs());
    assertEquals(20, ServerOptions.defaults().simulatedLatencyMs());
  }

  @Test
  void serve_simulatedBackend_analysisCompletesWithWarning(Vertx vertx) throws Exception {
    ServerOptions options = ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
        .withSimulated(5, 1);
    var chosen = ServeCommand.backend(vertx, options, ModelRepository.load(dir));
    assertInstanceOf(SimulatedBackend.class, chosen.backend());
    assertEquals("simulated", chosen.label());
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      AnalysisService service = new AnalysisService(vertx, chosen.backend(), chosen.label(), trees,
          options);
      SpoilsServer server = await(SpoilsServer.start(vertx, service));
      try {
        List<JsonObject> events = analyze(server.port());
        assertTrue(events.stream().anyMatch(e -> e.containsKey("warning")
            && e.getJsonObject("warning").getString("code").equals("SIMULATED_BACKEND")), "warning");
        JsonObject summary = events.get(events.size() - 1).getJsonObject("summary");
        assertTrue(summary != null && summary.getInteger("discsGraded") > 0, "summary " + summary);
        assertTrue(summary.getJsonArray("models").stream().map(JsonObject.class::cast)
            .filter(m -> !m.getString("backend").equals("xgboost"))
            .allMatch(m -> m.getString("backend").equals("simulated")
                && m.getString("version").equals("0")), summary.encode());
      } finally {
        await(server.close());
      }
    }
  }

  private static List<JsonObject> analyze(int port) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/analyses?odi=45&nrs=6"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofFile(Path.of("examples/spider/slice.dcm"))).build();
    HttpResponse<String> res = HttpClient.newHttpClient().send(req,
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    return res.body().lines().map(JsonObject::new).toList();
  }
}
