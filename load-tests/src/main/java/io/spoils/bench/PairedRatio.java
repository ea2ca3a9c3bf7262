package io.spoils.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ratio of two studies' times taken in pairs (one of each, back to back, in one process): the
 * ratio of the medians, with a percentile bootstrap interval over the pairs, so that a change of the
 * machine's load during a run moves both sides of a pair alike instead of one side of the ratio.
 * Pairs from several processes (JVMs, whose compiled code differs a little) are kept in strata: a
 * resample draws each stratum's pairs from that stratum.
 *
 * @param pairs number of pairs, all strata
 * @param medianA median time of study A (the denominator), ms
 * @param medianB median time of study B (the numerator), ms
 * @param ratio {@code medianB / medianA}
 * @param low the interval's lower end (2.5th percentile of the resampled ratios)
 * @param high the interval's upper end (97.5th percentile)
 * @param medianPairRatio the median of the pairs' own ratios {@code b / a}
 */
public record PairedRatio(int pairs, double medianA, double medianB, double ratio, double low,
    double high, double medianPairRatio) {

  /** Resamples of the bootstrap. */
  public static final int RESAMPLES = 4000;

  /** {@link #of(double[][], double[][], long)} of one stratum. */
  public static PairedRatio of(double[] a, double[] b, long seed) {
    return of(new double[][] {a}, new double[][] {b}, seed);
  }

  /**
   * The ratio of {@code b} over {@code a}, pair by pair ({@code a[s][i]} with {@code b[s][i]});
   * the interval from {@link #RESAMPLES} stratified resamples drawn with {@code seed}.
   *
   * @throws IllegalArgumentException when the strata differ in number or length, a stratum is
   *     empty, or a time is not positive
   */
  public static PairedRatio of(double[][] a, double[][] b, long seed) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("need as many strata of A as of B, at least one, got "
          + a.length + " and " + b.length);
    }
    int n = 0;
    for (int s = 0; s < a.length; s++) {
      if (a[s].length != b[s].length || a[s].length == 0) {
        throw new IllegalArgumentException("stratum " + s + ": need as many times of A as of B,"
            + " at least one, got " + a[s].length + " and " + b[s].length);
      }
      n += a[s].length;
    }
    double[] allA = new double[n];
    double[] allB = new double[n];
    double[] own = new double[n];
    int at = 0;
    for (int s = 0; s < a.length; s++) {
      for (int i = 0; i < a[s].length; i++, at++) {
        if (!(a[s][i] > 0) || !(b[s][i] > 0)) {
          throw new IllegalArgumentException("times must be positive, stratum " + s + " pair " + i
              + ": " + a[s][i] + ", " + b[s][i]);
        }
        allA[at] = a[s][i];
        allB[at] = b[s][i];
        own[at] = b[s][i] / a[s][i];
      }
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] ratios = new double[RESAMPLES];
    double[] ra = new double[n];
    double[] rb = new double[n];
    for (int r = 0; r < RESAMPLES; r++) {
      int k = 0;
      for (int s = 0; s < a.length; s++) {
        for (int i = 0; i < a[s].length; i++, k++) {
          int j = random.nextInt(a[s].length);
          ra[k] = a[s][j];
          rb[k] = b[s][j];
        }
      }
      ratios[r] = median(rb) / median(ra);
    }
    Arrays.sort(ratios);
    double medianA = median(allA);
    double medianB = median(allB);
    return new PairedRatio(n, medianA, medianB, medianB / medianA,
        ratios[(int) Math.floor(0.025 * (RESAMPLES - 1))],
        ratios[(int) Math.ceil(0.975 * (RESAMPLES - 1))], median(own));
  }

  /** The median of {@code values}, which it sorts. */
  static double median(double[] values) {
    Arrays.sort(values);
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** {@code below} when the whole interval is below {@code aim}, {@code above}, or {@code within}. */
  public String against(double aim) {
    return high < aim ? "below" : low > aim ? "above" : "within";
  }
}
