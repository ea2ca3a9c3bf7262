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
