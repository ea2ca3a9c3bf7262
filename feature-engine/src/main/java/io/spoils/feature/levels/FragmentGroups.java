package io.spoils.feature.levels;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.List;

/**
 * Groups disc pieces (sorted along the spine axis) whose nearest pixels are within a distance in
 * mm, or whose consecutive centroids are within an axial distance (union-find).
 *
 * <p>Only pairs that can still change the groups are looked at: a piece's boundary pixels are
 * searched for other pieces only while some piece whose bounding box comes within the search
 * window is not yet in its group, and the search of a piece stops as soon as all of them are.
 * Links that would join pieces already grouped cannot change the result, so it is the same as
 * linking every near pair.
 */
final class FragmentGroups {
  private final List<DiscPiece> pieces;
  private final int width;
  private final int height;
  private final int rx;
  private final int ry;
  private final int[] parent;
  /** Per piece: min x, min y, max x, max y (pixels). */
  private final int[][] boxes;
  /** Which offsets of the search window lie within the gap; made on first use. */
  private boolean[] near;
  /**
   * Piece number + 1 per pixel of {@link #frame}, 0 elsewhere; made on first use. The frame is
   * the pieces' bounding box widened by the search window (at least one pixel), clipped to the
   * image: every pixel a piece's boundary test or window reads lies in it.
   */
  private int[] owner;
  /** {x0, y0, width} of the owner raster's frame in the image. */
  private int[] frame;
  private final double gapMm;

  private FragmentGroups(List<DiscPiece> pieces, LabelMap mask, double gapMm) {
    this.pieces = pieces;
    this.width = mask.width();
    this.height = mask.height();
    this.gapMm = gapMm;
    this.rx = (int) Math.floor(gapMm / mask.spacing().colMm());
    this.ry = (int) Math.floor(gapMm / mask.spacing().rowMm());
    this.parent = new int[pieces.size()];
    this.boxes = new int[pieces.size()][];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
      boxes[i] = bounds(pieces.get(i).region().pixels(), width);
    }
  }

  /** Group id per piece (the smallest index of its group). */
  static int[] of(List<DiscPiece> pieces, LabelMap mask, double gapMm, double[] axis,
      double axialGapMm) {
    FragmentGroups g = new FragmentGroups(pieces, mask, gapMm);
    for (int i = 1; i < pieces.size(); i++) {
      double gap = LevelLabeller.project(pieces.get(i).centroidMm(), axis)
          - LevelLabeller.project(pieces.get(i - 1).centroidMm(), axis);
      if (Math.abs(gap) < axialGapMm) {
        g.union(i - 1, i);
      }
    }
    for (int i = 0; i < pieces.size(); i++) {
      g.linkNear(i, mask);
    }
    int[] group = new int[pieces.size()];
    for (int i = 0; i < group.length; i++) {
      group[i] = g.find(i);
    }
    return group;
  }

  /** Links piece i to the pieces within the gap of its boundary pixels that are not yet joined. */
  private void linkNear(int i, LabelMap mask) {
    if (!hasUnjoinedNeighbour(i)) {
      return;
    }
    if (owner == null) {
      fillOwner();
      near = window(mask.spacing().colMm(), mask.spacing().rowMm());
    }
    for (int p : pieces.get(i).region().pixels()) {
      if (isBoundary(p) && linkNeighbours(i, p) && !hasUnjoinedNeighbour(i)) {
        return;
      }
    }
  }

  private void fillOwner() {
    int[] all = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
    for (int[] b : boxes) {
      all = new int[] {Math.min(all[0], b[0]), Math.min(all[1], b[1]), Math.max(all[2], b[2]),
          Math.max(all[3], b[3])};
    }
    int x0 = Math.max(0, all[0] - Math.max(rx, 1));
    int y0 = Math.max(0, all[1] - Math.max(ry, 1));
    int x1 = Math.min(width - 1, all[2] + Math.max(rx, 1));
    int y1 = Math.min(height - 1, all[3] + Math.max(ry, 1));
    frame = new int[] {x0, y0, x1 - x0 + 1};
    owner = new int[frame[2] * (y1 - y0 + 1)];
    for (int k = 0; k < pieces.size(); k++) {
      for (int p : pieces.get(k).region().pixels()) {
        owner[at(p % width, p / width)] = k + 1;
      }
    }
  }

  /** Index in {@link #owner} of image pixel (x, y). */
  private int at(int x, int y) {
    return (y - frame[1]) * frame[2] + x - frame[0];
  }

  /** Whether a piece not in i's group has its bounding box within the search window of i's. */
  private boolean hasUnjoinedNeighbour(int i) {
    int[] a = boxes[i];
    for (int o = 0; o < boxes.length; o++) {
      int[] b = boxes[o];
      if (o != i && b[0] <= a[2] + rx && b[2] >= a[0] - rx && b[1] <= a[3] + ry
          && b[3] >= a[1] - ry && find(o) != find(i)) {
        return true;
      }
    }
    return false;
  }

  /** {min x, min y, max x, max y} of row-major pixels (any order). */
  static int[] bounds(int[] pixels, int width) {
    int[] box = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
    int y = -1;
    int rowStart = 0;
    for (int p : pixels) {
      if (y < 0 || p < rowStart || p >= rowStart + width) {
        y = p / width;
        rowStart = y * width;
        box[1] = Math.min(box[1], y);
        box[3] = Math.max(box[3], y);
      }
      box[0] = Math.min(box[0], p - rowStart);
      box[2] = Math.max(box[2], p - rowStart);
    }
    return box;
  }

  /**
   * Which offsets {@code (dx, dy)}, {@code |dx| <= rx, |dy| <= ry}, lie within the gap: the test
   * depends on the offset only, so it is made once per slice rather than per pixel pair.
   */
  private boolean[] window(double col, double row) {
    int span = 2 * rx + 1;
    boolean[] out = new boolean[span * (2 * ry + 1)];
    for (int dy = -ry; dy <= ry; dy++) {
      for (int dx = -rx; dx <= rx; dx++) {
        out[(dy + ry) * span + dx + rx] = Math.hypot(dx * col, dy * row) <= gapMm;
      }
    }
    return out;
  }

  /** Joins piece i to the other pieces within the gap of pixel p; whether it joined any. */
  private boolean linkNeighbours(int i, int p) {
    int x = p % width;
    int y = p / width;
    int span = 2 * rx + 1;
    boolean joined = false;
    for (int yy = Math.max(0, y - ry); yy <= Math.min(height - 1, y + ry); yy++) {
      int base = (yy - y + ry) * span + rx - x;
      for (int xx = Math.max(0, x - rx); xx <= Math.min(width - 1, x + rx); xx++) {
        int o = owner[at(xx, yy)] - 1;
        if (o >= 0 && o != i && near[base + xx] && find(o) != find(i)) {
          union(i, o);
          joined = true;
        }
      }
    }
    return joined;
  }

  private boolean isBoundary(int p) {
    int x = p % width;
    int y = p / width;
    if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
      return true;
    }
    int q = at(x, y);
    int me = owner[q];
    int w = frame[2];
    return owner[q - 1] != me || owner[q + 1] != me || owner[q - w] != me || owner[q + w] != me;
  }

  private void union(int i, int j) {
    int a = find(i);
    int b = find(j);
    if (a != b) {
      parent[Math.max(a, b)] = Math.min(a, b);
    }
  }

  private int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
