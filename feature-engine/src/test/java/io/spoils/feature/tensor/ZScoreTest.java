package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import java.util.SplittableRandom;
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

  /** The former implementation: widened to float64, then the two passes of the contract. */
  private static float[] reference(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.max(Math.sqrt(squares / values.length), ZScore.EPSILON);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) ((values[i] - mean) / std);
    }
    return out;
  }

  /** Float32 input, copied or in place (block-wise widening), equals the former arithmetic. */
  @Test
  void normalise_floats_equalsFormerArithmetic() {
    SplittableRandom random = new SplittableRandom(2);
    for (int n : new int[] {1, 2, 511, 512, 513, 1500, 81920}) {
      float[] values = new float[n];
      double[] wide = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) (random.nextDouble(-3, 3) * Math.pow(10, random.nextInt(-2, 5)));
        wide[i] = values[i];
      }
      float[] expected = reference(wide);
      assertArrayEquals(expected, ZScore.normalise(values), "n " + n);
      assertArrayEquals(expected, ZScore.normaliseInPlace(values, ZScore.sum(values)), "n " + n);
    }
  }

  /** With the sum given: the same values; an overflowing sum of finite values is no error. */
  @Test
  void normalise_doublesWithSum_equalsFormerArithmetic() {
    SplittableRandom random = new SplittableRandom(4);
    double[] values = new double[16384];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble(0, 4000);
      sum += values[i];
    }
    assertArrayEquals(reference(values), ZScore.normalise(values, sum));
    double[] huge = {1e308, 1e308};
    assertArrayEquals(reference(huge), ZScore.normalise(huge));
    assertThrows(InvalidInputException.class,
        () -> ZScore.normalise(new double[] {1, Double.NaN}, Double.NaN));
  }
}
