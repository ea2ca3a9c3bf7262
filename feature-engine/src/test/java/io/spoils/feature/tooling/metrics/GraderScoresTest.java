package io.spoils.feature.tooling.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spoils.feature.decision.DiscClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraderScoresTest {

  private static double[] p(DiscClass top, double pTop, DiscClass second) {
    double[] v = new double[DiscClass.COUNT];
    v[top.ordinal()] = pTop;
    v[second.ordinal()] = 1 - pTop;
    return v;
  }

  @Test
  void pfirrmannOf_sumsTheSeverityClassesOfAGrade() {
    double[] v = new double[DiscClass.COUNT];
    v[DiscClass.P3L.ordinal()] = 0.3;
    v[DiscClass.P3M.ordinal()] = 0.3;
    v[DiscClass.P4L.ordinal()] = 0.4;
    assertEquals(3, GraderScores.pfirrmannOf(v), "0.6 for grade 3 beats the top class's 0.4");
  }

  @Test
  void of_fourDiscs_handValues() {
    // reference 2L, 3M, 4L, 5H; predictions: 2L (0.9, right), 3L (0.6, grade right, class
    // wrong), 5L (0.7, one grade off), 3L (0.55, two grades off)
    List<DiscClass> reference = List.of(DiscClass.P2L, DiscClass.P3M, DiscClass.P4L,
        DiscClass.P5H);
    List<double[]> probabilities = List.of(p(DiscClass.P2L, 0.9, DiscClass.P1L),
        p(DiscClass.P3L, 0.6, DiscClass.P3M), p(DiscClass.P5L, 0.7, DiscClass.P4L),
        p(DiscClass.P3L, 0.55, DiscClass.P5H));
    GraderScores s = GraderScores.of(reference, probabilities);
    assertEquals(4, s.n());
    assertEquals(0.5, s.pfirrmannExact(), 1e-12);
    assertEquals(0.75, s.pfirrmannWithinOne(), 1e-12);
    // recalls per grade: 2 1/1, 3 1/1, 4 0/1, 5 0/1
    assertEquals(0.5, s.pfirrmannBalancedAccuracy(), 1e-12);
    assertEquals(0.25, s.accuracy11(), 1e-12);
    // bins: 0.9 right (gap 0.1), 0.6 wrong (0.6), 0.7 wrong (0.7), 0.55 wrong (0.55)
    assertEquals((0.1 + 0.6 + 0.7 + 0.55) / 4, s.ece(), 1e-12);
    assertEquals((0.9 + 0.6 + 0.7 + 0.55) / 4, s.meanConfidence(), 1e-12);
    assertEquals(1, s.pfirrmannConfusion()[3][4], "reference 4 predicted 5");
    // grades (ref, pred): (2,2) (3,3) (4,5) (5,3) as 0-based (1,1) (2,2) (3,4) (4,2)
    // observed sum (i-j)^2 = 1 + 4 = 5; rows 0,1,1,1,1 cols 0,1,2,0,1:
    // expected = sum r_i c_j (i-j)^2 / 4 = (i=1: 0+2*1+1*9=11; i=2: 1+0+4=5; i=3: 4+2*1+1=7;
    // i=4: 9+2*4+0=17) / 4 = 40 / 4 = 10 -> kappa = 1 - 5/10 = 0.5
    assertEquals(0.5, s.pfirrmannKappa(), 1e-12);
  }

  @Test
  void toMap_nanBecomesNull() {
    GraderScores s = GraderScores.of(List.of(), List.of());
    assertEquals(0, s.n());
    assertNull(s.toMap().get("pfirrmann_exact"));
  }
}
