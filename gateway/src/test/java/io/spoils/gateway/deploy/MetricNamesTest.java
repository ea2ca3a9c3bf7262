package io.spoils.gateway.deploy;

import static io.spoils.gateway.deploy.RunningGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.testing.DefaultTrees;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric the Grafana dashboard and the Prometheus rules query is exported by a running
 * gateway, with the labels their matchers use, after analyses that succeed, fail on bad input, fail
 * in the backend and are refused. Names the rules record themselves, Triton's ({@code nv_*}) and
 * Prometheus' own ({@code up}, {@code ALERTS}) are not the gateway's and are left out; the labels
 * Prometheus adds at scrape time ({@code job}, {@code instance}) likewise.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class MetricNamesTest {

  private static final Set<String> NOT_GATEWAY = Set.of("up", "ALERTS");
  private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "alertname",
      "alertstate");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
  private static XgbTreeGrader trees;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
  }

  @Test
  void dashboardAndRules_everyMetricQueried_isExportedByTheGateway(Vertx vertx) throws Exception {
    Map<String, Set<String>> exported = exportedAfterTraffic(vertx);
    Set<String> recorded = PromQl.recorded(PromQl.RULES);
    List<String> exprs = new ArrayList<>(PromQl.dashboardExprs());
    exprs.addAll(PromQl.ruleExprs(PromQl.RULES));

    Set<String> queried = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    for (String expr : exprs) {
      for (String name : PromQl.metricNames(expr)) {
        if (recorded.contains(name) || name.startsWith("nv_") || NOT_GATEWAY.contains(name)) {
          continue;
        }
        queried.add(name);
        if (!exported.containsKey(name)) {
          missing.add(name + " (in " + expr + ")");
        }
      }
      PromQl.matcherLabels(expr).forEach((name, labels) -> {
        for (String label : labels) {
          if (exported.containsKey(name) && !SCRAPE_LABELS.contains(label)
              && !exported.get(name).contains(label)) {
            missing.add(name + " has no label " + label + " (in " + expr + ")");
          }
        }
      });
    }
    assertTrue(missing.isEmpty(), "queried but not exported:\n" + String.join("\n", missing));
    // the lexer really found the series (a parser that finds nothing would pass the loop above)
    assertTrue(queried.containsAll(List.of("spoils_stage_seconds_bucket",
        "spoils_study_seconds_bucket", "spoils_study_seconds_count", "spoils_backend_seconds_bucket",
        "spoils_backend_seconds_count", "spoils_errors_total", "spoils_rejections_total",
        "spoils_studies_in_flight", "spoils_studies_queued", "jvm_memory_used_bytes",
        "jvm_memory_max_bytes")), queried.toString());
  }

  @Test
  void dashboard_recordedSeriesItUses_areDefinedByTheRules() throws Exception {
    Set<String> recorded = PromQl.recorded(PromQl.RULES);
    assertTrue(recorded.size() >= 10, recorded.toString());
    for (String expr : PromQl.dashboardExprs()) {
      for (String name : PromQl.metricNames(expr)) {
        if (name.contains(":")) {
          assertTrue(recorded.contains(name), name + " is not recorded by " + PromQl.RULES);
        }
      }
    }
  }

  @Test
  void metricNames_histogramQuantileQuery_findsOnlyTheSeries() {
    assertEquals(Set.of("spoils_stage_seconds_bucket"), PromQl.metricNames(
        "histogram_quantile(0.95, sum by (stage, le) (rate(spoils_stage_seconds_bucket"
            + "{job=~\"$job\",stage!=\"x{y}\"}[$__rate_interval])))"));
    assertEquals(Set.of("a_total", "b:rate5m"), PromQl.metricNames(
        "sum(rate(a_total[5m])) / ignoring(stage) group_left b:rate5m > 1e-3 and on() vector(0)"));
    assertEquals(Map.of("x_bytes", Set.of("job", "area")),
        PromQl.matcherLabels("sum(x_bytes{job=\"a\",area=\"heap\"} > 0)"));
  }

  /** Sample name to label names, scraped after traffic of every kind. */
  private Map<String, Set<String>> exportedAfterTraffic(Vertx vertx) throws Exception {
    try (RunningGateway gw = RunningGateway.start(vertx, trees, 2)) {
      byte[] slice = RunningGateway.slice();
      assertEquals(200, gw.analyze(slice).get(30, TimeUnit.SECONDS).statusCode());
      assertEquals(400, gw.analyze("not DICOM".getBytes()).get(30, TimeUnit.SECONDS).statusCode());
      gw.backend.failNext(1);
      // segmentation fails before the response is committed: a 503 problem, counted as an error
      HttpResponse<String> failed = gw.analyze(slice).get(30, TimeUnit.SECONDS);
      assertEquals(503, failed.statusCode(), failed.body());
      await(gw.service.drain().start(vertx, Duration.ofSeconds(1)));
      assertEquals(503, gw.analyze(slice).get(30, TimeUnit.SECONDS).statusCode());
      HttpResponse<String> metrics = gw.get("/metrics");
      assertEquals(200, metrics.statusCode());
      return samples(metrics.body());
    }
  }

  static Map<String, Set<String>> samples(String exposition) {
    Map<String, Set<String>> out = new HashMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Set<String> labels = out.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
      if (m.group(3) != null) {
        for (String pair : m.group(3).split(",(?=[a-zA-Z_][a-zA-Z0-9_]*=)")) {
          labels.add(pair.substring(0, pair.indexOf('=')));
        }
      }
    }
    return out;
  }
}
