package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.LevelGrade;
import io.spoils.feature.decision.TreatmentRule;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.ModelRepository;
import io.spoils.gateway.backend.OnnxRuntimeBackend;
import io.spoils.gateway.backend.OnnxRuntimeOptions;
import io.spoils.gateway.testing.RealModels;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline with the real models of triton-models/ on the embedded backend. */
@ExtendWith(VertxExtension.class)
class RealModelPipelineTest {

  static final Path MODELS = Path.of("../triton-models");

  /** Skips (with the reason) unless both trained models are in the repository. */
  static void assumeRealModels() {
    for (String m : List.of(AnalysisPipeline.SEGMENTATION_MODEL, AnalysisPipeline.GRADING_MODEL)) {
      Assumptions.assumeTrue(RealModels.present(MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
      Assumptions.assumeFalse(ModelRepository.load(MODELS).untrained(m),
          "triton-models/" + m + " has untrained weights: no spine to find yet");
    }
  }

  @Test
  void analyze_realModels_exampleGradedConsistently(Vertx vertx) throws Exception {
    assumeRealModels();
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(vertx, ModelRepository.load(MODELS),
        OnnxRuntimeOptions.defaults());
    try (XgbTreeGrader trees = XgbTreeGrader.loadDefault()) {
      AnalysisPipelineTest.await(backend.ready());
      ClinicalScores scores = new ClinicalScores(45, 7);
      List<PipelineEvent> events = new CopyOnWriteArrayList<>();
      AnalysisPipelineTest.load(trees);
      PipelineEvent.Summary summary = AnalysisPipelineTest.await(new AnalysisPipeline(vertx,
          backend, "onnxruntime-cpu", trees, PipelineOptions.defaults())
          .analyze(AnalysisPipelineTest.example(Optional.of(scores)), events::add));
      List<PipelineEvent> main = events.stream()
          .filter(e -> !(e instanceof PipelineEvent.Warning)).toList();
      assertInstanceOf(PipelineEvent.Accepted.class, main.get(0));
      assertInstanceOf(PipelineEvent.Segmentation.class, main.get(1));
      assertEquals(summary, main.get(main.size() - 1));
      List<PipelineEvent.Disc> discs = AnalysisPipelineTest.discs(events);
      assertFalse(discs.isEmpty());
      TreatmentRule rule = TreatmentRule.withDefaults();
      for (PipelineEvent.Disc d : discs) {
        if (d.level() == DiscLevel.THORACIC) {
          assertFalse(d.graded());
          continue;
        }
        assertTrue(d.graded(), d.level() + " graded");
        float[] cnn = d.cnn().orElseThrow();
        double[] t = d.trees().orElseThrow().probabilities();
        double[] e = d.ensemble().orElseThrow().probabilities();
        double sumCnn = 0;
        double sum = 0;
        for (int k = 0; k < e.length; k++) {
          assertEquals((cnn[k] + t[k]) / 2, e[k], 1e-6);
          sumCnn += cnn[k];
          sum += e[k];
        }
        assertEquals(1.0, sumCnn, 1e-3);
        assertEquals(1.0, sum, 1e-3);
        assertEquals(rule.decide(new LevelGrade(d.level(), d.ensemble().get().discClass()), scores)
            .stratum(), d.decision().stratum());
      }
      assertEquals(3, summary.models().size());
      summary.models().forEach(m -> assertFalse(m.version().isEmpty(), m.name()));
      assertEquals(Stage.values().length, summary.timings().size());
      assertTrue(summary.timings().get(Stage.SEGMENTATION).toNanos() > 0);
    } finally {
      AnalysisPipelineTest.await(backend.close());
    }
  }
}
