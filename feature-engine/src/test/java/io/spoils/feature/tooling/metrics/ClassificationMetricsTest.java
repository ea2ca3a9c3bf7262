package io.spoils.feature.tooling.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The measures against values computed by hand (the working is in each test). */
class ClassificationMetricsTest {

  /** Reference [0, 1, 2, 2], predicted [0, 2, 2, 1]. */
  private static final int[][] THREE = {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}};

  @Test
  void quadraticWeightedKappa_threeClasses_handValue() {
    // weights (i-j)^2/4; observed: w12 + w21 = 0.5; marginals rows 1,1,2 cols 1,1,2, n = 4:
    // expected = (0.25*1 + 0.25*1 + 1*2 + 1*2 + 0.25*2 + 0.25*2) / 4 = 5.5 / 4 = 1.375
    // kappa = 1 - 0.5 / 1.375 = 7/11
    assertEquals(7.0 / 11, ClassificationMetrics.quadraticWeightedKappa(THREE), 1e-12);
  }

  @Test
  void quadraticWeightedKappa_fiveGrades_handValue() {
    // reference grades 1,2,3,4,5,3 against 1,3,3,5,5,2 (as 0-based indices below):
    // observed sum (i-j)^2 = 1 + 1 + 1 = 3; expected sum r_i c_j (i-j)^2 / n = 138 / 6 = 23
    int[][] c = new int[5][5];
    int[] ref = {0, 1, 2, 3, 4, 2};
    int[] pred = {0, 2, 2, 4, 4, 1};
    for (int i = 0; i < ref.length; i++) {
      c[ref[i]][pred[i]]++;
    }
    assertEquals(20.0 / 23, ClassificationMetrics.quadraticWeightedKappa(c), 1e-12);
  }

  @Test
  void quadraticWeightedKappa_perfectAndUndefined() {
    assertEquals(1.0, ClassificationMetrics.quadraticWeightedKappa(
        new int[][] {{2, 0, 0}, {0, 3, 0}, {0, 0, 1}}), 1e-12);
    assertTrue(Double.isNaN(ClassificationMetrics.quadraticWeightedKappa(
        new int[][] {{0, 0}, {0, 4}})), "one class on both sides: undefined");
    assertTrue(Double.isNaN(ClassificationMetrics.quadraticWeightedKappa(new int[3][3])));
  }

  @Test
  void balancedAccuracy_meanRecallOfPresentClasses() {
    // recalls: class 0 1/1, class 1 0/1, class 2 1/2 -> (1 + 0 + 0.5) / 3 = 0.5
    assertEquals(0.5, ClassificationMetrics.balancedAccuracy(THREE), 1e-12);
    // a class absent from the reference is left out: recalls 2/3 and 1/1 -> 5/6
    assertEquals(5.0 / 6, ClassificationMetrics.balancedAccuracy(
        new int[][] {{2, 1, 0}, {0, 0, 0}, {0, 0, 1}}), 1e-12);
    assertEquals(0.5, ClassificationMetrics.accuracy(THREE), 1e-12);
  }

  @Test
  void expectedCalibrationError_tenBins_handValue() {
    // bins 10 (0.95): right, gap 0.05; 9 (0.85): wrong, gap 0.85; 6 (0.55): right, gap 0.45;
    // 5 (0.45): right, gap 0.55 -> ECE = (0.05 + 0.85 + 0.45 + 0.55) / 4 = 0.475
    double[] conf = {0.95, 0.85, 0.55, 0.45};
    boolean[] correct = {true, false, true, true};
    assertEquals(0.475, ClassificationMetrics.expectedCalibrationError(conf, correct, 10), 1e-12);
  }

  @Test
  void expectedCalibrationError_sharedBin_gapOfTheBinMeans() {
    // both in bin (0.7, 0.8]: mean confidence 0.75, accuracy 0.5 -> ECE 0.25 (not the mean of
    // the two cases' own gaps, 0.5)
    double[] conf = {0.7 + 1e-9, 0.8};
    boolean[] correct = {true, false};
    assertEquals(0.25, ClassificationMetrics.expectedCalibrationError(conf, correct, 10), 1e-6);
    ClassificationMetrics.Reliability r = ClassificationMetrics.reliability(conf, correct, 10);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 0}, r.counts());
  }

  @Test
  void reliability_edgesOfTheBins() {
    // 0 falls in the first bin, 0.1 closes the first bin, 1 closes the last
    ClassificationMetrics.Reliability r = ClassificationMetrics.reliability(
        new double[] {0, 0.1, 1}, new boolean[] {false, false, true}, 10);
    assertEquals(2, r.counts()[0]);
    assertEquals(1, r.counts()[9]);
    assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.reliability(
        new double[] {1.5}, new boolean[] {true}, 10));
  }
}
