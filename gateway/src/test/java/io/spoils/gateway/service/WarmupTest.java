package io.spoils.gateway.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.config.ServerOptions;
import io.spoils.gateway.config.SettingsTable;
import io.spoils.gateway.pipeline.AnalysisPipeline;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WarmupTest {

  private static XgbTreeGrader trees;

  @BeforeAll
  static void load() {
    trees = XgbTreeGrader.loadDefault();
  }

  @AfterAll
  static void close() {
    trees.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void studies_fromTheEnvironment() {
    assertEquals(Warmup.DEFAULT_STUDIES, Warmup.studies(Map.of()));
    assertEquals(Warmup.DEFAULT_STUDIES, Warmup.studies(Map.of(Warmup.ENV, " ")));
    assertEquals(0, Warmup.studies(Map.of(Warmup.ENV, "0")));
    assertEquals(5, Warmup.studies(Map.of(Warmup.ENV, " 5 ")));
    for (String bad : new String[] {"-1", "51", "two", "1.5"}) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> Warmup.studies(Map.of(Warmup.ENV, bad)));
      assertTrue(e.getMessage().contains(Warmup.ENV) && e.getMessage().contains(bad),
          e.getMessage());
    }
    assertEquals(Integer.toString(Warmup.DEFAULT_STUDIES), SettingsTable.WARMUP.defaultValue());
  }

  @Test
  void study_isTheBundledExample() throws Exception {
    assertArrayEquals(Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm")),
        Warmup.study());
  }

  @Test
  void warmUp_readyOnlyAfterTheStudies_countedInNoMetric(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend();
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
        ServerOptions.defaults());
    Promise<Void> gate = backend.holdSegmentation();
    Future<Integer> done = service.warmUp(2);
    await(Future.fromCompletionStage(backend.held));
    assertFalse(service.ready().isComplete(), "not ready while a warm-up study runs");
    assertTrue(service.warmingUp());
    gate.complete();
    assertEquals(2, await(done));
    assertTrue(service.ready().succeeded());
    assertFalse(service.warmingUp());
    assertEquals(2, backend.calls(AnalysisPipeline.SEGMENTATION_MODEL));
    assertTrue(backend.calls(AnalysisPipeline.GRADING_MODEL) > 0, "the whole pipeline ran");
    var registry = service.metrics().registry();
    assertEquals(0, registry.get("spoils.study").timer().count(), "no study counted");
    assertTrue(registry.find("spoils.backend").timers().stream().allMatch(t -> t.count() == 0),
        "no backend call counted");
  }

  @Test
  void warmUp_failingStudy_endsTheWarmupAndTheServerIsReady(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend();
    backend.failNext(1);
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
        ServerOptions.defaults());
    assertEquals(0, await(service.warmUp(3)), "the first study failed");
    assertTrue(service.ready().succeeded());
    assertEquals(1, backend.calls(AnalysisPipeline.SEGMENTATION_MODEL),
        "no study after the failed one");
  }

  @Test
  void warmUp_none_readyAtOnce(Vertx vertx) throws Exception {
    ExampleBackend backend = new ExampleBackend();
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
        ServerOptions.defaults());
    assertTrue(service.ready().succeeded(), "without warmUp the backend's readiness");
    assertEquals(0, await(service.warmUp(0)));
    assertTrue(service.ready().succeeded());
    assertEquals(0, backend.calls(AnalysisPipeline.SEGMENTATION_MODEL));
  }

  @Test
  void warmUp_backendNotReady_waitsThenEndsWithoutStudies(Vertx vertx) throws Exception {
    Promise<Void> models = Promise.promise();
    ExampleBackend backend = new ExampleBackend().withReadiness(models.future());
    AnalysisService service = new AnalysisService(vertx, backend, "test", trees,
        ServerOptions.defaults());
    Future<Integer> done = service.warmUp(2);
    assertFalse(done.isComplete(), "the warm-up waits for the models");
    assertFalse(service.warmingUp(), "loading models is not warming up");
    models.fail("the models failed to load");
    assertEquals(0, await(done));
    assertTrue(service.ready().failed(), "readiness says the backend's failure");
    assertEquals(0, backend.calls(AnalysisPipeline.SEGMENTATION_MODEL));
  }
}
