package io.spoils.feature.levels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** 8-connected components of a binary raster. */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * The 8-connected components of the set pixels, each as sorted row-major pixel indices, in order
   * of their first pixel.
   *
   * @param mask row-major, length {@code width * height}
   */
  public static List<int[]> of(boolean[] mask, int width, int height) {
    if ((long) width * height != mask.length) {
      throw new IllegalArgumentException("mask size does not match " + width + "x" + height);
    }
    int[] comp = new int[mask.length];
    int[] queue = new int[mask.length];
    int[] sizes = new int[16];
    int labels = 0;
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || comp[start] != 0) {
        continue;
      }
      if (labels == sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * labels);
      }
      sizes[labels] = flood(mask, width, height, start, labels + 1, comp, queue);
      labels++;
    }
    // one raster pass collects every component's pixels already sorted (no per-component sort)
    List<int[]> out = new ArrayList<>(labels);
    int[] filled = new int[labels];
    for (int i = 0; i < labels; i++) {
      out.add(new int[sizes[i]]);
    }
    for (int p = 0; p < comp.length; p++) {
      int c = comp[p] - 1;
      if (c >= 0) {
        out.get(c)[filled[c]++] = p;
      }
    }
    return out;
  }

  /**
   * The 8-connected components of the pixels whose label is {@code value}, as {@link #of} would
   * give them for the binary raster {@code labels == value}, traced from those pixels only.
   *
   * @param labels row-major label values (read unsigned), length {@code width * height}
   * @param pixels every index with that label, in raster order
   */
  public static List<int[]> ofValue(byte[] labels, int value, int[] pixels, int width,
      int height) {
    return ofValue(labels, value, pixels, width, height, new int[labels.length], 0);
  }

  /**
   * As {@link #ofValue(byte[], int, int[], int, int)}, writing component ids into a caller's
   * raster so that one raster serves several values of the same map (their pixels never overlap):
   * component {@code i} of the result is marked {@code firstId + i + 1} in {@code comp}.
   *
   * @param comp row-major, length {@code width * height}, 0 at every pixel of this value
   * @param firstId ids already used in {@code comp} (they must not be reused)
   */
  static List<int[]> ofValue(byte[] labels, int value, int[] pixels, int width, int height,
      int[] comp, int firstId) {
    if ((long) width * height != labels.length || comp.length != labels.length) {
      throw new IllegalArgumentException("labels size does not match " + width + "x" + height);
    }
    int[] queue = new int[pixels.length];
    int[] sizes = new int[16];
    int count = 0;
    for (int start : pixels) {
      if (comp[start] != 0) {
        continue;
      }
      if (count == sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * count);
      }
      sizes[count] = floodValue(labels, (byte) value, width, height, start, firstId + count + 1,
          comp, queue);
      count++;
    }
    List<int[]> out = new ArrayList<>(count);
    int[] filled = new int[count];
    for (int i = 0; i < count; i++) {
      out.add(new int[sizes[i]]);
    }
    for (int p : pixels) {
      int c = comp[p] - firstId - 1;
      out.get(c)[filled[c]++] = p;
    }
    return out;
  }

  private static int floodValue(byte[] labels, byte value, int width, int height, int start,
      int label, int[] comp, int[] queue) {
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    comp[start] = label;
    while (head < tail) {
      int p = queue[head++];
      int x = p % width;
      int y = p / width;
      if (x > 0 && y > 0 && x < width - 1 && y < height - 1) {
        // interior pixel: the eight neighbours without bounds checks
        for (int row = p - width; row <= p + width; row += width) {
          for (int q = row - 1; q <= row + 1; q++) {
            if (comp[q] == 0 && labels[q] == value) {
              comp[q] = label;
              queue[tail++] = q;
            }
          }
        }
        continue;
      }
      for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          int q = ny * width + nx;
          if (comp[q] == 0 && labels[q] == value) {
            comp[q] = label;
            queue[tail++] = q;
          }
        }
      }
    }
    return tail;
  }

  private static int flood(boolean[] mask, int width, int height, int start, int label,
      int[] comp, int[] queue) {
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    comp[start] = label;
    while (head < tail) {
      int p = queue[head++];
      int x = p % width;
      int y = p / width;
      for (int dy = -1; dy <= 1; dy++) {
        int ny = y + dy;
        if (ny < 0 || ny >= height) {
          continue;
        }
        for (int dx = -1; dx <= 1; dx++) {
          int nx = x + dx;
          int q = ny * width + nx;
          if (nx >= 0 && nx < width && mask[q] && comp[q] == 0) {
            comp[q] = label;
            queue[tail++] = q;
          }
        }
      }
    }
    return tail;
  }
}
