package io.spoils.feature.tooling.metrics;

/**
 * Agreement and calibration measures over confusion matrices and predicted probabilities. Pure
 * static functions, thread-safe. A confusion matrix is {@code int[k][k]}, row = reference class,
 * column = predicted class.
 */
public final class ClassificationMetrics {

  private ClassificationMetrics() {}

  /** Fraction on the diagonal, 0-1; NaN for an empty matrix. */
  public static double accuracy(int[][] confusion) {
    long n = 0;
    long hit = 0;
    for (int i = 0; i < confusion.length; i++) {
      for (int j = 0; j < confusion.length; j++) {
        n += confusion[i][j];
        hit += i == j ? confusion[i][j] : 0;
      }
    }
    return n == 0 ? Double.NaN : (double) hit / n;
  }

  /**
   * Mean recall over the classes present in the reference (rows with at least one case), 0-1;
   * NaN for an empty matrix. Absent classes are left out, as scikit-learn's
   * {@code balanced_accuracy_score} does.
   */
  public static double balancedAccuracy(int[][] confusion) {
    double sum = 0;
    int present = 0;
    for (int i = 0; i < confusion.length; i++) {
      long row = 0;
      for (int v : confusion[i]) {
        row += v;
      }
      if (row > 0) {
        sum += (double) confusion[i][i] / row;
        present++;
      }
    }
    return present == 0 ? Double.NaN : sum / present;
  }

  /**
   * Cohen's kappa with quadratic weights {@code w(i, j) = (i - j)^2 / (k - 1)^2} over ordered
   * classes: {@code 1 - sum(w * O) / sum(w * E)}, O the observed counts, E the counts expected from
   * the marginals ({@code row_i * col_j / n}). 1 is perfect agreement, 0 chance. NaN when
   * {@code sum(w * E)} is 0 (every case in one reference and one predicted class: agreement is
   * then undefined) or the matrix is empty; equal to scikit-learn's
   * {@code cohen_kappa_score(weights="quadratic")}.
   */
  public static double quadraticWeightedKappa(int[][] confusion) {
    int k = confusion.length;
    double[] rows = new double[k];
    double[] cols = new double[k];
    double n = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        rows[i] += confusion[i][j];
        cols[j] += confusion[i][j];
        n += confusion[i][j];
      }
    }
    if (n == 0 || k < 2) {
      return Double.NaN;
    }
    double observed = 0;
    double expected = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double w = (double) (i - j) * (i - j) / ((k - 1) * (k - 1));
        observed += w * confusion[i][j];
        expected += w * rows[i] * cols[j] / n;
      }
    }
    return expected == 0 ? Double.NaN : 1 - observed / expected;
  }

  /**
   * Expected calibration error over {@code bins} equal-width confidence bins: the bin of a
   * confidence c is {@code ceil(c * bins) - 1} (bins are (0, 1/b], (1/b, 2/b], ..., and c = 0
   * falls in the first), and {@code ECE = sum over bins of (n_b / n) |accuracy_b - mean
   * confidence_b|}. 0 is perfect calibration. NaN for no cases.
   *
   * @param confidence the probability each prediction gave its chosen class, each in [0, 1]
   * @param correct whether each prediction was right (same length)
   */
  public static double expectedCalibrationError(double[] confidence, boolean[] correct, int bins) {
    Reliability r = reliability(confidence, correct, bins);
    int n = confidence.length;
    if (n == 0) {
      return Double.NaN;
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (r.counts()[b] > 0) {
        ece += (double) r.counts()[b] / n * Math.abs(r.accuracy()[b] - r.meanConfidence()[b]);
      }
    }
    return ece;
  }

  /**
   * The reliability diagram behind {@link #expectedCalibrationError}.
   *
   * @param counts cases per bin
   * @param meanConfidence mean confidence per bin (NaN for an empty bin)
   * @param accuracy fraction correct per bin (NaN for an empty bin)
   */
  public record Reliability(int[] counts, double[] meanConfidence, double[] accuracy) { }

  /** Cases per confidence bin with their mean confidence and accuracy (see the ECE above). */
  public static Reliability reliability(double[] confidence, boolean[] correct, int bins) {
    if (confidence.length != correct.length) {
      throw new IllegalArgumentException("confidence and correctness differ in length");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("need at least one bin");
    }
    int[] counts = new int[bins];
    double[] conf = new double[bins];
    double[] hits = new double[bins];
    for (int i = 0; i < confidence.length; i++) {
      double c = confidence[i];
      if (!(c >= 0 && c <= 1)) {
        throw new IllegalArgumentException("confidence must be in [0, 1], got " + c);
      }
      int b = Math.max(0, Math.min(bins - 1, (int) Math.ceil(c * bins) - 1));
      counts[b]++;
      conf[b] += c;
      hits[b] += correct[i] ? 1 : 0;
    }
    for (int b = 0; b < bins; b++) {
      conf[b] = counts[b] == 0 ? Double.NaN : conf[b] / counts[b];
      hits[b] = counts[b] == 0 ? Double.NaN : hits[b] / counts[b];
    }
    return new Reliability(counts, conf, hits);
  }
}
