package io.spoils.feature.geometry;

import io.spoils.feature.levels.Region;

/**
 * A region's pixels as point samples in a rotated frame, for sub-pixel length estimates. Each
 * pixel square ({@code colMm x rowMm}) is split into {@code k x k} sub-squares whose centres are
 * projected onto the frame's axes: {@code u} along the unit vector {@code (ux, uy)} (mm space) and
 * {@code v} along its left normal {@code (-uy, ux)}, both relative to an origin in mm; each
 * projection is rounded to float32. Chords are then estimated as the area inside a strip divided by
 * the strip's width, which averages the raster quantisation along the strip instead of trusting one
 * row of pixels.
 *
 * <p>Speed: the sub-samples are not stored. Every query first classifies whole pixels by their
 * centre's projection and the largest offset of a sub-sample from it ({@link #reachU},
 * {@link #reachV}, with a margin far above rounding): a pixel wholly inside a strip adds
 * {@code k * k} full samples at once, one wholly outside adds nothing, and only pixels straddling
 * a strip edge have their {@code k * k} samples computed, with exactly the arithmetic a stored
 * sample would have had. Results equal sample-by-sample summation up to the order of the
 * additions (last bits); {@code ProjectedShapeTest} checks this against the former stored-sample
 * implementation. Instances are used by one thread (they keep a per-pixel scratch).
 */
final class ProjectedShape {
  /** Margin (mm) on pixel classification, covering float32 rounding of the samples (~1e-5 mm). */
  private static final double MARGIN_MM = 1e-3;

  /** Pixels kept: the first {@link #n} entries of the four arrays below. */
  private final int n;
  private final int[] xs;
  private final int[] ys;
  private final double[] pu;
  private final double[] pv;
  private final int k;
  private final double col;
  private final double row;
  private final double[] origin;
  private final double[] axis;
  private final double sampleArea;
  private final double halfU;
  private final double halfV;
  private final double reachU;
  private final double reachV;
  /** Per sub-sample index: {@code (a + 0.5) / k}. */
  private final double[] subOffset;
  /** Scratch for one pixel's sub-sample offsets from the origin (mm), by column and by row. */
  private final double[] sampleDx;
  private final double[] sampleDy;
  /** The pixel whose offsets the scratch holds, or -1. */
  private int filled = -1;
  /**
   * Scratch for one pixel's sample projections as two terms, {@code u = termCol[b] + termRow[a]}
   * and {@code v = termColV[b] + termRowV[a]}: the same products and sums as
   * {@link #sampleU}/{@link #sampleV}, computed 2k times instead of 2k² times per pixel.
   */
  private final double[] termCol;
  private final double[] termRow;
  private final double[] termColV;
  private final double[] termRowV;

  private ProjectedShape(Region region, int[] xs, int[] ys, double[] pu, double[] pv, int n,
      double[] origin, double[] axis, int k) {
    this.k = k;
    this.col = region.spacing().colMm();
    this.row = region.spacing().rowMm();
    this.origin = origin.clone();
    this.axis = axis.clone();
    this.n = n;
    this.xs = xs;
    this.ys = ys;
    this.pu = pu;
    this.pv = pv;
    double ax = Math.abs(axis[0]);
    double ay = Math.abs(axis[1]);
    // half-extent of one sub-square projected on each axis: samples straddling a strip edge count
    // by their overlap, so a strip's area does not jump with the sample grid
    this.halfU = 0.5 * (ax * col + ay * row) / k;
    this.halfV = 0.5 * (ay * col + ax * row) / k;
    double spread = (k - 1) / (2.0 * k);
    this.reachU = spread * (ax * col + ay * row) + MARGIN_MM;
    this.reachV = spread * (ay * col + ax * row) + MARGIN_MM;
    this.sampleArea = region.spacing().pixelAreaMm2() / (k * k);
    this.subOffset = new double[k];
    for (int a = 0; a < k; a++) {
      subOffset[a] = (a + 0.5) / k;
    }
    this.sampleDx = new double[k];
    this.sampleDy = new double[k];
    this.termCol = new double[k];
    this.termRow = new double[k];
    this.termColV = new double[k];
    this.termRowV = new double[k];
  }

  /**
   * Projects the pixels of {@code region} whose centres satisfy {@code |v| <= maxAbsV} (use
   * infinity for all).
   */
  static ProjectedShape of(Region region, double[] originMm, double[] u, int k, double maxAbsV) {
    double col = region.spacing().colMm();
    double row = region.spacing().rowMm();
    int w = region.imageWidth();
    double slack = Math.hypot(col, row);
    int n = 0;
    int size = region.size();
    int[] xs = new int[size];
    int[] ys = new int[size];
    double[] pu = new double[size];
    double[] pv = new double[size];
    for (int p : region.pixels()) {
      // one division per pixel: x from y
      int y = p / w;
      int x = p - y * w;
      double dx = x * col - originMm[0];
      double dy = y * row - originMm[1];
      double v = -dx * u[1] + dy * u[0];
      if (Math.abs(v) <= maxAbsV + slack) {
        xs[n] = x;
        ys[n] = y;
        pu[n] = dx * u[0] + dy * u[1];
        pv[n++] = v;
      }
    }
    return new ProjectedShape(region, xs, ys, pu, pv, n, originMm, u, k);
  }

