package io.spoils.feature.decision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import org.junit.jupiter.api.Test;

class GradeEnsembleTest {

  private static double[] oneHotish(int index, double mass) {
    double[] p = new double[DiscClass.COUNT];
    java.util.Arrays.fill(p, (1 - mass) / (DiscClass.COUNT - 1));
    p[index] = mass;
    return p;
  }

  @Test
  void combine_meanOfBoth() {
    double[] cnn = oneHotish(DiscClass.P4M.ordinal(), 0.5);
    double[] trees = oneHotish(DiscClass.P4H.ordinal(), 0.7);
    EnsembleGrade g = GradeEnsemble.combine(cnn, trees).orElseThrow();
    assertEquals(DiscClass.P4H, g.discClass());
    assertEquals((0.7 + 0.05) / 2, g.confidence(), 1e-12);
    assertEquals((0.5 + 0.03) / 2, g.probabilities()[DiscClass.P4M.ordinal()], 1e-12);
    assertEquals(EnsembleGrade.Sources.CNN_AND_TREES, g.sources());
    double sum = 0;
    for (double v : g.probabilities()) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-9);
  }

  @Test
  void combine_cnnOnly() {
    double[] cnn = oneHotish(DiscClass.P2L.ordinal(), 0.9);
    EnsembleGrade g = GradeEnsemble.combine(cnn, null).orElseThrow();
    assertEquals(DiscClass.P2L, g.discClass());
    assertArrayEquals(cnn, g.probabilities());
    assertEquals(EnsembleGrade.Sources.CNN_ONLY, g.sources());
    assertTrue(g.note().contains("CNN probabilities only"));
  }

  @Test
  void combine_treesOnlyFloat() {
    float[] trees = new float[DiscClass.COUNT];
    trees[DiscClass.P5H.ordinal()] = 1f;
    EnsembleGrade g = GradeEnsemble.combine(null, trees).orElseThrow();
    assertEquals(DiscClass.P5H, g.discClass());
    assertEquals(EnsembleGrade.Sources.TREES_ONLY, g.sources());
    assertTrue(g.note().contains("Trees probabilities only"));
  }

  @Test
  void combine_neither() {
    assertTrue(GradeEnsemble.combine((double[]) null, null).isEmpty());
  }

  @Test
  void combine_invalidVectors() {
    double[] ok = oneHotish(0, 0.5);
    double[] shortVec = new double[10];
    double[] nan = ok.clone();
    nan[3] = Double.NaN;
    double[] negative = ok.clone();
    negative[0] = -0.1;
    negative[1] += 0.1;
    double[] notNormalised = ok.clone();
    notNormalised[0] += 0.1;
    for (double[] bad : new double[][] {shortVec, nan, negative, notNormalised}) {
      assertThrows(InvalidInputException.class, () -> GradeEnsemble.combine(bad, ok));
      assertThrows(InvalidInputException.class, () -> GradeEnsemble.combine(ok, bad));
    }
  }
}
