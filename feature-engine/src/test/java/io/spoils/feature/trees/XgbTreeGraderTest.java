package io.spoils.feature.trees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.tooling.trees.CrossValidationResult;
import io.spoils.feature.tooling.trees.SyntheticDiscs;
import io.spoils.feature.tooling.trees.TrainingSample;
import io.spoils.feature.tooling.trees.TreesModelWriter;
import io.spoils.feature.tooling.trees.TreesTrainer;
import io.spoils.feature.tooling.trees.TreesTrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XgbTreeGraderTest {
  private static List<TrainingSample> samples;
  private static XgbTreeGrader grader;
  private static ModelInfo info;

  @BeforeAll
  static void trainSmallModel() {
    samples = SyntheticDiscs.samples(12, 8, 5);
    TreesTrainingConfig config = TreesTrainingConfig.defaults().withProtocol(3, 42);
    info = ModelInfo.current("test-trees", "0.0.1", config.describe(), Map.of("discs", 96));
    grader = XgbTreeGrader.of(new TreesTrainer(config).train(samples), info);
  }

  @AfterAll
  static void close() {
    grader.close();
  }

  private static List<DiscGeometry> discs() {
    return samples.stream().limit(16).map(TrainingSample::geometry).toList();
  }

  @Test
  void gradeAll_discWithNaNFeature_refusedNamingIt() {
    DiscGeometry d = discs().get(2);
    DiscGeometry partial = new DiscGeometry(d.level(), d.indexFromBottom(), d.centroidX(),
        d.centroidY(), d.tiltDeg(), Double.NaN, Double.NaN, Double.NaN, d.averageHeightMm(),
        d.averageWidthMm(), d.midWidthMm(), d.areaMm2(), d.heightIndex(), d.signalMean(),
        d.signalRatioToCsf(), d.signalRatioToVertebra(), d.signalDiffToNeighbours(),
        d.canalApDiameterMm(), d.volumeMm3());
    assertFalse(DiscFeatures.complete(partial));
    assertEquals(List.of("anterior_height_mm", "central_height_mm", "posterior_height_mm",
        "posterior_to_anterior_height"), DiscFeatures.missing(partial));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> grader.gradeAll(List.of(discs().get(0), partial)));
    assertTrue(e.getMessage().contains("anterior_height_mm"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> grader.grade(partial));
    assertThrows(IllegalArgumentException.class, () -> grader.gradeAllNative(List.of(partial)));
  }

  @Test
  void train_sampleWithNaNFeature_refused() {
    TrainingSample s = samples.get(0);
    DiscGeometry d = s.geometry();
    DiscGeometry noIndex = new DiscGeometry(d.level(), d.indexFromBottom(), d.centroidX(),
        d.centroidY(), d.tiltDeg(), d.anteriorHeightMm(), d.centralHeightMm(),
        d.posteriorHeightMm(), d.averageHeightMm(), d.averageWidthMm(), d.midWidthMm(),
        d.areaMm2(), Double.NaN, d.signalMean(), d.signalRatioToCsf(), d.signalRatioToVertebra(),
        d.signalDiffToNeighbours(), d.canalApDiameterMm(), d.volumeMm3());
    List<TrainingSample> withNaN = new java.util.ArrayList<>(samples);
    withNaN.set(0, new TrainingSample(s.group(), noIndex, s.label()));
    assertThrows(IllegalArgumentException.class,
        () -> new TreesTrainer(TreesTrainingConfig.defaults()).train(withNaN));
  }

  @Test
  void gradeAll_probabilitiesAndContributionsConsistent() {
    List<TreeGrade> grades = grader.gradeAll(discs());
    assertEquals(16, grades.size());
    for (TreeGrade g : grades) {
      double[] p = g.probabilities();
      assertEquals(11, p.length);
      assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-9);
      assertEquals(DiscFeatures.NAMES, List.copyOf(g.contributions().keySet()));
      double sum = g.bias() + g.contributions().values().stream().mapToDouble(d -> d).sum();
      assertEquals(g.margin(), sum, 1e-3);
      for (double v : p) {
        assertTrue(v <= g.confidence());
      }
    }
  }

  @Test
  void gradeAll_learnsTrainingLabels() {
    List<TreeGrade> grades = grader.gradeAll(discs());
    long right = 0;
    for (int i = 0; i < grades.size(); i++) {
      right += grades.get(i).predicted() == samples.get(i).label() ? 1 : 0;
    }
    assertTrue(right >= 14, right + " of 16");
  }

  @Test
  void grade_singleEqualsBatch() {
    DiscGeometry d = discs().get(3);
    assertEquals(grader.gradeAll(discs()).get(3), grader.grade(d));
    assertEquals(d.level(), grader.grade(d).level());
    assertTrue(grader.gradeAll(List.of()).isEmpty());
  }

  @Test
  void gradeAll_concurrentCallersGetSameResults() throws Exception {
    List<TreeGrade> expected = grader.gradeAll(discs());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<TreeGrade>>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(pool.submit(() -> grader.gradeAll(discs())));
      }
      for (Future<List<TreeGrade>> f : futures) {
        assertEquals(expected, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void write_thenLoadGivesSameGrades(@TempDir Path dir) throws Exception {
    List<TrainingSample> small = SyntheticDiscs.samples(6, 6, 9);
    TreesTrainer trainer = new TreesTrainer(TreesTrainingConfig.defaults().withProtocol(3, 1));
    CrossValidationResult cv = trainer.crossValidate(small);
    ml.dmlc.xgboost4j.java.Booster booster = trainer.train(small);
    TreesModelWriter.write(dir, booster, info, cv);
    try (XgbTreeGrader trained = XgbTreeGrader.of(booster, info);
        XgbTreeGrader loaded = XgbTreeGrader.load(dir)) {
      List<DiscGeometry> d = small.stream().map(TrainingSample::geometry).toList();
      List<TreeGrade> a = trained.gradeAll(d);
      List<TreeGrade> b = loaded.gradeAll(d);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i).probabilities(), b.get(i).probabilities(), 1e-6);
      }
      assertEquals(info.featureNames(), loaded.info().featureNames());
    }
    String card = Files.readString(dir.resolve(TreesModelWriter.CARD_FILE));
    assertTrue(card.contains("CC BY 4.0") && card.contains("not a diagnosis"));
    assertTrue(card.contains("Scientific Data 11:264 (2024)"));
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve(TreesModelWriter.METRICS_FILE)
        .toFile());
    assertEquals(36, metrics.path("pooled").path("n").asInt());
    assertEquals(3, metrics.path("per_fold").size());
    assertEquals(11, metrics.path("pooled").path("confusion_rows_reference_cols_predicted").size());
  }

  @Test
  void load_refusesOtherFeatureContract(@TempDir Path dir) throws Exception {
    ModelInfo wrong = new ModelInfo("x", "1", List.of("a", "b"), info.classOrder(), Map.of(),
        Map.of());
    List<TrainingSample> small = SyntheticDiscs.samples(6, 6, 9);
    ml.dmlc.xgboost4j.java.Booster booster =
        new TreesTrainer(TreesTrainingConfig.defaults()).train(small);
    try {
      TreesModelWriter.write(dir, booster, wrong,
          new TreesTrainer(TreesTrainingConfig.defaults().withProtocol(2, 1)).crossValidate(small));
    } finally {
      booster.dispose();
    }
    assertThrows(InvalidInputException.class, () -> XgbTreeGrader.load(dir));
  }

  @Test
  void load_missingFiles(@TempDir Path dir) {
    assertThrows(InvalidInputException.class, () -> XgbTreeGrader.load(dir));
  }
}
