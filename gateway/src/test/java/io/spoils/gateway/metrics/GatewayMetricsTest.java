package io.spoils.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import io.spoils.gateway.backend.InferRequest;
import io.spoils.gateway.backend.InferResponse;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelSpec;
import io.spoils.gateway.pipeline.Stage;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

  /** Fails every call with {@code failure}. */
  private record FailingBackend(RuntimeException failure, boolean thrown) implements InferenceBackend {
    @Override
    public Future<InferResponse> infer(InferRequest request) {
      if (thrown) {
        throw failure;
      }
      return Future.failedFuture(failure);
    }

    @Override
    public Future<Void> ready() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Optional<ModelSpec> model(String name) {
      return Optional.empty();
    }

    @Override
    public List<ModelSpec> models() {
      return List.of();
    }
  }

  private static InferRequest request(String model) {
    return InferRequest.of(model, Map.of(), Deadline.after(Duration.ofSeconds(5)));
  }

  @Test
  void scrape_freshRegistryHasZeroStageSeriesAndNoTotalStage() {
    String text = new GatewayMetrics().scrape();
    assertTrue(text.contains("spoils_stage_seconds_count{stage=\"decode\"} 0"), text);
    assertTrue(text.contains("spoils_study_seconds_count 0"), text);
    assertFalse(text.contains("stage=\"total\""), text);
  }

  @Test
  void study_totalGoesToStudyHistogram() {
    GatewayMetrics m = new GatewayMetrics();
    Map<Stage, Duration> timings = new EnumMap<>(Stage.class);
    timings.put(Stage.DECODE, Duration.ofMillis(30));
    timings.put(Stage.TOTAL, Duration.ofMillis(700));
    m.study(timings);
    String text = m.scrape();
    assertTrue(text.contains("spoils_stage_seconds_count{stage=\"decode\"} 1"), text);
    assertTrue(text.contains("spoils_stage_seconds_sum{stage=\"decode\"} 0.03"), text);
    assertTrue(text.contains("spoils_study_seconds_count 1"), text);
    assertTrue(text.contains("spoils_study_seconds_bucket{le=\"1.0\"} 1"), text);
  }

  @Test
  void timedBackend_failuresLabelledByStatus() {
    GatewayMetrics m = new GatewayMetrics();
    new TimedBackend(new FailingBackend(new BackendException(BackendStatus.UNAVAILABLE, "down"),
        false), m).infer(request("spine_segmentation"));
    new TimedBackend(new FailingBackend(new IllegalStateException("bug"), true), m)
        .infer(request("disc_grading"));
    String text = m.scrape();
    assertTrue(text.contains("spoils_backend_seconds_count{model=\"spine_segmentation\","
        + "outcome=\"unavailable\"} 1"), text);
    assertTrue(text.contains("spoils_backend_seconds_count{model=\"disc_grading\","
        + "outcome=\"error\"} 1"), text);
  }

  @Test
  void rejectedAndError_countedByLabel() {
    GatewayMetrics m = new GatewayMetrics();
    m.rejected(GatewayMetrics.BUSY);
    m.rejected(GatewayMetrics.BUSY);
    m.error(413, "RESOURCE_EXHAUSTED");
    String text = m.scrape();
    assertTrue(text.contains("spoils_rejections_total{reason=\"busy\"} 2"), text);
    assertTrue(text.contains("spoils_errors_total{code=\"RESOURCE_EXHAUSTED\",status=\"413\"} 1"),
        text);
    assertEquals(GatewayMetrics.contentType(), "text/plain; version=0.0.4; charset=utf-8");
  }
}
