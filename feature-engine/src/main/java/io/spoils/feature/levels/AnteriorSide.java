package io.spoils.feature.levels;

import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.List;

/**
 * Orients each disc's antero-posterior axis. The axis itself is the disc's principal axis; its
 * anterior end is the one away from the spinal canal pixels at the disc's level. Discs with no
 * canal nearby take the side (left or right of the spine axis) that the other discs agree on; with
 * no canal at all, the side away from the vertebra-pixel mass centre is used (posterior elements
 * pull it backwards) and a warning says so.
 */
final class AnteriorSide {
  /** Canal pixels within this distance of the disc centroid along its cranio-caudal axis count. */
  static final double LEVEL_WINDOW_MM = 10.0;
  static final double REACH_MM = 60.0;

  private AnteriorSide() {}

  static List<double[]> of(List<DiscPiece> discs, MaskClasses classes, double[] spineAxis,
      List<String> warnings) {
    List<double[]> aps = new ArrayList<>();
    int votes = 0;
    int[] canal = classes.canalIndices();
    for (DiscPiece disc : discs) {
      double[] u = PrincipalAxis.major(disc.region());
      double sign = canalSign(disc.centroidMm(), u, canal, classes);
      aps.add(new double[] {u[0], u[1], sign});
      votes += (int) Math.signum(sign * side(u, spineAxis));
    }
    if (votes == 0) {
      votes = fallbackVote(discs, aps, classes, spineAxis);
      if (votes != 0) {
        warnings.add("ANTERIOR_SIDE_GUESSED: no spinal canal was found next to the discs; the "
            + "anterior side was inferred from the vertebra shapes.");
      }
    }
    List<double[]> out = new ArrayList<>();
    for (double[] a : aps) {
      double sign = a[2] != 0 ? a[2] : Math.signum(votes) * side(a, spineAxis);
      if (sign == 0) {
        sign = 1;
      }
      out.add(new double[] {sign * a[0], sign * a[1]});
    }
    return out;
  }

  /** +1 or -1 for the vector {@code u} lying left or right of the spine axis. */
  private static double side(double[] u, double[] axis) {
    double cross = axis[0] * u[1] - axis[1] * u[0];
    return cross >= 0 ? 1 : -1;
  }

  /**
   * +1 when u points away from the canal at this level, -1 toward it, 0 when no canal. Only the
   * canal rows that the window around the disc can reach are read (canal in raster order); the
   * pixels outside them fail the window test, so the sum is the same.
   */
  private static double canalSign(double[] c, double[] u, int[] canal, MaskClasses classes) {
    double[] v = {-u[1], u[0]};
    double sum = 0;
    int n = 0;
    int w = classes.width();
    double col = classes.spacing().colMm();
    double row = classes.spacing().rowMm();
    // |dy| <= REACH |u_y| + LEVEL_WINDOW |v_y| inside the window; one row more for rounding
    double reachY = REACH_MM * Math.abs(u[1]) + LEVEL_WINDOW_MM * Math.abs(v[1]);
    int from = firstAtOrAfter(canal, (long) Math.floor((c[1] - reachY) / row) - 1, w);
    int to = firstAtOrAfter(canal, (long) Math.ceil((c[1] + reachY) / row) + 2, w);
    int y = -1;
    int rowStart = 0;
    for (int i = from; i < to; i++) {
      int p = canal[i];
      if (y < 0 || p >= rowStart + w) {
        y = p / w;
        rowStart = y * w;
      }
      double dx = (p - rowStart) * col - c[0];
      double dy = y * row - c[1];
      double along = dx * u[0] + dy * u[1];
      if (Math.abs(dx * v[0] + dy * v[1]) <= LEVEL_WINDOW_MM && Math.abs(along) <= REACH_MM) {
        sum += along;
        n++;
      }
    }
    return n == 0 ? 0 : (sum > 0 ? -1 : 1);
  }

  /** Index of the first raster-ordered pixel at or after the start of row {@code y}. */
  private static int firstAtOrAfter(int[] sorted, long y, int width) {
    long index = Math.max(0, y) * width;
    if (index > Integer.MAX_VALUE) {
      return sorted.length;
    }
    int i = java.util.Arrays.binarySearch(sorted, (int) index);
    return i >= 0 ? i : -i - 1;
  }

  private static int fallbackVote(List<DiscPiece> discs, List<double[]> aps, MaskClasses classes,
      double[] spineAxis) {
    if (classes.mask.scheme() != io.spoils.feature.image.LabelMap.Scheme.SPIDER) {
      return 0;
    }
    int[] vertebra = classes.vertebraAll();
    if (vertebra.length == 0) {
      return 0;
    }
    double[] vc = new Region(vertebra, classes.width(), classes.spacing()).centroidMm();
    int votes = 0;
    for (int i = 0; i < discs.size(); i++) {
      double[] c = discs.get(i).centroidMm();
      double[] u = aps.get(i);
      double along = (vc[0] - c[0]) * u[0] + (vc[1] - c[1]) * u[1];
      double sign = along > 0 ? -1 : 1;
      votes += (int) Math.signum(sign * side(u, spineAxis));
    }
    return votes;
  }
}
