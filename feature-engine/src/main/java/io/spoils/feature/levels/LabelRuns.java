package io.spoils.feature.levels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The horizontal runs of equal non-zero labels of a row-major label raster, grouped by label value
 * (raster order within a value). The raster is read once, eight labels at a time where they are
 * all background or all equal to the run's label, so a structure costs about its width per row
 * and the background almost nothing.
 */
final class LabelRuns {
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;

  private final int width;
  /** Runs of value v are at {@code [first[v], first[v + 1])} of the arrays below. */
  private final int[] first = new int[257];
  private final int[] row;
  private final int[] firstX;
  private final int[] length;

  private LabelRuns(byte[] labels, int width, int height) {
    this.width = width;
    int[][] raw = scan(labels, width, height);
    int count = raw[4][0];
    for (int i = 0; i < count; i++) {
      first[raw[0][i] + 1]++;
    }
    for (int v = 0; v < 256; v++) {
      first[v + 1] += first[v];
    }
    int[] next = Arrays.copyOf(first, 256);
    row = new int[count];
    firstX = new int[count];
    length = new int[count];
    for (int i = 0; i < count; i++) {
      int k = next[raw[0][i]]++;
      row[k] = raw[1][i];
      firstX[k] = raw[2][i];
      length[k] = raw[3][i];
    }
  }

  /** @param labels row-major, length {@code width * height}, values read unsigned */
  static LabelRuns of(byte[] labels, int width, int height) {
    if ((long) width * height != labels.length) {
      throw new IllegalArgumentException("labels size does not match " + width + "x" + height);
    }
    return new LabelRuns(labels, width, height);
  }

  /** The pixels of one non-zero label value as runs (components not yet traced). */
  PixelRuns pixelRuns(int value) {
    checkValue(value);
    return PixelRuns.ofRuns(row, firstX, length, first[value], first[value + 1], width);
  }

  /**
   * The pixels of two non-zero label values together as runs (components not yet traced), in
   * raster order; runs of the two values that touch within a row are joined into one run.
   */
  PixelRuns pixelRuns(int a, int b) {
    if (a == b) {
      return pixelRuns(a);
    }
    checkValue(a);
    checkValue(b);
    int n = first[a + 1] - first[a] + first[b + 1] - first[b];
    int[] rows = new int[n];
    int[] xs = new int[n];
    int[] lengths = new int[n];
    int i = first[a];
    int j = first[b];
    int m = 0;
    while (i < first[a + 1] || j < first[b + 1]) {
      boolean takeA = j >= first[b + 1] || (i < first[a + 1] && (row[i] < row[j]
          || (row[i] == row[j] && firstX[i] < firstX[j])));
      int k = takeA ? i++ : j++;
      if (m > 0 && rows[m - 1] == row[k] && xs[m - 1] + lengths[m - 1] == firstX[k]) {
        lengths[m - 1] += length[k];
      } else {
        rows[m] = row[k];
        xs[m] = firstX[k];
        lengths[m++] = length[k];
      }
    }
    return PixelRuns.ofRuns(rows, xs, lengths, 0, m, width);
  }

  private static void checkValue(int value) {
    if (value <= 0 || value > 255) {
      throw new IllegalArgumentException("label value out of 1..255: " + value);
    }
  }

  /** Runs in raster order as {value, row, first x, length} arrays and {count}. */
  private static int[][] scan(byte[] labels, int width, int height) {
    int[][] runs = new int[4][64];
    int count = 0;
    for (int y = 0; y < height; y++) {
      int rowStart = y * width;
      int end = rowStart + width;
      int p = skipRun(labels, rowStart, end, 0);
      while (p < end) {
        byte v = labels[p];
        int q = skipRun(labels, p + 1, end, v);
        if (count == runs[0].length) {
          for (int a = 0; a < 4; a++) {
            runs[a] = Arrays.copyOf(runs[a], 2 * count);
          }
        }
        runs[0][count] = v & 0xFF;
        runs[1][count] = y;
        runs[2][count] = p - rowStart;
        runs[3][count++] = q - p;
        p = skipRun(labels, q, end, 0);
      }
    }
    return new int[][] {runs[0], runs[1], runs[2], runs[3], {count}};
  }

  /** The first index in {@code [p, end)} whose label is not {@code v}, or {@code end}. */
  private static int skipRun(byte[] labels, int p, int end, int v) {
    long word = (v & 0xFFL) * ONES;
    while (p + 8 <= end && (long) WORDS.get(labels, p) == word) {
      p += 8;
    }
    byte b = (byte) v;
    while (p < end && labels[p] == b) {
      p++;
    }
    return p;
  }
}
