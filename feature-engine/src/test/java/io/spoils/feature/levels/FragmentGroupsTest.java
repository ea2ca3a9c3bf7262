package io.spoils.feature.levels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.LevelLabeller.DiscPiece;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fragment grouping against the pairwise nearest-pixel distances of every pair of pieces. */
class FragmentGroupsTest {
  private static final PixelSpacing SPACING = new PixelSpacing(0.4, 0.5);
  private static final double GAP_MM = 3.0;
  /** Along the rows, pointing up; no axial merging unless a test asks for it. */
  private static final double[] AXIS = {0, -1};

  @Test
  void of_randomPieces_matchPairwiseDistances() {
    Random random = new Random(5);
    for (int trial = 0; trial < 200; trial++) {
      int w = 10 + random.nextInt(50);
      int h = 10 + random.nextInt(50);
      boolean[] raster = new boolean[w * h];
      double density = 0.02 + 0.1 * random.nextDouble();
      for (int i = 0; i < raster.length; i++) {
        raster[i] = random.nextDouble() < density;
      }
      List<DiscPiece> pieces = new ArrayList<>();
      for (int[] c : ConnectedComponents.of(raster, w, h)) {
        pieces.add(new DiscPiece(new Region(c, w, SPACING), null));
      }
      LabelMap mask = new LabelMap(w, h, new byte[w * h], SPACING, LabelMap.Scheme.SPIDER);
      assertArrayEquals(reference(pieces, w), FragmentGroups.of(pieces, mask, GAP_MM, AXIS, 0),
          "trial " + trial + ", " + pieces.size() + " pieces");
    }
  }

  @Test
  void of_cornerBeyondGap_staysApart() {
    // (0, 0) and (6, 6): bounding boxes within the search window, yet 6 x 0.5 by 6 x 0.4 mm
    // = 3.84 mm apart; (6, 6) and (13, 6): 3.5 mm apart
    int w = 20;
    List<DiscPiece> pieces = List.of(piece(w, 0), piece(w, 6 * w + 6), piece(w, 6 * w + 13));
    LabelMap mask = new LabelMap(w, w, new byte[w * w], SPACING, LabelMap.Scheme.SPIDER);
    assertArrayEquals(new int[] {0, 1, 2}, FragmentGroups.of(pieces, mask, GAP_MM, AXIS, 0));
    assertArrayEquals(new int[] {0, 1, 1}, FragmentGroups.of(pieces, mask, 3.6, AXIS, 0));
    assertArrayEquals(new int[] {0, 0, 0}, FragmentGroups.of(pieces, mask, 3.9, AXIS, 0));
  }

  @Test
  void of_closeCentroidsAlongAxis_joinWithoutNearPixels() {
    int w = 40;
    List<DiscPiece> pieces = List.of(piece(w, 2 * w + 1), piece(w, 3 * w + 38));
    LabelMap mask = new LabelMap(w, w, new byte[w * w], SPACING, LabelMap.Scheme.SPIDER);
    assertArrayEquals(new int[] {0, 1}, FragmentGroups.of(pieces, mask, GAP_MM, AXIS, 0));
    assertArrayEquals(new int[] {0, 0}, FragmentGroups.of(pieces, mask, GAP_MM, AXIS, 1.0));
  }

  private static DiscPiece piece(int width, int... pixels) {
    return new DiscPiece(new Region(pixels, width, SPACING), null);
  }

  /** Smallest index of each piece's group, joining every pair within the gap. */
  private static int[] reference(List<DiscPiece> pieces, int w) {
    int n = pieces.size();
    int[] group = new int[n];
    for (int i = 0; i < n; i++) {
      group[i] = i;
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (group[i] != group[j] && near(pieces.get(i), pieces.get(j), w)) {
            int g = Math.min(group[i], group[j]);
            int old = Math.max(group[i], group[j]);
            for (int k = 0; k < n; k++) {
              group[k] = group[k] == old ? g : group[k];
            }
            changed = true;
          }
        }
      }
    }
    assertEquals(n, group.length);
    return group;
  }

  private static boolean near(DiscPiece a, DiscPiece b, int w) {
    for (int p : a.region().pixels()) {
      for (int q : b.region().pixels()) {
        double dx = (p % w - q % w) * SPACING.colMm();
        double dy = (p / w - q / w) * SPACING.rowMm();
        if (Math.hypot(dx, dy) <= GAP_MM) {
          return true;
        }
      }
    }
    return false;
  }
}
