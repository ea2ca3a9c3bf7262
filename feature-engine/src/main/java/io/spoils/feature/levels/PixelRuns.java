package io.spoils.feature.levels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 8-connected components of a pixel set given as row-major indices in raster order, found on
 * its horizontal runs: runs are linked to the runs of the row above that they touch (columns
 * overlapping or diagonal), with union-find over runs. The cost grows with the number of runs, not
 * with the pixels or the image, and no image-sized raster is needed. Components are numbered
 * from 0 in order of their first pixel, as a raster-order flood fill numbers them.
 */
final class PixelRuns {
  private final int[] pixels;
  /** Per run: index of its first pixel in {@link #pixels}; one more entry ends the last run. */
  private final int[] start;
  private final int[] row;
  private final int[] firstX;
  private final int runs;
  private final int[] component;
  private final int[] sizes;

  private PixelRuns(int[] pixels, int[][] runs) {
    this.pixels = pixels;
    this.start = runs[0];
    this.row = runs[1];
    this.firstX = runs[2];
    this.runs = runs[3][0];
    this.component = new int[this.runs];
    this.sizes = link();
  }

  /**
   * @param pixels row-major indices, strictly increasing in {@code [from, to)} (the array is kept,
   *     not copied, and not modified)
   */
  static PixelRuns of(int[] pixels, int from, int to, int width) {
    return new PixelRuns(pixels, split(pixels, from, to, width));
  }

  /**
   * The pixels of the runs {@code [from, to)} of the given arrays, which must be in raster order
   * and not touch within a row (the arrays are not kept).
   */
  static PixelRuns ofRuns(int[] rows, int[] firstXs, int[] lengths, int from, int to,
      int width) {
    int runs = to - from;
    int[] start = new int[runs + 1];
    for (int r = 0; r < runs; r++) {
      start[r + 1] = start[r] + lengths[from + r];
    }
    int[] pixels = new int[start[runs]];
    for (int r = 0; r < runs; r++) {
      int p = rows[from + r] * width + firstXs[from + r];
      for (int i = start[r]; i < start[r + 1]; i++) {
        pixels[i] = p++;
      }
    }
    return new PixelRuns(pixels, new int[][] {start, Arrays.copyOfRange(rows, from, to),
        Arrays.copyOfRange(firstXs, from, to), {runs}});
  }

  /** Number of components. */
  int count() {
    return sizes.length;
  }

  /** Pixels per component. */
  int size(int c) {
    return sizes[c];
  }

  /** Number of runs. */
  int runCount() {
    return runs;
  }

  /** Row of run r. */
  int row(int r) {
    return row[r];
  }

  /** Column of run r's first pixel. */
  int firstX(int r) {
    return firstX[r];
  }

  /** Pixels in run r. */
  int length(int r) {
    return start[r + 1] - start[r];
  }

  /** Index of run r's first pixel in the pixel array. */
  int start(int r) {
    return start[r];
  }

  /** Pixels in the runs {@code [from, to)}. */
  int pixelCount(int from, int to) {
    return start[to] - start[from];
  }

