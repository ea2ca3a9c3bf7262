package io.spoils.feature.geometry;

import io.spoils.feature.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Disc volumes across the slices of a series, for the discs named and measured on its chosen
 * (mid-sagittal) slice: on every slice, each disc piece ({@link SliceAnatomy}) is matched to the
 * named disc whose centroid is nearest along the spine, and a disc's volume is the sum of its
 * matched areas times the slice spacing (a prism sum over the slices).
 *
 * <p>Matching. The spine's direction at a disc runs from the disc below to the disc above (its only
 * neighbour at either end). A piece belongs to disc {@code i} when its centroid lies within half
 * the distance to disc {@code i}'s nearest neighbour along that direction (at most
 * {@value #MAX_ALONG_MM} mm) and within {@value #MAX_ACROSS_MM} mm across it; among several such
 * discs, the nearest along the spine. Fragments of one disc on a slice add up. A disc's slices run
 * outward from the chosen slice in both directions and stop at the first slice where it has no
 * pixel, so a disc-like blob further out (a segmentation error beside the spine) is not counted.
 *
 * <p>Stateless; the centroids of the named discs and of the pieces are in the same pixel grid
 * (every slice of a series has the chosen slice's size and spacing; pieces read on another grid
 * are moved to it, {@link SliceAnatomy#resampled}).
 */
public final class DiscVolumes {

  /** Largest distance along the spine from a piece to the disc it is matched to, mm. */
  public static final double MAX_ALONG_MM = 15.0;
  /** Largest distance across the spine (antero-posterior) from a piece to its disc, mm. */
  public static final double MAX_ACROSS_MM = 25.0;

  /**
   * The volume of one disc.
   *
   * @param volumeMm3 mm³, &gt;= 0; NaN when the disc has no matched pixel on the chosen slice
   * @param slices slices that contributed, &gt;= 0
   */
  public record Volume(double volumeMm3, int slices) { }

  private DiscVolumes() {
  }

  /**
   * @param discs the discs named on the chosen slice, from the lowest upward
   * @param slices every slice of the series in spatial order (the chosen one included)
   * @param chosen index of the chosen slice in {@code slices}
   * @param sliceSpacingMm distance between adjacent slice centres, mm, &gt; 0
   * @return one volume per disc, in {@code discs} order
   * @throws InvalidInputException for a spacing that is not positive and finite
   */
  public static List<Volume> of(List<DiscGeometry> discs, List<SliceAnatomy> slices, int chosen,
      double sliceSpacingMm) {
    if (!(sliceSpacingMm > 0) || Double.isInfinite(sliceSpacingMm)) {
      throw new InvalidInputException("spacing between slices must be positive and finite");
    }
    if (chosen < 0 || chosen >= slices.size()) {
      throw new IllegalArgumentException("chosen slice outside the series");
    }
    double[][] areas = new double[slices.size()][];
    for (int k = 0; k < slices.size(); k++) {
      areas[k] = matchedAreas(discs, slices.get(k));
    }
    List<Volume> out = new ArrayList<>(discs.size());
    for (int i = 0; i < discs.size(); i++) {
      if (areas[chosen][i] == 0) {
        out.add(new Volume(Double.NaN, 0));
        continue;
      }
      double sum = 0;
      int count = 0;
      for (int step : new int[] {-1, 1}) {
        for (int k = step < 0 ? chosen : chosen + 1; k >= 0 && k < slices.size()
            && areas[k][i] > 0; k += step) {
          sum += areas[k][i];
          count++;
        }
      }
      out.add(new Volume(sum * sliceSpacingMm, count));
    }
    return out;
  }

  /** The area of each named disc on one slice, mm². */
  static double[] matchedAreas(List<DiscGeometry> discs, SliceAnatomy slice) {
    double[] out = new double[discs.size()];
    double rowMm = slice.spacing().rowMm();
    double colMm = slice.spacing().colMm();
    for (SliceAnatomy.DiscPiece piece : slice.discs()) {
      int best = -1;
      double bestAlong = Double.POSITIVE_INFINITY;
      for (int i = 0; i < discs.size(); i++) {
        double[] axis = spineAxis(discs, i, rowMm, colMm);
        double dx = (piece.centroidX() - discs.get(i).centroidX()) * colMm;
        double dy = (piece.centroidY() - discs.get(i).centroidY()) * rowMm;
        double along = Math.abs(dx * axis[0] + dy * axis[1]);
        double across = Math.abs(dx * axis[1] - dy * axis[0]);
        if (along <= Math.min(MAX_ALONG_MM, halfGap(discs, i, axis, rowMm, colMm))
            && across <= MAX_ACROSS_MM && along < bestAlong) {
          best = i;
          bestAlong = along;
        }
      }
      if (best >= 0) {
        out[best] += piece.areaMm2();
      }
    }
    return out;
  }

  /** Unit vector (x, y in mm) of the spine at disc {@code i}; straight up without neighbours. */
  private static double[] spineAxis(List<DiscGeometry> discs, int i, double rowMm, double colMm) {
    if (discs.size() < 2) {
      return new double[] {0, -1};
    }
    DiscGeometry below = discs.get(Math.max(0, i - 1));
    DiscGeometry above = discs.get(Math.min(discs.size() - 1, i + 1));
    double x = (above.centroidX() - below.centroidX()) * colMm;
    double y = (above.centroidY() - below.centroidY()) * rowMm;
    double n = Math.hypot(x, y);
    return n > 0 ? new double[] {x / n, y / n} : new double[] {0, -1};
  }

  /** Half the distance along the spine to the nearest neighbouring disc, mm. */
  private static double halfGap(List<DiscGeometry> discs, int i, double[] axis, double rowMm,
      double colMm) {
    double gap = Double.POSITIVE_INFINITY;
    for (int j : new int[] {i - 1, i + 1}) {
      if (j >= 0 && j < discs.size()) {
        double dx = (discs.get(j).centroidX() - discs.get(i).centroidX()) * colMm;
        double dy = (discs.get(j).centroidY() - discs.get(i).centroidY()) * rowMm;
        gap = Math.min(gap, Math.abs(dx * axis[0] + dy * axis[1]));
      }
    }
    return gap / 2;
  }

  /** {@code d} with its volume set (every other measurement unchanged). */
  public static DiscGeometry withVolume(DiscGeometry d, double volumeMm3) {
    return new DiscGeometry(d.level(), d.indexFromBottom(), d.centroidX(), d.centroidY(),
        d.tiltDeg(), d.anteriorHeightMm(), d.centralHeightMm(), d.posteriorHeightMm(),
        d.averageHeightMm(), d.averageWidthMm(), d.midWidthMm(), d.areaMm2(), d.heightIndex(),
        d.signalMean(), d.signalRatioToCsf(), d.signalRatioToVertebra(),
        d.signalDiffToNeighbours(), d.canalApDiameterMm(), volumeMm3);
  }
}
