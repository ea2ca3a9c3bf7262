package io.spoils.feature.geometry;

import io.spoils.feature.levels.Region;
import java.util.Arrays;

/**
 * A large region (the spinal canal) cut down, per query, to the image rows a tilted band can
 * reach, so that per-disc measurements read a few hundred of its pixels instead of all of them.
 *
 * <p>A query band is {@code |v| <= halfV} with {@code v = -dx * u[1] + dy * u[0]},
 * {@code (dx, dy)} a pixel centre minus {@code originMm}: the same {@code v} as
 * {@link ProjectedShape} and {@link Signals#meanInWindow}. Over the region's column range the band
 * covers a bounded range of rows; that range, widened by {@link #MARGIN_ROWS} so that rounding
 * cannot matter, is a contiguous run of the raster-ordered pixels. The run keeps the pixels' order,
 * and every pixel the band can hold is in it, so a measurement that filters by the band gives the
 * same result, bit for bit, on the run as on the whole region. Regions whose pixels are not in
 * raster order, and bands nearly parallel to the columns, get the whole region.
 */
final class BandRows {
  /** Rows added on each side of the computed range. */
  static final int MARGIN_ROWS = 2;
  /** Below this |u[0]| the band is too steep to bound by rows; the whole region is used. */
  private static final double MIN_ROW_COMPONENT = 0.2;

  private final Region region;
  private final boolean sorted;
  private final int minX;
  private final int maxX;

  BandRows(Region region) {
    this.region = region;
    int[] p = region.pixels();
    int w = region.imageWidth();
    boolean inOrder = true;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int i = 0; i < p.length; i++) {
      inOrder &= i == 0 || p[i] > p[i - 1];
      lo = Math.min(lo, p[i] % w);
      hi = Math.max(hi, p[i] % w);
    }
    this.sorted = inOrder;
    this.minX = lo;
    this.maxX = hi;
  }

  /** The whole region. */
  Region region() {
    return region;
  }

  /** The region's pixels in the rows that {@code |v| <= halfV} can reach, in their order. */
  Region band(double[] originMm, double[] u, double halfV) {
    if (!sorted || region.isEmpty() || Math.abs(u[0]) < MIN_ROW_COMPONENT
        || !Double.isFinite(halfV)) {
      return region;
    }
    double col = region.spacing().colMm();
    double row = region.spacing().rowMm();
    // dy * u0 = v + dx * u1 with |v| <= halfV and dx over the region's columns
    double a = (minX * col - originMm[0]) * u[1];
    double b = (maxX * col - originMm[0]) * u[1];
    double lo = (Math.min(a, b) - halfV) / u[0];
    double hi = (Math.max(a, b) + halfV) / u[0];
    double yLo = (Math.min(lo, hi) + originMm[1]) / row;
    double yHi = (Math.max(lo, hi) + originMm[1]) / row;
    long first = (long) Math.floor(yLo) - MARGIN_ROWS;
    long last = (long) Math.ceil(yHi) + MARGIN_ROWS;
    int w = region.imageWidth();
    int[] p = region.pixels();
    int from = start(p, Math.max(0, first) * w);
    int to = start(p, Math.max(0, last + 1) * w);
    return from == 0 && to == p.length ? region
        : new Region(Arrays.copyOfRange(p, from, to), w, region.spacing());
  }

  /** Index of the first pixel at or after raster index {@code index}. */
  private static int start(int[] sorted, long index) {
    if (index > Integer.MAX_VALUE) {
      return sorted.length;
    }
    int i = Arrays.binarySearch(sorted, (int) index);
    return i >= 0 ? i : -i - 1;
  }
}
