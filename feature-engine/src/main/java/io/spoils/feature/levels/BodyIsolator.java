package io.spoils.feature.levels;

import io.spoils.feature.image.PixelSpacing;
import java.util.List;

/**
 * Isolates a vertebral body from vertebra-labelled pixels: SPIDER labels the body, the posterior
 * elements and the sacrum alike, and the posterior elements of neighbouring levels touch. A
 * candidate pixel is body when (a) casting a ray from it in the anterior direction meets no spinal
 * canal within {@code canalSearchMm} (posterior elements lie behind the canal) and (b) it is not
 * more than {@code posteriorMarginMm} behind the posterior edges of the adjacent discs (this covers
 * levels where the canal is not segmented, and pedicles in para-sagittal slices). The largest
 * 8-connected piece of what remains is the body.
 */
final class BodyIsolator {
  private final boolean[] canal;
  private final int width;
  private final int height;
  private final PixelSpacing spacing;
  private final double minAreaMm2;
  private final double posteriorMarginMm;
  private final double canalSearchMm;

  BodyIsolator(boolean[] canal, int width, int height, PixelSpacing spacing, double minAreaMm2,
      double posteriorMarginMm, double canalSearchMm) {
    this.canal = canal;
    this.width = width;
    this.height = height;
    this.spacing = spacing;
    this.minAreaMm2 = minAreaMm2;
    this.posteriorMarginMm = posteriorMarginMm;
    this.canalSearchMm = canalSearchMm;
  }

  /**
   * The body among {@code candidates}, or null when nothing of at least the minimum area remains.
   *
   * @param candidates vertebra pixels of this level (row-major flags)
   * @param adjacentDiscs the discs directly above/below (one or two), giving the posterior limit
   * @param ap anterior unit vector (mm space) for the ray test
   */
  Region isolate(boolean[] candidates, List<Region> adjacentDiscs, double[] ap) {
    double[] ref = adjacentDiscs.get(0).centroidMm();
    double posteriorLimit = Double.POSITIVE_INFINITY;
    for (Region disc : adjacentDiscs) {
      posteriorLimit = Math.min(posteriorLimit, minProjection(disc, ref, ap));
    }
    posteriorLimit -= posteriorMarginMm;
    boolean[] keep = new boolean[candidates.length];
    for (int p = 0; p < candidates.length; p++) {
      if (candidates[p]) {
        double s = ((p % width) * spacing.colMm() - ref[0]) * ap[0]
            + ((p / width) * spacing.rowMm() - ref[1]) * ap[1];
        keep[p] = s >= posteriorLimit && !canalAnteriorOf(p, ap);
      }
    }
    int[] best = null;
    for (int[] comp : ConnectedComponents.of(keep, width, height)) {
      if (best == null || comp.length > best.length) {
        best = comp;
      }
    }
    if (best == null || best.length * spacing.pixelAreaMm2() < minAreaMm2) {
      return null;
    }
    return new Region(best, width, spacing);
  }

  private double minProjection(Region region, double[] ref, double[] ap) {
    double min = Double.POSITIVE_INFINITY;
    for (int p : region.pixels()) {
      double s = ((p % width) * spacing.colMm() - ref[0]) * ap[0]
          + ((p / width) * spacing.rowMm() - ref[1]) * ap[1];
      min = Math.min(min, s);
    }
    return min;
  }

  private boolean canalAnteriorOf(int p, double[] ap) {
    double stepMm = 0.7 * Math.min(spacing.rowMm(), spacing.colMm());
    double dx = ap[0] * stepMm / spacing.colMm();
    double dy = ap[1] * stepMm / spacing.rowMm();
    double x = p % width;
    double y = p / width;
    int steps = (int) Math.ceil(canalSearchMm / stepMm);
    for (int i = 1; i <= steps; i++) {
      int xi = (int) Math.round(x + i * dx);
      int yi = (int) Math.round(y + i * dy);
      if (xi < 0 || yi < 0 || xi >= width || yi >= height) {
        return false;
      }
      if (canal[yi * width + xi]) {
        return true;
      }
    }
    return false;
  }

  /** Whether a region touches the image border. */
  boolean touchesBorder(Region region) {
    for (int p : region.pixels()) {
      int x = p % width;
      int y = p / width;
      if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
        return true;
      }
    }
    return false;
  }
}
