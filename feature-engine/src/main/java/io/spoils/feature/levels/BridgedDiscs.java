package io.spoils.feature.levels;

import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits the fragment groups of {@link FragmentGroups} that join disc-sized pieces only through
 * smaller ones. Two discs lie a vertebral body apart, so a small disc-labelled blob near both (a
 * mislabelled speck behind the vertebra, say) must not make them one disc: that renames every
 * level above. Within a group, the disc-sized pieces (at least {@link #DISC_SIZED_SHARE} of the
 * median piece area) linked to each other directly (nearest pixels within the gap, or centroids
 * within the axial gap, as {@link FragmentGroups} links) stay one disc; every other piece of the
 * group joins the disc-sized piece whose centroid is nearest. A disc drawn as dashes is untouched:
 * its dashes are small, or near each other.
 */
final class BridgedDiscs {
  /** A piece of at least this share of the median piece area is disc-sized. */
  static final double DISC_SIZED_SHARE = 0.5;

  private BridgedDiscs() {
  }

  /**
   * The groups of {@code group} (one id per piece: the smallest index of its group), with each
   * group that bridges disc-sized pieces split as above; ids keep that convention.
   */
  static int[] split(List<DiscPiece> pieces, int[] group, double[] axis, double gapMm,
      double axialGapMm) {
    int n = pieces.size();
    if (n < 3) {
      return group;
    }
    double[] areas = new double[n];
    for (int i = 0; i < n; i++) {
      areas[i] = pieces.get(i).region().areaMm2();
    }
    double[] sorted = areas.clone();
    Arrays.sort(sorted);
    double sized = DISC_SIZED_SHARE * sorted[n / 2];
    int[] out = group.clone();
    for (int g = 0; g < n; g++) {
      List<Integer> members = new ArrayList<>();
      List<Integer> discs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (group[i] == g) {
          members.add(i);
          if (areas[i] >= sized) {
            discs.add(i);
          }
        }
      }
      if (discs.size() >= 2) {
        splitGroup(pieces, members, discs, axis, gapMm, axialGapMm, out);
      }
    }
    return out;
  }

  private static void splitGroup(List<DiscPiece> pieces, List<Integer> members, List<Integer> discs,
      double[] axis, double gapMm, double axialGapMm, int[] out) {
    int k = discs.size();
    int[] parent = new int[k];
    for (int a = 0; a < k; a++) {
      parent[a] = a;
    }
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        if (find(parent, a) != find(parent, b)
            && linked(pieces.get(discs.get(a)), pieces.get(discs.get(b)), axis, gapMm,
                axialGapMm)) {
          parent[find(parent, b)] = find(parent, a);
        }
      }
    }
    int components = 0;
    for (int a = 0; a < k; a++) {
      components += find(parent, a) == a ? 1 : 0;
    }
    if (components < 2) {
      return;
    }
    // each member's component: its own (disc-sized) or that of the nearest disc-sized centroid
    int[] component = new int[members.size()];
    for (int m = 0; m < members.size(); m++) {
      int i = members.get(m);
      int own = discs.indexOf(i);
      if (own >= 0) {
        component[m] = find(parent, own);
        continue;
      }
      double best = Double.POSITIVE_INFINITY;
      for (int a = 0; a < k; a++) {
        double d = distance(pieces.get(i).centroidMm(), pieces.get(discs.get(a)).centroidMm());
        if (d < best) {
          best = d;
          component[m] = find(parent, a);
        }
      }
    }
    // the id of a new group is the smallest index among its members (members are ascending)
    int[] id = new int[k];
    Arrays.fill(id, -1);
    for (int m = 0; m < members.size(); m++) {
      if (id[component[m]] < 0) {
        id[component[m]] = members.get(m);
      }
      out[members.get(m)] = id[component[m]];
    }
  }

  /** Whether two pieces are linked directly, as {@link FragmentGroups} links them. */
  static boolean linked(DiscPiece a, DiscPiece b, double[] axis, double gapMm,
      double axialGapMm) {
    double along = LevelLabeller.project(a.centroidMm(), axis)
        - LevelLabeller.project(b.centroidMm(), axis);
    return Math.abs(along) < axialGapMm
        || (boxGapMm(a.region(), b.region()) <= gapMm
            && nearestMm(a.region(), b.region()) <= gapMm);
  }

  /** The distance in mm between the two regions' bounding boxes (0 when they overlap). */
  private static double boxGapMm(Region a, Region b) {
    int[] ba = FragmentGroups.bounds(a.pixels(), a.imageWidth());
    int[] bb = FragmentGroups.bounds(b.pixels(), b.imageWidth());
    int dx = Math.max(0, Math.max(ba[0] - bb[2], bb[0] - ba[2]));
    int dy = Math.max(0, Math.max(ba[1] - bb[3], bb[1] - ba[3]));
    return Math.hypot(dx * a.spacing().colMm(), dy * a.spacing().rowMm());
  }

  /** The smallest distance in mm between a pixel of {@code a} and one of {@code b}. */
  static double nearestMm(Region a, Region b) {
    int w = a.imageWidth();
    double col = a.spacing().colMm();
    double row = a.spacing().rowMm();
    double best = Double.POSITIVE_INFINITY;
    for (int p : a.pixels()) {
      int px = p % w;
      int py = p / w;
      for (int q : b.pixels()) {
        double d = Math.hypot((q % w - px) * col, (q / w - py) * row);
        if (d < best) {
          best = d;
        }
      }
    }
    return best;
  }

  private static double distance(double[] a, double[] b) {
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }
}
