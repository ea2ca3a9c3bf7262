package io.spoils.feature.geometry;

import io.spoils.feature.levels.Region;

/**
 * The implementation of {@link ProjectedShape} before the performance work (commit 40c52a5), kept
 * verbatim as the reference its replacement is tested against ({@code ProjectedShapeTest}): every
 * sub-sample stored and every query a pass over all of them.
 *
 * <p>Original description: a region's pixels as point samples in a rotated frame, for sub-pixel
 * length estimates. Each pixel square ({@code colMm x rowMm}) is split into {@code k x k} sub-squares whose centres are
 * projected onto the frame's axes: {@code u} along the unit vector {@code (ux, uy)} (mm space) and
 * {@code v} along its left normal {@code (-uy, ux)}, both relative to an origin in mm. Chords are
 * then estimated as the area inside a strip divided by the strip's width, which averages the raster
 * quantisation along the strip instead of trusting one row of pixels.
 */
final class ReferenceProjectedShape {
  private final float[] us;
  private final float[] vs;
  private final double sampleArea;
  private final double halfU;
  private final double halfV;

  private ReferenceProjectedShape(float[] us, float[] vs, double sampleArea, double halfU,
      double halfV) {
    this.us = us;
    this.vs = vs;
    this.sampleArea = sampleArea;
    this.halfU = halfU;
    this.halfV = halfV;
  }

  /**
   * Projects the pixels of {@code region} whose centres satisfy {@code |v| <= maxAbsV} (use
   * infinity for all).
   */
  static ReferenceProjectedShape of(Region region, double[] originMm, double[] u, int k,
      double maxAbsV) {
    double col = region.spacing().colMm();
    double row = region.spacing().rowMm();
    int w = region.imageWidth();
    double slack = Math.hypot(col, row);
    int n = 0;
    int[] kept = new int[region.size()];
    for (int p : region.pixels()) {
      double dx = (p % w) * col - originMm[0];
      double dy = (p / w) * row - originMm[1];
      if (Math.abs(-dx * u[1] + dy * u[0]) <= maxAbsV + slack) {
        kept[n++] = p;
      }
    }
    float[] us = new float[n * k * k];
    float[] vs = new float[n * k * k];
    int s = 0;
    for (int i = 0; i < n; i++) {
      int p = kept[i];
      for (int a = 0; a < k; a++) {
        double dy = (p / w + (a + 0.5) / k - 0.5) * row - originMm[1];
        for (int b = 0; b < k; b++) {
          double dx = (p % w + (b + 0.5) / k - 0.5) * col - originMm[0];
          us[s] = (float) (dx * u[0] + dy * u[1]);
          vs[s] = (float) (-dx * u[1] + dy * u[0]);
          s++;
        }
      }
    }
    // half-extent of one sub-square projected on each axis: samples straddling a strip edge count
    // by their overlap, so a strip's area does not jump with the sample grid
    double halfU = 0.5 * (Math.abs(u[0]) * col + Math.abs(u[1]) * row) / k;
    double halfV = 0.5 * (Math.abs(u[1]) * col + Math.abs(u[0]) * row) / k;
    return new ReferenceProjectedShape(us, vs, region.spacing().pixelAreaMm2() / (k * k), halfU,
        halfV);
  }

  boolean isEmpty() {
    return us.length == 0;
  }

  /** Area (mm²) inside the strip {@code |u - u0| < half}. */
  double areaInUStrip(double u0, double half) {
    double n = 0;
    for (float u : us) {
      n += overlap(u - u0, half, halfU);
    }
    return n * sampleArea;
  }

  /** Area (mm²) inside the band {@code |v - v0| < half}. */
  double areaInVBand(double v0, double half) {
    double n = 0;
    for (float v : vs) {
      n += overlap(v - v0, half, halfV);
    }
    return n * sampleArea;
  }

  /** Area (mm²) inside {@code |v - v0| < bandHalf} with {@code uLo <= u <= uHi}. */
  double areaInBox(double uLo, double uHi, double v0, double bandHalf) {
    double n = 0;
    for (int i = 0; i < us.length; i++) {
      if (us[i] >= uLo && us[i] <= uHi) {
        n += overlap(vs[i] - v0, bandHalf, halfV);
      }
    }
    return n * sampleArea;
  }

  /** Fraction of a sample of half-extent h centred at d that lies within [-half, half]. */
  private static double overlap(double d, double half, double h) {
    double f = (half - Math.abs(d)) / (2 * h) + 0.5;
    return f <= 0 ? 0 : f >= 1 ? 1 : f;
  }

  /** Mean u of the samples with {@code |v - v0| < half}; NaN when none. */
  double meanUInVBand(double v0, double half) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < us.length; i++) {
      if (Math.abs(vs[i] - v0) < half) {
        sum += us[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  double minU() {
    double m = Double.POSITIVE_INFINITY;
    for (float u : us) {
      m = Math.min(m, u);
    }
    return m;
  }

  double maxU() {
    double m = Double.NEGATIVE_INFINITY;
    for (float u : us) {
      m = Math.max(m, u);
    }
    return m;
  }
}
