package io.spoils.feature.geometry;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.levels.Region;
import java.util.ArrayList;
import java.util.List;

/** Image-signal helpers; every method returns NaN where the image or the pixels are missing. */
final class Signals {
  private Signals() {}

  /** Mean image value over the region's pixels. */
  static double mean(GreyImage image, Region region) {
    if (image == null || region.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (int p : region.pixels()) {
      sum += image.pixels()[p];
    }
    return sum / region.size();
  }

  /**
   * Mean image value over the region's pixels whose centre, in the frame at {@code originMm} with
   * axis {@code u}, has {@code uLo <= u <= uHi} and {@code |v| <= halfV}.
   */
  static double meanInWindow(GreyImage image, Region region, double[] originMm, double[] u,
      double uLo, double uHi, double halfV) {
    if (image == null) {
      return Double.NaN;
    }
    int w = region.imageWidth();
    double col = region.spacing().colMm();
    double row = region.spacing().rowMm();
    double sum = 0;
    int n = 0;
    for (int p : region.pixels()) {
      double dx = (p % w) * col - originMm[0];
      double dy = (p / w) * row - originMm[1];
      double pu = dx * u[0] + dy * u[1];
      double pv = -dx * u[1] + dy * u[0];
      if (pu >= uLo && pu <= uHi && Math.abs(pv) <= halfV) {
        sum += image.pixels()[p];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean of the finite arguments; NaN when none is finite. */
  static double meanOfFinite(double... values) {
    double sum = 0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * Fills {@code signalDiffToNeighbours}: each disc's CSF ratio minus the mean CSF ratio of the
   * discs directly below and above it in the list (the finite ones).
   */
  static List<DiscGeometry> withNeighbourDiffs(List<DiscGeometry> discs) {
    List<DiscGeometry> out = new ArrayList<>();
    for (int i = 0; i < discs.size(); i++) {
      DiscGeometry d = discs.get(i);
      double below = i > 0 ? discs.get(i - 1).signalRatioToCsf() : Double.NaN;
      double above = i + 1 < discs.size() ? discs.get(i + 1).signalRatioToCsf() : Double.NaN;
      double diff = d.signalRatioToCsf() - meanOfFinite(below, above);
      out.add(new DiscGeometry(d.level(), d.indexFromBottom(), d.centroidX(), d.centroidY(),
          d.tiltDeg(), d.anteriorHeightMm(), d.centralHeightMm(), d.posteriorHeightMm(),
          d.averageHeightMm(), d.averageWidthMm(), d.midWidthMm(), d.areaMm2(), d.heightIndex(),
          d.signalMean(), d.signalRatioToCsf(), d.signalRatioToVertebra(), diff,
          d.canalApDiameterMm(), d.volumeMm3()));
    }
    return out;
  }
}
