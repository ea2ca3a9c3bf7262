package io.spoils.feature.tooling.trees;

import io.spoils.feature.decision.DiscClass;
import java.util.List;

/**
 * Agreement of predicted and reference classes.
 *
 * @param n number of discs
 * @param accuracy fraction of exact class matches, 0-1
 * @param balancedAccuracy mean per-class recall over the classes present in the reference, 0-1
 * @param pfirrmannExact fraction with the same Pfirrmann grade, 0-1
 * @param pfirrmannWithinOne fraction with the Pfirrmann grade off by at most one, 0-1
 * @param confusion 11 x 11 counts, row = reference class, column = predicted class (DiscClass order)
 */
public record GradingMetrics(
    int n,
    double accuracy,
    double balancedAccuracy,
    double pfirrmannExact,
    double pfirrmannWithinOne,
    int[][] confusion) {

  /** Metrics of {@code predicted} against {@code reference} (same length, at least one). */
  public static GradingMetrics of(List<DiscClass> reference, List<DiscClass> predicted) {
    if (reference.size() != predicted.size() || reference.isEmpty()) {
      throw new IllegalArgumentException("need equally many (> 0) reference and predicted classes");
    }
    int n = reference.size();
    int[][] confusion = new int[DiscClass.COUNT][DiscClass.COUNT];
    int exact = 0;
    int gradeExact = 0;
    int gradeWithinOne = 0;
    for (int i = 0; i < n; i++) {
      DiscClass t = reference.get(i);
      DiscClass p = predicted.get(i);
      confusion[t.ordinal()][p.ordinal()]++;
      exact += t == p ? 1 : 0;
      int gap = Math.abs(t.pfirrmann() - p.pfirrmann());
      gradeExact += gap == 0 ? 1 : 0;
      gradeWithinOne += gap <= 1 ? 1 : 0;
    }
    return new GradingMetrics(n, (double) exact / n, balanced(confusion),
        (double) gradeExact / n, (double) gradeWithinOne / n, confusion);
  }

  private static double balanced(int[][] confusion) {
    double recallSum = 0;
    int present = 0;
    for (int k = 0; k < DiscClass.COUNT; k++) {
      int total = 0;
      for (int count : confusion[k]) {
        total += count;
      }
      if (total > 0) {
        recallSum += (double) confusion[k][k] / total;
        present++;
      }
    }
    return recallSum / present;
  }

  /** Reference count per class (row sums), DiscClass order. */
  public int[] referenceCounts() {
    int[] counts = new int[DiscClass.COUNT];
    for (int k = 0; k < DiscClass.COUNT; k++) {
      for (int count : confusion[k]) {
        counts[k] += count;
      }
    }
    return counts;
  }
}
