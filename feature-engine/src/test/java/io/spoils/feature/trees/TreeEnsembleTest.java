package io.spoils.feature.trees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.tooling.trees.SyntheticDiscs;
import io.spoils.feature.tooling.trees.TrainingSample;
import io.spoils.feature.tooling.trees.TreesTrainer;
import io.spoils.feature.tooling.trees.TreesTrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java evaluation of the tree models ({@link TreeEnsemble} behind
 * {@link XgbTreeGrader#gradeAll}) against XGBoost's native predict, margin and predictContrib
 * ({@link XgbTreeGrader#gradeAllNative}) on the shipped model and on a freshly trained one, over
 * synthetic discs with random perturbations (complete discs: NaN never reaches the trees).
 * Measured differences are float32 rounding: probabilities within 1e-6, margins, bias and contributions within 1e-4 (they
 * are sums of 150 float32 terms per class); the predicted class is the same whenever the two
 * most probable classes are more than 1e-5 apart.
 */
class TreeEnsembleTest {

  @Test
  void gradeAll_defaultModel_equalsNativeXgboost() {
    try (XgbTreeGrader grader = XgbTreeGrader.loadDefault()) {
      compare(grader, discs(240, 3));
    }
  }

  @Test
  void gradeAll_trainedModel_equalsNativeXgboost() {
    List<TrainingSample> samples = SyntheticDiscs.samples(10, 8, 4);
    TreesTrainingConfig config = TreesTrainingConfig.defaults().withProtocol(3, 7);
    ModelInfo info = ModelInfo.current("t", "0", config.describe(), Map.of());
    try (XgbTreeGrader grader = XgbTreeGrader.of(new TreesTrainer(config).train(samples), info)) {
      compare(grader, discs(200, 8));
    }
  }

  private static void compare(XgbTreeGrader grader, List<DiscGeometry> discs) {
    List<TreeGrade> java = grader.gradeAll(discs);
    List<TreeGrade> ref = grader.gradeAllNative(discs);
    int decided = 0;
    for (int i = 0; i < discs.size(); i++) {
      TreeGrade a = java.get(i);
      TreeGrade b = ref.get(i);
      double[] pa = a.probabilities();
      double[] pb = b.probabilities();
      for (int k = 0; k < pa.length; k++) {
        assertEquals(pb[k], pa[k], 1e-6, "disc " + i + " class " + k);
      }
      if (a.predicted() != b.predicted()) {
        double gap = Math.abs(pb[a.predicted().ordinal()] - pb[b.predicted().ordinal()]);
        assertTrue(gap < 1e-5, "disc " + i + ": " + a.predicted() + " vs " + b.predicted());
        continue;
      }
      decided++;
      assertEquals(b.margin(), a.margin(), 1e-4, "disc " + i + " margin");
      assertEquals(b.bias(), a.bias(), 1e-4, "disc " + i + " bias");
      for (String f : DiscFeatures.NAMES) {
        assertEquals(b.contributions().get(f), a.contributions().get(f), 1e-4,
            "disc " + i + " " + f);
      }
    }
    assertTrue(decided > discs.size() * 0.95, decided + " of " + discs.size());
  }

  /** Synthetic discs, features scaled at random. */
  private static List<DiscGeometry> discs(int n, long seed) {
    Random random = new Random(seed);
    List<DiscGeometry> base = SyntheticDiscs.samples(n / 8 + 1, 8, seed).stream()
        .map(TrainingSample::geometry).toList();
    List<DiscGeometry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DiscGeometry d = base.get(i % base.size());
      double[] v = {d.tiltDeg(), d.anteriorHeightMm(), d.centralHeightMm(),
          d.posteriorHeightMm(), d.averageHeightMm(), d.averageWidthMm(), d.midWidthMm(),
          d.areaMm2(), d.heightIndex(), d.signalMean(), d.signalRatioToCsf(),
          d.signalRatioToVertebra(), d.signalDiffToNeighbours(), d.canalApDiameterMm()};
      for (int k = 0; k < v.length; k++) {
        v[k] = v[k] * (0.6 + 0.8 * random.nextDouble());
      }
      out.add(new DiscGeometry(d.level(), d.indexFromBottom(), d.centroidX(), d.centroidY(),
          v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
          d.volumeMm3()));
    }
    return out;
  }
}
