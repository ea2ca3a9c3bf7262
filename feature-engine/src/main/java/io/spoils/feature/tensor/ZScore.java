package io.spoils.feature.tensor;

import io.spoils.feature.InvalidInputException;

/**
 * Z-score normalisation over all values (CONTRACT.md): {@code z = (v - mean) / max(std, 1e-6)} with
 * the mean and the population standard deviation (divisor n) computed in float64, each result
 * rounded once to float32. A constant input therefore becomes all zeros rather than NaN.
 */
public final class ZScore {

  /** Floor of the standard deviation, so that flat images do not divide by zero. */
  public static final double EPSILON = 1e-6;

  private ZScore() {
  }

  /**
   * Normalised copy of float32 values.
   *
   * @throws InvalidInputException for an empty input or a NaN or infinite value
   */
  public static float[] normalise(float[] values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return normalise(wide);
  }

  /**
   * Normalised float32 copy of float64 values (for inputs computed in float64, like disc crops).
   *
   * @throws InvalidInputException for an empty input or a NaN or infinite value
   */
  public static float[] normalise(double[] values) {
    if (values.length == 0) {
      throw new InvalidInputException("cannot normalise an empty image");
    }
    double sum = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new InvalidInputException("image contains a NaN or infinite value");
      }
      sum += v;
    }
    double mean = sum / values.length;
    // Two passes: the squared deviations, not E[x^2] - mean^2, which cancels badly.
    double squares = 0;
    for (double v : values) {
      double d = v - mean;
      squares += d * d;
    }
    double std = Math.max(Math.sqrt(squares / values.length), EPSILON);
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) ((values[i] - mean) / std);
    }
    return out;
  }

  /** A tensor of the same shape, normalised over all its values. */
  public static FloatTensor normalise(FloatTensor t) {
    return new FloatTensor(t.shape(), normalise(t.data()));
  }
}
