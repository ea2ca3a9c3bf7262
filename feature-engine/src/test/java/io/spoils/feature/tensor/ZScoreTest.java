package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import org.junit.jupiter.api.Test;

class ZScoreTest {

  @Test
  void normalise_knownValues() {
    // mean 2.5, population variance 1.25
    double std = Math.sqrt(1.25);
    float[] expected = {(float) (-1.5 / std), (float) (-0.5 / std), (float) (0.5 / std), (float) (1.5 / std)};
    assertArrayEquals(expected, ZScore.normalise(new float[] {1, 2, 3, 4}));
  }

  @Test
  void normalise_constantGivesZeros() {
    assertArrayEquals(new float[3], ZScore.normalise(new float[] {7, 7, 7}));
  }

  @Test
  void normalise_tinySpreadUsesEpsilon() {
    // std 5e-7 is below the 1e-6 floor: deviations are divided by 1e-6, not by the std
    float[] out = ZScore.normalise(new double[] {1.0, 1.0 + 1e-6});
    assertEquals(-0.5f, out[0], 1e-6f);
    assertEquals(0.5f, out[1], 1e-6f);
  }

  @Test
  void normalise_largeOffsetNoCancellation() {
    float[] out = ZScore.normalise(new double[] {1e9, 1e9 + 2});
    assertArrayEquals(new float[] {-1f, 1f}, out);
  }

  @Test
  void normalise_rejectsNanInfinityAndEmpty() {
    assertThrows(InvalidInputException.class, () -> ZScore.normalise(new float[] {1, Float.NaN}));
    assertThrows(InvalidInputException.class,
        () -> ZScore.normalise(new double[] {Double.POSITIVE_INFINITY}));
    assertThrows(InvalidInputException.class, () -> ZScore.normalise(new float[0]));
  }
}