  /**
   * Whether {@link #of} with {@code maxAbsV} would have kept a pixel: the same test on the same
   * projections, so a narrower selection need not be projected again.
   */
  boolean anyWithinV(double maxAbsV) {
    double limit = maxAbsV + Math.hypot(col, row);
    for (int i = 0; i < n; i++) {
      if (Math.abs(pv[i]) <= limit) {
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return n == 0;
  }

  /** Area (mm²) inside the strip {@code |u - u0| < half}. */
  double areaInUStrip(double u0, double half) {
    return areaInBand(pu, reachU, halfU, true, u0, half) * sampleArea;
  }

  /** Area (mm²) inside the band {@code |v - v0| < half}. */
  double areaInVBand(double v0, double half) {
    return areaInBand(pv, reachV, halfV, false, v0, half) * sampleArea;
  }

  /** Samples (weighted by overlap) within {@code half} of {@code c} along one axis. */
  private double areaInBand(double[] centres, double reach, double h, boolean alongU, double c,
      double half) {
    double inner = half - h - reach;
    double outer = half + h + reach;
    double kk = k * k;
    double n = 0;
    for (int i = 0; i < this.n; i++) {
      double d = Math.abs(centres[i] - c);
      if (d <= inner) {
        n += kk;
      } else if (d < outer) {
        n += edgePixel(i, alongU, c, half, h);
      }
    }
    return n;
  }

  /** Overlap sum of one pixel's samples along one axis (see {@link #overlap}). */
  private double edgePixel(int i, boolean alongU, double c, double half, double h) {
    terms(i);
    double[] cols = alongU ? termCol : termColV;
    double[] rows = alongU ? termRow : termRowV;
    double inv = 1 / (2 * h);
    double n = 0;
    for (int a = 0; a < k; a++) {
      double r = rows[a];
      for (int b = 0; b < k; b++) {
        double f = (half - Math.abs((float) (cols[b] + r) - c)) * inv + 0.5;
        n += f <= 0 ? 0 : f >= 1 ? 1 : f;
      }
    }
    return n;
  }

  /** Area (mm²) inside {@code |v - v0| < bandHalf} with {@code uLo <= u <= uHi}. */
  double areaInBox(double uLo, double uHi, double v0, double bandHalf) {
    double innerV = bandHalf - halfV - reachV;
    double outerV = bandHalf + halfV + reachV;
    double kk = k * k;
    double n = 0;
    for (int i = 0; i < this.n; i++) {
      double dv = Math.abs(pv[i] - v0);
      if (dv >= outerV || pu[i] + reachU < uLo || pu[i] - reachU > uHi) {
        continue;
      }
      if (dv <= innerV && pu[i] - reachU >= uLo && pu[i] + reachU <= uHi) {
        n += kk;
        continue;
      }
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          double su = sampleU(i, a, b);
          if (su >= uLo && su <= uHi) {
            n += overlap(sampleV(i, a, b) - v0, bandHalf, halfV);
          }
        }
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
    for (int i = 0; i < this.n; i++) {
      if (Math.abs(pv[i] - v0) - reachV >= half) {
        continue;
      }
      terms(i);
      for (int a = 0; a < k; a++) {
        for (int b = 0; b < k; b++) {
          if (Math.abs((float) (termColV[b] + termRowV[a]) - v0) < half) {
            sum += (float) (termCol[b] + termRow[a]);
            n++;
          }
        }
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  double minU() {
    double m = Double.POSITIVE_INFINITY;
    for (int i = 0; i < this.n; i++) {
      if (pu[i] - reachU < m) {
        for (int a = 0; a < k; a++) {
          for (int b = 0; b < k; b++) {
            m = Math.min(m, sampleU(i, a, b));
          }
        }
      }
    }
    return m;
  }

  double maxU() {
    double m = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < this.n; i++) {
      if (pu[i] + reachU > m) {
        for (int a = 0; a < k; a++) {
          for (int b = 0; b < k; b++) {
            m = Math.max(m, sampleU(i, a, b));
          }
        }
      }
    }
    return m;
  }

  // The two sample projections below are the stored samples of the former implementation,
  // expression for expression ((y + (a + 0.5) / k - 0.5) * row - origin, the same for x), so that
  // edge pixels give bit-identical values; a pixel's k row and k column offsets are computed once
  // for its k * k samples.

  private float sampleU(int i, int a, int b) {
    fill(i);
    return (float) (sampleDx[b] * axis[0] + sampleDy[a] * axis[1]);
  }

  private float sampleV(int i, int a, int b) {
    fill(i);
    return (float) (-sampleDx[b] * axis[1] + sampleDy[a] * axis[0]);
  }

  /** Fills {@link #termCol} and the other term arrays for pixel {@code i}. */
  private void terms(int i) {
    fill(i);
    for (int a = 0; a < k; a++) {
      termCol[a] = sampleDx[a] * axis[0];
      termRow[a] = sampleDy[a] * axis[1];
      termColV[a] = -sampleDx[a] * axis[1];
      termRowV[a] = sampleDy[a] * axis[0];
    }
  }

  private void fill(int i) {
    if (filled == i) {
      return;
    }
    for (int a = 0; a < k; a++) {
      sampleDy[a] = (ys[i] + subOffset[a] - 0.5) * row - origin[1];
      sampleDx[a] = (xs[i] + subOffset[a] - 0.5) * col - origin[0];
    }
    filled = i;
  }
}
