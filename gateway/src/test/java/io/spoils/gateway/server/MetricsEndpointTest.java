package io.spoils.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.pipeline.Stage;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics} on a real socket, after analyses through the gated fake backend. */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

  private static byte[] slice;
  @RegisterExtension
  final StartedServer servers = new StartedServer();
  private SpoilsServer server;
  private ExampleBackend backend;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void load() throws Exception {
    slice = Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
  }

  private void start(Vertx vertx, ServerOptions options) throws Exception {
    backend = new ExampleBackend();
    server = servers.start(vertx, backend, options).server;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpRequest analysis(byte[] body) {
    return HttpRequest.newBuilder(uri("/v1/analyses?odi=45&nrs=7"))
        .header("Content-Type", "application/dicom")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private String metrics() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return r.body();
  }

  /** The value of the sample {@code name} whose labels include all of {@code labels}. */
  static double sample(String text, String name, Map<String, String> labels) {
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = labels.entrySet().stream()
          .allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample " + name + labels + " in:\n" + text);
  }

  @Test
  void metrics_afterAnalysisAndBadInputHaveStagesBackendAndErrors(Vertx vertx) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0));
    HttpResponse<String> ok = http.send(analysis(slice), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains("\"summary\""), ok.body());

    String text = metrics();
    for (Stage s : Stage.values()) {
      if (s != Stage.TOTAL) {
        String stage = s.name().toLowerCase(Locale.ROOT);
        assertEquals(1.0, sample(text, "spoils_stage_seconds_count", Map.of("stage", stage)), stage);
        assertTrue(sample(text, "spoils_stage_seconds_bucket",
            Map.of("stage", stage, "le", "+Inf")) >= 1.0, stage);
      }
    }
    assertEquals(1.0, sample(text, "spoils_study_seconds_count", Map.of()));
    assertEquals(1.0, sample(text, "spoils_backend_seconds_count",
        Map.of("model", AnalysisPipeline.SEGMENTATION_MODEL, "outcome", "ok")));
    assertTrue(sample(text, "spoils_backend_seconds_count",
        Map.of("model", AnalysisPipeline.GRADING_MODEL, "outcome", "ok")) >= 1.0);
    assertEquals(0.0, sample(text, "spoils_studies_in_flight", Map.of()));
    assertEquals(0.0, sample(text, "spoils_studies_queued", Map.of()));
    assertTrue(!text.contains("spoils_errors_total{"), "no error yet");

    HttpResponse<String> bad = http.send(analysis("not a DICOM file".getBytes()),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertEquals(1.0, sample(metrics(), "spoils_errors_total",
        Map.of("status", "400", "code", "INVALID_ARGUMENT")));
  }

  @Test
  void metrics_busyServerCountsRejectionAndShowsInFlight(Vertx vertx) throws Exception {
    start(vertx, ServerOptions.defaults().withHost("127.0.0.1").withPort(0).withAdmission(1, 0));
    Promise<Void> gate = backend.holdSegmentation();
    CompletableFuture<HttpResponse<String>> first = http.sendAsync(analysis(slice),
        HttpResponse.BodyHandlers.ofString());
    backend.held.get(30, TimeUnit.SECONDS);
    assertEquals(1.0, sample(metrics(), "spoils_studies_in_flight", Map.of()));
    HttpResponse<String> refused = http.send(analysis(slice), HttpResponse.BodyHandlers.ofString());
    assertEquals(429, refused.statusCode());
    vertx.runOnContext(v -> gate.complete());
    assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
    String text = metrics();
    assertEquals(1.0, sample(text, "spoils_rejections_total", Map.of("reason", "busy")));
    assertEquals(1.0, sample(text, "spoils_errors_total",
        Map.of("status", "429", "code", "RESOURCE_EXHAUSTED")));
    assertEquals(0.0, sample(text, "spoils_studies_in_flight", Map.of()));
  }
}
