package io.spoils.feature.geometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The mid-sagittal slice of a series, chosen by anatomy: the slice through the middle of the
 * spinal canal, where the canal is widest and every disc and vertebral body is cut through its
 * middle. A series is rarely centred exactly on the spine, so its geometric centre can be a
 * parasagittal slice.
 *
 * <p>The rule. Each slice scores {@code canal area (mm²) x disc share}, where the disc share is
 * the number of disc pieces of at least {@value #MIN_DISC_MM2} mm² on the slice over the most on
 * any slice of the series (a slice that shows the canal but cuts discs off is further from the
 * midline). The best score wins; slices within {@value #TIE_FRACTION} of it count as tied and the
 * one nearest the geometric centre wins among them (then the lower index). When no slice shows
 * both a canal and a disc (every score 0), the geometric centre is kept.
 *
 * @param index the chosen slice, 0-based in spatial order
 * @param score its score, mm² (canal area times disc share)
 * @param reason one plain sentence saying why; no patient data
 * @param scores every slice's score, in spatial order
 * @param geometricCentre the slice nearest the series' geometric centre
 */
public record MidSagittalSlice(int index, double score, String reason, List<Double> scores,
    int geometricCentre) {

  /** Disc pieces smaller than this (mm²) are not counted as a disc: segmentation fragments. */
  public static final double MIN_DISC_MM2 = 20.0;
  /** Scores within this fraction of the best are ties, resolved toward the geometric centre. */
  public static final double TIE_FRACTION = 0.05;

  public MidSagittalSlice {
    Objects.requireNonNull(reason, "reason");
    scores = List.copyOf(scores);
    if (index < 0 || index >= scores.size() || geometricCentre < 0
        || geometricCentre >= scores.size()) {
      throw new IllegalArgumentException("slice index outside the series");
    }
  }

  /**
   * Chooses among {@code slices}.
   *
   * @param slices the series' slices in spatial order, at least one
   * @param geometricCentre index of the slice nearest the series' geometric centre
   */
  public static MidSagittalSlice choose(List<SliceAnatomy> slices, int geometricCentre) {
    if (slices.isEmpty()) {
      throw new IllegalArgumentException("no slices");
    }
    List<Double> scores = scores(slices);
    if (slices.size() == 1) {
      return new MidSagittalSlice(0, scores.get(0), "the series has one slice", scores, 0);
    }
    int best = 0;
    for (int i = 1; i < scores.size(); i++) {
      best = scores.get(i) > scores.get(best) ? i : best;
    }
    double top = scores.get(best);
    if (!(top > 0)) {
      return new MidSagittalSlice(geometricCentre, scores.get(geometricCentre), "no slice shows "
          + "both the spinal canal and a disc, so the geometric centre is measured", scores,
          geometricCentre);
    }
    int chosen = best;
    for (int i = 0; i < scores.size(); i++) {
      if (scores.get(i) >= top * (1 - TIE_FRACTION)
          && Math.abs(i - geometricCentre) < Math.abs(chosen - geometricCentre)) {
        chosen = i;
      }
    }
    return new MidSagittalSlice(chosen, scores.get(chosen),
        reason(chosen, best, geometricCentre, scores, slices.get(chosen)), scores, geometricCentre);
  }

  private static List<Double> scores(List<SliceAnatomy> slices) {
    int mostDiscs = 0;
    for (SliceAnatomy s : slices) {
      mostDiscs = Math.max(mostDiscs, s.discsAtLeast(MIN_DISC_MM2));
    }
    List<Double> out = new ArrayList<>(slices.size());
    for (SliceAnatomy s : slices) {
      double share = mostDiscs == 0 ? 0 : (double) s.discsAtLeast(MIN_DISC_MM2) / mostDiscs;
      out.add(s.canalAreaMm2() * share);
    }
    return out;
  }

  private static String reason(int chosen, int best, int centre, List<Double> scores,
      SliceAnatomy slice) {
    String what = String.format(Locale.ROOT, "largest spinal canal area with its discs (score "
        + "%.0f mm², canal %.0f mm², %d discs) of %d slices", scores.get(chosen),
        slice.canalAreaMm2(), slice.discsAtLeast(MIN_DISC_MM2), scores.size());
    if (chosen != best) {
      what = String.format(Locale.ROOT, "within %.0f %% of the largest spinal canal score "
          + "(slice %d, %.0f mm²) and nearest the geometric centre (score %.0f mm², canal %.0f "
          + "mm²)", TIE_FRACTION * 100, best, scores.get(best), scores.get(chosen),
          slice.canalAreaMm2());
    }
    return chosen == centre ? what + ", at the geometric centre"
        : String.format(Locale.ROOT, "%s; the geometric centre, slice %d, scores %.0f mm²", what,
            centre, scores.get(centre));
  }
}
