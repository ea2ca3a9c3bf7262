package io.spoils.feature.tooling.trees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TreesTrainerTest {
  private static List<TrainingSample> samples;
  private static CrossValidationResult cv;

  @BeforeAll
  static void crossValidateOnce() {
    samples = SyntheticDiscs.samples(30, 8, 7);
    cv = new TreesTrainer(TreesTrainingConfig.defaults()).crossValidate(samples);
  }

  @Test
  void crossValidate_learnsSyntheticRule() {
    // chance is ~1/11; the class is a noisy but separable function of two features
    assertTrue(cv.pooled().accuracy() > 0.8, "accuracy " + cv.pooled().accuracy());
    assertTrue(cv.pooled().pfirrmannExact() > 0.9, "grade " + cv.pooled().pfirrmannExact());
    assertEquals(samples.size(), cv.pooled().n());
    assertEquals(5, cv.perFold().size());
    assertEquals(samples.size(), cv.perFold().stream().mapToInt(GradingMetrics::n).sum());
  }

  @Test
  void crossValidate_deterministic() {
    List<TrainingSample> small = SyntheticDiscs.samples(10, 6, 3);
    TreesTrainer trainer = new TreesTrainer(TreesTrainingConfig.defaults().withProtocol(3, 11));
    CrossValidationResult a = trainer.crossValidate(small);
    CrossValidationResult b = trainer.crossValidate(small);
    for (int k = 0; k < DiscClass.COUNT; k++) {
      assertArrayEquals(a.pooled().confusion()[k], b.pooled().confusion()[k]);
    }
  }

  @Test
  void foldAssignment_patientsNeverSplitAndDeterministic() {
    List<String> groups = IntStream.range(0, 31).mapToObj(i -> "g" + i).toList();
    FoldAssignment a = FoldAssignment.of(groups, 5, 42);
    List<String> reversed = new ArrayList<>(groups);
    java.util.Collections.reverse(reversed);
    FoldAssignment b = FoldAssignment.of(reversed, 5, 42);
    FoldAssignment other = FoldAssignment.of(groups, 5, 43);
    Map<Integer, Integer> sizes = new HashMap<>();
    boolean differs = false;
    for (String g : groups) {
      assertEquals(a.foldOf(g), b.foldOf(g));
      differs |= a.foldOf(g) != other.foldOf(g);
      sizes.merge(a.foldOf(g), 1, Integer::sum);
    }
    assertTrue(differs);
    assertEquals(5, sizes.size());
    assertTrue(sizes.values().stream().allMatch(s -> s == 6 || s == 7), sizes.toString());
  }

  @Test
  void foldAssignment_tooFewPatients() {
    assertThrows(InvalidInputException.class, () -> FoldAssignment.of(List.of("a", "b"), 5, 1));
    assertThrows(InvalidInputException.class, () -> FoldAssignment.of(List.of("a", "b"), 1, 1));
  }

  @Test
  void classWeights_inverseToFrequency() {
    List<TrainingSample> s = new ArrayList<>(SyntheticDiscs.samples(1, 0, 1));
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 3; i++) {
      s.add(new TrainingSample("a", SyntheticDiscs.disc(DiscClass.P3L, 0, r), DiscClass.P3L));
    }
    s.add(new TrainingSample("a", SyntheticDiscs.disc(DiscClass.P5H, 0, r), DiscClass.P5H));
    float[] w = TreesTrainer.classWeights(s);
    // n=4, 2 classes: 3L -> 4/(2*3), 5H -> 4/(2*1); each class totals 2
    assertEquals(4f / 6f, w[0], 1e-6);
    assertEquals(2f, w[3], 1e-6);
    assertNotEquals(w[0], w[3]);
  }

  @Test
  void config_invalid() {
    assertThrows(InvalidInputException.class,
        () -> TreesTrainingConfig.defaults().withProtocol(1, 42));
    assertThrows(InvalidInputException.class,
        () -> new TreesTrainingConfig(5, 1, 10, 3, 0, 1, 0.8, 0.8, 1));
  }

  @Test
  void crossValidate_noSamples() {
    TreesTrainer trainer = new TreesTrainer(TreesTrainingConfig.defaults());
    assertThrows(InvalidInputException.class, () -> trainer.crossValidate(List.of()));
  }
}
