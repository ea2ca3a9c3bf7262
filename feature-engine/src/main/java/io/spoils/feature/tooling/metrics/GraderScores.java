package io.spoils.feature.tooling.metrics;

import io.spoils.feature.decision.DiscClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one grader's 11-class probabilities agree with the reference classes of the same discs.
 *
 * <p>The Pfirrmann grade of a prediction is the grade whose classes' probabilities sum highest
 * ({@link #pfirrmannOf}), not the grade of the top class: a disc at 0.3 3L, 0.3 3M and 0.4 4L is a
 * grade 3. The 11-class prediction is the top class. Calibration is that of the top 11-class
 * probability ({@value #CALIBRATION_BINS} bins, {@link ClassificationMetrics#expectedCalibrationError}).
 *
 * @param n discs scored
 * @param pfirrmannExact fraction with the reference Pfirrmann grade, 0-1
 * @param pfirrmannWithinOne fraction at most one grade off, 0-1
 * @param pfirrmannBalancedAccuracy mean recall over the Pfirrmann grades present, 0-1
 * @param pfirrmannKappa quadratic weighted kappa of the Pfirrmann grades (NaN when undefined)
 * @param accuracy11 fraction with the reference 11-class label, 0-1
 * @param balancedAccuracy11 mean recall over the 11 classes present, 0-1
 * @param ece expected calibration error of the top 11-class probability, 0-1
 * @param meanConfidence mean top 11-class probability, 0-1
 * @param pfirrmannConfusion 5 x 5 counts, row = reference grade 1-5, column = predicted grade
 * @param confusion11 11 x 11 counts in {@link DiscClass} order, row = reference
 * @param reliability the calibration bins behind {@code ece}
 */
public record GraderScores(int n, double pfirrmannExact, double pfirrmannWithinOne,
    double pfirrmannBalancedAccuracy, double pfirrmannKappa, double accuracy11,
    double balancedAccuracy11, double ece, double meanConfidence, int[][] pfirrmannConfusion,
    int[][] confusion11, ClassificationMetrics.Reliability reliability) {

  /** Confidence bins of the calibration error. */
  public static final int CALIBRATION_BINS = 10;

  /**
   * Scores {@code probabilities} (each 11 values in {@link DiscClass} order) against
   * {@code reference}, same length; an empty list gives n = 0 and NaN figures.
   */
  public static GraderScores of(List<DiscClass> reference, List<double[]> probabilities) {
    if (reference.size() != probabilities.size()) {
      throw new IllegalArgumentException("need as many probability vectors as references");
    }
    int n = reference.size();
    int[][] grades = new int[5][5];
    int[][] classes = new int[DiscClass.COUNT][DiscClass.COUNT];
    double[] confidence = new double[n];
    boolean[] correct = new boolean[n];
    int withinOne = 0;
    for (int i = 0; i < n; i++) {
      double[] p = probabilities.get(i);
      if (p.length != DiscClass.COUNT) {
        throw new IllegalArgumentException("probabilities must have 11 values");
      }
      DiscClass truth = reference.get(i);
      int top = argmax(p);
      int grade = pfirrmannOf(p);
      grades[truth.pfirrmann() - 1][grade - 1]++;
      classes[truth.ordinal()][top]++;
      withinOne += Math.abs(grade - truth.pfirrmann()) <= 1 ? 1 : 0;
      confidence[i] = Math.min(1, Math.max(0, p[top]));
      correct[i] = top == truth.ordinal();
    }
    double meanConfidence = 0;
    for (double c : confidence) {
      meanConfidence += c / n;
    }
    return new GraderScores(n, ClassificationMetrics.accuracy(grades),
        n == 0 ? Double.NaN : (double) withinOne / n,
        ClassificationMetrics.balancedAccuracy(grades),
        ClassificationMetrics.quadraticWeightedKappa(grades),
        ClassificationMetrics.accuracy(classes), ClassificationMetrics.balancedAccuracy(classes),
        ClassificationMetrics.expectedCalibrationError(confidence, correct, CALIBRATION_BINS),
        n == 0 ? Double.NaN : meanConfidence, grades, classes,
        ClassificationMetrics.reliability(confidence, correct, CALIBRATION_BINS));
  }

  /** The Pfirrmann grade (1-5) whose classes' probabilities sum highest; the lower grade on ties. */
  public static int pfirrmannOf(double[] probabilities) {
    double[] sums = new double[5];
    for (DiscClass c : DiscClass.ordered()) {
      sums[c.pfirrmann() - 1] += probabilities[c.ordinal()];
    }
    return argmax(sums) + 1;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int k = 1; k < v.length; k++) {
      if (v[k] > v[best]) {
        best = k;
      }
    }
    return best;
  }

  /**
   * The scores as a JSON-ready map (NaN as null, figures rounded to 4 decimals), in the order of
   * the record's components.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("pfirrmann_exact", round(pfirrmannExact));
    m.put("pfirrmann_within_one", round(pfirrmannWithinOne));
    m.put("pfirrmann_balanced_accuracy", round(pfirrmannBalancedAccuracy));
    m.put("pfirrmann_quadratic_weighted_kappa", round(pfirrmannKappa));
    m.put("accuracy_11_class", round(accuracy11));
    m.put("balanced_accuracy_11_class", round(balancedAccuracy11));
    m.put("expected_calibration_error", round(ece));
    m.put("mean_confidence", round(meanConfidence));
    m.put("pfirrmann_confusion_rows_reference_1_to_5", pfirrmannConfusion);
    m.put("confusion_11_class_rows_reference", confusion11);
    Map<String, Object> bins = new LinkedHashMap<>();
    bins.put("counts", reliability.counts());
    bins.put("mean_confidence", rounded(reliability.meanConfidence()));
    bins.put("accuracy", rounded(reliability.accuracy()));
    m.put("calibration_bins", bins);
    return m;
  }

  /** {@code v} rounded to 4 decimals, or null for NaN (JSON has no NaN). */
  public static Double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
  }

  private static Double[] rounded(double[] v) {
    Double[] out = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = round(v[i]);
    }
    return out;
  }
}
