package io.spoils.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.pipeline.Stage;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, installed by bin/setup) scrapes a running gateway
 * every second with the project's rule file loaded; after some analyses, PromQL over its HTTP API
 * returns one latency series per pipeline stage, and the recording rules evaluate. Skipped when
 * the binary is absent. The Prometheus process is always killed.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class PrometheusScrapeTest {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static XgbTreeGrader trees;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process prometheus;
  private int promPort;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
  }

  @AfterEach
  void kill() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(5, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void prometheus_scrapingGateway_queriesPerStageLatencyAndRecordingRules(Vertx vertx,
      @TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
        PROMETHEUS + " is absent (bin/setup installs Debian's prometheus): test skipped");
    try (RunningGateway gw = RunningGateway.start(vertx, trees, 2)) {
      startPrometheus(dir, gw.server.port());
      awaitQuery("up{job=\"spoils-gateway\"} == 1", r -> r.size() == 1, "the first scrape");
      byte[] slice = RunningGateway.slice();
      for (int i = 0; i < 3; i++) {
        assertEquals(200, gw.analyze(slice).get(30, TimeUnit.SECONDS).statusCode());
      }

      JsonArray stages = awaitQuery("histogram_quantile(0.95, sum by (stage, le) "
          + "(rate(spoils_stage_seconds_bucket{job=\"spoils-gateway\"}[30s])))",
          r -> finite(r) == expectedStages().size(), "one p95 series per stage");
      assertEquals(expectedStages(), labelValues(stages, "stage"));
      awaitQuery("spoils:stage_seconds:p95_5m", r -> finite(r) == expectedStages().size(),
          "the stage recording rule");
      // the raw counter, not increase(): with two samples its extrapolation is far from exact
      awaitQuery("spoils_study_seconds_count{job=\"spoils-gateway\"}",
          r -> finite(r) == 1 && value(r.getJsonObject(0)) == 3.0, "three studies counted");
      awaitQuery("spoils:requests:rate5m", r -> finite(r) == 1 && value(r.getJsonObject(0)) > 0,
          "the request-rate recording rule");
    }
  }

  private static Set<String> expectedStages() {
    return Arrays.stream(Stage.values()).filter(s -> s != Stage.TOTAL)
        .map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
  }

  private void startPrometheus(Path dir, int gatewayPort) throws IOException {
    Path rules = Files.copy(PromQl.RULES, dir.resolve("spoils-alerts.yml"));
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "rule_files: ['" + rules + "']",
        "scrape_configs:",
        "  - job_name: spoils-gateway",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + gatewayPort + "']",
        ""));
    promPort = freePort();
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Polls an instant query until {@code done} holds for its result vector, or fails after WAIT. */
  private JsonArray awaitQuery(String promql, Predicate<JsonArray> done, String what)
      throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < end) {
      assertTrue(prometheus.isAlive(), "prometheus exited with " + exitValue());
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + promPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        last = r.body();
        if (r.statusCode() == 200) {
          JsonArray result = new JsonObject(r.body()).getJsonObject("data").getJsonArray("result");
          if (done.test(result)) {
            return result;
          }
        }
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("waiting for " + what + ": " + promql + " -> " + last);
  }

  private String exitValue() {
    return prometheus.isAlive() ? "(running)" : Integer.toString(prometheus.exitValue());
  }

  private static long finite(JsonArray result) {
    return result.stream().map(JsonObject.class::cast).filter(s -> Double.isFinite(value(s)))
        .count();
  }

  private static double value(JsonObject sample) {
    return Double.parseDouble(sample.getJsonArray("value").getString(1));
  }

  private static Set<String> labelValues(JsonArray result, String label) {
    return result.stream().map(JsonObject.class::cast)
        .map(s -> s.getJsonObject("metric").getString(label))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
