package io.spoils.feature.levels;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.List;

/**
 * Groups disc pieces (sorted along the spine axis) whose nearest pixels are within a distance in
 * mm, or whose consecutive centroids are within an axial distance (union-find).
 */
final class FragmentGroups {
  private FragmentGroups() {}

  /** Group id per piece (the smallest index of its group). */
  static int[] of(List<DiscPiece> pieces, LabelMap mask, double gapMm, double[] axis,
      double axialGapMm) {
    int w = mask.width();
    int h = mask.height();
    int[] owner = new int[w * h];
    for (int i = 0; i < pieces.size(); i++) {
      for (int p : pieces.get(i).region().pixels()) {
        owner[p] = i + 1;
      }
    }
    int[] parent = new int[pieces.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 1; i < pieces.size(); i++) {
      double gap = LevelLabeller.project(pieces.get(i).region().centroidMm(), axis)
          - LevelLabeller.project(pieces.get(i - 1).region().centroidMm(), axis);
      if (Math.abs(gap) < axialGapMm) {
        union(parent, i - 1, i);
      }
    }
    int rx = (int) Math.floor(gapMm / mask.spacing().colMm());
    int ry = (int) Math.floor(gapMm / mask.spacing().rowMm());
    boolean[] near = window(rx, ry, mask.spacing().colMm(), mask.spacing().rowMm(), gapMm);
    for (int i = 0; i < pieces.size(); i++) {
      for (int p : pieces.get(i).region().pixels()) {
        if (isBoundary(owner, p, w, h)) {
          linkNeighbours(owner, parent, i, p, w, h, rx, ry, near);
        }
      }
    }
    int[] group = new int[pieces.size()];
    for (int i = 0; i < group.length; i++) {
      group[i] = find(parent, i);
    }
    return group;
  }

  /**
   * Which offsets {@code (dx, dy)}, {@code |dx| <= rx, |dy| <= ry}, lie within {@code gapMm}: the
   * test depends on the offset only, so it is made once per slice rather than per pixel pair.
   */
  private static boolean[] window(int rx, int ry, double col, double row, double gapMm) {
    int span = 2 * rx + 1;
    boolean[] near = new boolean[span * (2 * ry + 1)];
    for (int dy = -ry; dy <= ry; dy++) {
      for (int dx = -rx; dx <= rx; dx++) {
        near[(dy + ry) * span + dx + rx] = Math.hypot(dx * col, dy * row) <= gapMm;
      }
    }
    return near;
  }

  private static void linkNeighbours(int[] owner, int[] parent, int i, int p, int w, int h,
      int rx, int ry, boolean[] near) {
    int x = p % w;
    int y = p / w;
    int span = 2 * rx + 1;
    for (int yy = Math.max(0, y - ry); yy <= Math.min(h - 1, y + ry); yy++) {
      int base = (yy - y + ry) * span + rx - x;
      for (int xx = Math.max(0, x - rx); xx <= Math.min(w - 1, x + rx); xx++) {
        int o = owner[yy * w + xx] - 1;
        if (o >= 0 && o != i && near[base + xx]) {
          union(parent, i, o);
        }
      }
    }
  }

  private static boolean isBoundary(int[] owner, int p, int w, int h) {
    int x = p % w;
    int y = p / w;
    if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
      return true;
    }
    int me = owner[p];
    return owner[p - 1] != me || owner[p + 1] != me || owner[p - w] != me || owner[p + w] != me;
  }

  private static void union(int[] parent, int i, int j) {
    int a = find(parent, i);
    int b = find(parent, j);
    if (a != b) {
      parent[Math.max(a, b)] = Math.min(a, b);
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
