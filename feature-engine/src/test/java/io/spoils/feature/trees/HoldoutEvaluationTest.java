package io.spoils.feature.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.decision.DiscClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldoutEvaluationTest {

  /** Synthetic discs with keys: groups p0..p19, disc keys = position within the group. */
  private static List<TrainingSample> keyed() {
    List<TrainingSample> out = new ArrayList<>();
    List<TrainingSample> raw = SyntheticDiscs.samples(20, 6, 7);
    for (int i = 0; i < raw.size(); i++) {
      TrainingSample s = raw.get(i);
      out.add(new TrainingSample(s.group(), Integer.toString(i % 6), s.geometry(), s.label()));
    }
    return out;
  }

  private static double[] oneHot(DiscClass c) {
    double[] p = new double[DiscClass.COUNT];
    p[c.ordinal()] = 1;
    return p;
  }

  @Test
  void run_perfectCnnAndLearnableTrees() {
    List<TrainingSample> samples = keyed();
    Set<String> validation = Set.of("p17", "p18", "p19");
    Map<String, double[]> cnn = new HashMap<>();
    samples.stream().filter(s -> validation.contains(s.group()))
        .forEach(s -> cnn.put(HoldoutEvaluation.key(s.group(), s.disc()), oneHot(s.label())));
    cnn.remove(HoldoutEvaluation.key("p19", "5"));

    HoldoutEvaluation.Result r = HoldoutEvaluation.run(samples, validation, cnn,
        TreesTrainingConfig.defaults());

    assertEquals(17, r.n());
    assertEquals(1, r.unmatched());
    assertEquals(1.0, r.cnn().accuracy(), 1e-12);
    // the synthetic classes are a function of the features, so trees trained on 17 patients
    // generalise to the 3 held out; a one-hot CNN then dominates the mean
    assertTrue(r.trees().pfirrmannWithinOne() > 0.8, "trees " + r.trees());
    assertTrue(r.ensemble().accuracy() >= r.trees().accuracy(), "mean " + r.ensemble());
  }

  @Test
  void run_splitWithoutValidationPatients() {
    assertThrows(InvalidInputException.class, () -> HoldoutEvaluation.run(keyed(),
        Set.of("nobody"), Map.of(), TreesTrainingConfig.defaults()));
  }

  @Test
  void run_noCnnPredictionForAnyValidationDisc() {
    assertThrows(InvalidInputException.class, () -> HoldoutEvaluation.run(keyed(),
        Set.of("p19"), Map.of(), TreesTrainingConfig.defaults()));
  }
}
