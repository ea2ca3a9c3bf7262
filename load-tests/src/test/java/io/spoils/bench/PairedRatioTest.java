package io.spoils.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedRatioTest {

  @Test
  void of_constantRatio_givesItWithAPointInterval() {
    double[] a = {40, 50, 60, 45, 55};
    double[] b = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = 3.5 * a[i];
    }
    PairedRatio r = PairedRatio.of(a, b, 7);
    assertEquals(5, r.pairs());
    assertEquals(50, r.medianA(), 1e-12);
    assertEquals(175, r.medianB(), 1e-12);
    assertEquals(3.5, r.ratio(), 1e-12);
    assertEquals(3.5, r.low(), 1e-12);
    assertEquals(3.5, r.high(), 1e-12);
    assertEquals(3.5, r.medianPairRatio(), 1e-12);
    assertEquals("below", r.against(4));
    assertEquals("above", r.against(3));
  }

  @Test
  void of_noisyPairs_intervalHoldsTheRatioAndWidensWithNoise() {
    double[] a = new double[40];
    double[] b = new double[40];
    double[] noisier = new double[40];
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int i = 0; i < a.length; i++) {
      a[i] = 50 + random.nextDouble(-5, 5);
      b[i] = 190 + random.nextDouble(-10, 10);
      noisier[i] = 190 + random.nextDouble(-60, 60);
    }
    PairedRatio r = PairedRatio.of(a, b, 11);
    PairedRatio wide = PairedRatio.of(a, noisier, 11);
    assertTrue(r.low() <= r.ratio() && r.ratio() <= r.high(), r.toString());
    assertTrue(r.low() > 3.4 && r.high() < 4.4, r.toString());
    assertTrue(wide.high() - wide.low() > r.high() - r.low(), wide + " vs " + r);
    assertEquals(r, PairedRatio.of(a, b, 11), "the same seed gives the same interval");
  }

  @Test
  void of_strata_poolTheMediansAndResampleWithinEach() {
    double[][] a = {{10, 10, 10}, {20, 20, 20}};
    double[][] b = {{40, 40, 40}, {60, 60, 60}};
    PairedRatio r = PairedRatio.of(a, b, 1);
    assertEquals(6, r.pairs());
    assertEquals(15, r.medianA(), 1e-12);
    assertEquals(50, r.medianB(), 1e-12);
    // resampling within each stratum keeps three pairs of each: every resample has these medians
    assertEquals(50.0 / 15, r.low(), 1e-12);
    assertEquals(50.0 / 15, r.high(), 1e-12);
    assertEquals("within", new PairedRatio(6, 15, 50, 3.33, 3.2, 4.1, 3.3).against(4));
  }

  @Test
  void of_badInput_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> PairedRatio.of(new double[] {1, 2}, new double[] {1}, 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedRatio.of(new double[0], new double[0], 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedRatio.of(new double[] {1, 0}, new double[] {1, 2}, 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedRatio.of(new double[][] {{1}}, new double[][] {{1}, {2}}, 1));
  }
}