  /** The first run whose row is at least {@code y} (rows are non-decreasing), or the count. */
  int firstRunAtOrBelow(long y) {
    int lo = 0;
    int hi = runs;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (row[mid] < y) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Cuts the pixels into runs of consecutive columns of one row; no division per pixel. */
  private static int[][] split(int[] pixels, int from, int to, int width) {
    // runs are far fewer than pixels: grow as needed rather than size for the worst case
    int capacity = Math.min(to - from, 64);
    int[] start = new int[capacity + 1];
    int[] row = new int[capacity];
    int[] firstX = new int[capacity];
    int runs = 0;
    int y = -1;
    int rowStart = 0;
    int prev = -2;
    for (int i = from; i < to; i++) {
      int p = pixels[i];
      boolean newRow = p >= rowStart + width || y < 0;
      if (newRow) {
        y = p / width;
        rowStart = y * width;
      }
      if (newRow || p != prev + 1) {
        if (runs == row.length) {
          start = Arrays.copyOf(start, 2 * runs + 1);
          row = Arrays.copyOf(row, 2 * runs);
          firstX = Arrays.copyOf(firstX, 2 * runs);
        }
        start[runs] = i;
        row[runs] = y;
        firstX[runs++] = p - rowStart;
      }
      prev = p;
    }
    start[runs] = to;
    return new int[][] {start, row, firstX, {runs}};
  }

  /** Links touching runs of consecutive rows; returns the component sizes. */
  private int[] link() {
    int[] parent = new int[runs];
    int above = 0;
    int rowBegin = 0;
    for (int r = 0; r < runs; r++) {
      parent[r] = r;
      if (r > 0 && row[r] != row[r - 1]) {
        above = row[r] == row[r - 1] + 1 ? rowBegin : r;
        rowBegin = r;
      }
      int lo = firstX[r] - 1;
      int hi = lastX(r) + 1;
      // runs of the row above ending left of this one cannot touch it or any later run
      while (above < rowBegin && lastX(above) < lo) {
        above++;
      }
      for (int a = above; a < rowBegin && firstX[a] <= hi; a++) {
        union(parent, a, r);
      }
    }
    return number(parent);
  }

  private int lastX(int r) {
    return firstX[r] + start[r + 1] - start[r] - 1;
  }

  /** Component ids in order of each component's first run (its root: the smallest run). */
  private int[] number(int[] parent) {
    int count = 0;
    int[] sizes = new int[16];
    for (int r = 0; r < runs; r++) {
      int root = find(parent, r);
      if (root == r) {
        if (count == sizes.length) {
          sizes = Arrays.copyOf(sizes, 2 * count);
        }
        component[r] = count++;
      } else {
        component[r] = component[root];
      }
      sizes[component[r]] += start[r + 1] - start[r];
    }
    return Arrays.copyOf(sizes, count);
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Every component's pixels, in raster order, components in order of their first pixel. */
  List<int[]> components() {
    List<int[]> out = new ArrayList<>(sizes.length);
    int[] filled = new int[sizes.length];
    for (int size : sizes) {
      out.add(new int[size]);
    }
    for (int r = 0; r < runs; r++) {
      int c = component[r];
      int len = start[r + 1] - start[r];
      System.arraycopy(pixels, start[r], out.get(c), filled[c], len);
      filled[c] += len;
    }
    return out;
  }

  /** The pixels of the components marked in {@code keep}, in raster order. */
  int[] pixelsOf(boolean[] keep) {
    int n = 0;
    for (int c = 0; c < sizes.length; c++) {
      n += keep[c] ? sizes[c] : 0;
    }
    int[] out = new int[n];
    int k = 0;
    for (int r = 0; r < runs; r++) {
      if (keep[component[r]]) {
        int len = start[r + 1] - start[r];
        System.arraycopy(pixels, start[r], out, k, len);
        k += len;
      }
    }
    return out;
  }

  /**
   * The components marked in {@code keep} as runs of their own, over a new pixel array
   * ({@link #pixels()}) in raster order.
   */
  PixelRuns keep(boolean[] keep) {
    int[] kept = pixelsOf(keep);
    int m = 0;
    for (int r = 0; r < runs; r++) {
      m += keep[component[r]] ? 1 : 0;
    }
    int[][] out = {new int[m + 1], new int[m], new int[m], {m}};
    int k = 0;
    for (int r = 0; r < runs; r++) {
      if (keep[component[r]]) {
        out[0][k + 1] = out[0][k] + start[r + 1] - start[r];
        out[1][k] = row[r];
        out[2][k++] = firstX[r];
      }
    }
    return new PixelRuns(kept, out);
  }

  /**
   * The pixel array the runs index ({@link #start}); for runs made by {@link #keep} or
   * {@link #ofRuns}, exactly their pixels. Shared: callers must not modify it.
   */
  int[] pixels() {
    return pixels;
  }

  /** The first component of the largest size, or -1 when there is none. */
  int largest() {
    int best = -1;
    for (int c = 0; c < sizes.length; c++) {
      if (best < 0 || sizes[c] > sizes[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The pixels of one component, in raster order. */
  int[] pixelsOf(int c) {
    boolean[] keep = new boolean[sizes.length];
    keep[c] = true;
    return pixelsOf(keep);
  }
}
