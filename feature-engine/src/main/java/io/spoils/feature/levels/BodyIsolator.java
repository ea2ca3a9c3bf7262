package io.spoils.feature.levels;

import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.Arrays;
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
  /** The canal raster as bits, {@code canal[p >>> 6] >>> p & 1}: an eighth of a boolean raster. */
  private final long[] canal;
  private final int width;
  private final int height;
  private final PixelSpacing spacing;
  private final double minAreaMm2;
  private final double posteriorMarginMm;
  private final double canalSearchMm;
  /** Per image row: the smallest and largest column of a canal pixel (-1 where none). */
  private final int[] canalMinX;
  private final int[] canalMaxX;

  /** @param canalPixels the canal pixels as indices in raster order (not modified) */
  BodyIsolator(int[] canalPixels, int width, int height, PixelSpacing spacing,
      double minAreaMm2, double posteriorMarginMm, double canalSearchMm) {
    this.canal = new long[(width * height + 63) >>> 6];
    this.width = width;
    this.height = height;
    this.spacing = spacing;
    this.minAreaMm2 = minAreaMm2;
    this.posteriorMarginMm = posteriorMarginMm;
    this.canalSearchMm = canalSearchMm;
    this.canalMinX = new int[height];
    this.canalMaxX = new int[height];
    java.util.Arrays.fill(canalMinX, -1);
    java.util.Arrays.fill(canalMaxX, -1);
    int y = -1;
    int rowStart = 0;
    for (int q : canalPixels) {
      canal[q >>> 6] |= 1L << q;
      if (y < 0 || q >= rowStart + width) {
        y = q / width;
        rowStart = y * width;
        canalMinX[y] = q - rowStart;
      }
      canalMaxX[y] = q - rowStart;
    }
  }

  /**
   * The body among {@code candidates}, or null when nothing of at least the minimum area remains.
   *
   * @param candidates row-major indices of the vertebra pixels of this level, in raster order
   * @param adjacentDiscs the discs directly above/below (one or two), giving the posterior limit
   * @param ap anterior unit vector (mm space) for the ray test
   */
  Region isolate(int[] candidates, List<DiscPiece> adjacentDiscs, double[] ap) {
    double[] ref = adjacentDiscs.get(0).centroidMm();
    double posteriorLimit = Double.POSITIVE_INFINITY;
    for (DiscPiece disc : adjacentDiscs) {
      posteriorLimit = Math.min(posteriorLimit, minProjection(disc.region(), ref, ap));
    }
    int[] kept = new int[candidates.length];
    int n = candidates.length == 0 ? 0
        : keep(candidates, ref, posteriorLimit - posteriorMarginMm, ap, kept);
    PixelRuns runs = PixelRuns.of(kept, 0, n, width);
    int best = runs.largest();
    if (best < 0 || runs.size(best) * spacing.pixelAreaMm2() < minAreaMm2) {
      return null;
    }
    return new Region(runs.pixelsOf(best), width, spacing);
  }

  /**
   * Writes to {@code kept} the candidates (raster order) at or in front of the posterior limit
   * whose anterior ray meets no canal; returns how many. Rows are followed as the indices grow, so
   * no pixel needs a division.
   */
  private int keep(int[] candidates, double[] ref, double posteriorLimit, double[] ap,
      int[] kept) {
    Ray ray = Ray.of(ap, spacing, canalSearchMm, width);
    int firstRow = candidates[0] / width;
    double[] ahead = canalAhead(ray, ap, firstRow, candidates[candidates.length - 1] / width);
    double minGain = ray.minGainMm(spacing, ap) - 1e-9;
    double col = spacing.colMm();
    double rowMm = spacing.rowMm();
    int n = 0;
    int y = firstRow;
    int rowStart = y * width;
    for (int p : candidates) {
      if (p >= rowStart + width) {
        y = p / width;
        rowStart = y * width;
      }
      int x = p - rowStart;
      double s = (x * col - ref[0]) * ap[0] + (y * rowMm - ref[1]) * ap[1];
      if (s >= posteriorLimit && !(ahead[y - firstRow] >= x * col * ap[0] + y * rowMm * ap[1]
          + minGain && canalAnteriorOf(x, y, ray))) {
        kept[n++] = p;
      }
    }
    return n;
  }

  private double minProjection(Region region, double[] ref, double[] ap) {
    double min = Double.POSITIVE_INFINITY;
    int y = -1;
    int rowStart = 0;
    for (int p : region.pixels()) {
      if (y < 0 || p < rowStart || p >= rowStart + width) {
        y = p / width;
        rowStart = y * width;
      }
      double s = ((p - rowStart) * spacing.colMm() - ref[0]) * ap[0]
          + (y * spacing.rowMm() - ref[1]) * ap[1];
      min = Math.min(min, s);
    }
    return min;
  }

  /**
   * Whether a ray from pixel p in the anterior direction meets the canal within the search
   * distance. The ray visits the pixels nearest to its points every 0.7 of the smaller pixel side;
   * their offsets from p are the same for every pixel (p's coordinates are whole numbers), so they
   * are computed once per direction ({@link Ray}).
   */
  private boolean canalAnteriorOf(int x, int y, Ray ray) {
    if (ray.inside(x, y, width, height)) {
      int p = y * width + x;
      for (int offset : ray.offsets) {
        int q = p + offset;
        if ((canal[q >>> 6] >>> q & 1L) != 0) {
          return true;
        }
      }
      return false;
    }
    for (int i = 0; i < ray.dx.length; i++) {
      int xi = x + ray.dx[i];
      int yi = y + ray.dy[i];
      if (xi < 0 || yi < 0 || xi >= width || yi >= height) {
        return false;
      }
      int q = yi * width + xi;
      if ((canal[q >>> 6] >>> q & 1L) != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Per image row y from {@code firstRow} to {@code lastRow} (at {@code y - firstRow}): the largest
   * projection on {@code ap} (mm) of a canal pixel in the rows a ray starting in row y crosses;
   * negative infinity where there is none. A pixel whose own projection
   * plus the ray's smallest step gain exceeds it cannot meet the canal (most body pixels: the
   * canal is behind them), which spares walking their rays; the result is the same.
   */
  private double[] canalAhead(Ray ray, double[] ap, int firstRow, int lastRow) {
    int lo = Math.min(0, ray.dy[ray.dy.length - 1]);
    int hi = Math.max(0, ray.dy[ray.dy.length - 1]);
    int from = Math.max(0, firstRow + lo);
    int to = Math.min(height - 1, lastRow + hi);
    double[] rowMax = new double[Math.max(0, to - from + 1)];
    java.util.Arrays.fill(rowMax, Double.NEGATIVE_INFINITY);
    // within a row the projection is monotone in the column (also after rounding), so the
    // row's largest projection is at its first or last canal pixel
    for (int y = from; y <= to; y++) {
      if (canalMinX[y] >= 0) {
        rowMax[y - from] = Math.max(project(y * width + canalMinX[y], ap),
            project(y * width + canalMaxX[y], ap));
      }
    }
    double[] out = new double[lastRow - firstRow + 1];
    for (int y = firstRow; y <= lastRow; y++) {
      double m = Double.NEGATIVE_INFINITY;
      for (int r = Math.max(from, y + lo); r <= Math.min(to, y + hi); r++) {
        m = Math.max(m, rowMax[r - from]);
      }
      out[y - firstRow] = m;
    }
    return out;
  }

  private double project(int p, double[] ap) {
    return (p % width) * spacing.colMm() * ap[0] + (p / width) * spacing.rowMm() * ap[1];
  }

  /**
   * Pixel offsets of the ray's steps 1..n, {@code round(i * step)} per axis, a step that lands on
   * the pixel of the step before left out (it cannot change the answer); {@code offsets} are the
   * same as raster index offsets, and {@code box} is {min dx, max dx, min dy, max dy}.
   */
  private record Ray(int[] dx, int[] dy, int[] offsets, int[] box) {
    /** Whether every step from (x, y) lands inside the image. */
    boolean inside(int x, int y, int width, int height) {
      return x + box[0] >= 0 && x + box[1] < width && y + box[2] >= 0 && y + box[3] < height;
    }

    /** The smallest advance along {@code ap} (mm) of any step's pixel. */
    double minGainMm(PixelSpacing spacing, double[] ap) {
      double m = Double.POSITIVE_INFINITY;
      for (int i = 0; i < dx.length; i++) {
        m = Math.min(m, dx[i] * spacing.colMm() * ap[0] + dy[i] * spacing.rowMm() * ap[1]);
      }
      return m;
    }

    static Ray of(double[] ap, PixelSpacing spacing, double lengthMm, int width) {
      double stepMm = 0.7 * Math.min(spacing.rowMm(), spacing.colMm());
      double sx = ap[0] * stepMm / spacing.colMm();
      double sy = ap[1] * stepMm / spacing.rowMm();
      int steps = (int) Math.ceil(lengthMm / stepMm);
      int[] dx = new int[steps];
      int[] dy = new int[steps];
      int n = 0;
      for (int i = 1; i <= steps; i++) {
        dx[n] = (int) Math.round(i * sx);
        dy[n] = (int) Math.round(i * sy);
        if (n == 0 || dx[n] != dx[n - 1] || dy[n] != dy[n - 1]) {
          n++;
        }
      }
      int[] offsets = new int[n];
      int[] box = {0, 0, 0, 0};
      for (int i = 0; i < n; i++) {
        offsets[i] = dy[i] * width + dx[i];
        box[0] = Math.min(box[0], dx[i]);
        box[1] = Math.max(box[1], dx[i]);
        box[2] = Math.min(box[2], dy[i]);
        box[3] = Math.max(box[3], dy[i]);
      }
      return new Ray(Arrays.copyOf(dx, n), Arrays.copyOf(dy, n), offsets, box);
    }
  }

  /** Whether a region touches the image border. */
  boolean touchesBorder(Region region) {
    int y = -1;
    int rowStart = 0;
    for (int p : region.pixels()) {
      if (y < 0 || p < rowStart || p >= rowStart + width) {
        y = p / width;
        rowStart = y * width;
        if (y == 0 || y == height - 1) {
          return true;
        }
      }
      int x = p - rowStart;
      if (x == 0 || x == width - 1) {
        return true;
      }
    }
    return false;
  }
}
