package io.spoils.feature.levels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The run-based labelling against a plain 8-connected flood fill on random and edge rasters. */
class ConnectedComponentsTest {

  @Test
  void of_randomRasters_matchFloodFill() {
    Random random = new Random(7);
    for (int trial = 0; trial < 300; trial++) {
      int w = 1 + random.nextInt(40);
      int h = 1 + random.nextInt(40);
      double density = random.nextDouble();
      boolean[] mask = new boolean[w * h];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = random.nextDouble() < density;
      }
      assertSame(reference(mask, w, h), ConnectedComponents.of(mask, w, h), w + "x" + h);
    }
  }

  @Test
  void of_pixelsAtRowEnds_areNotJoinedAcrossTheWrap() {
    // (3, 0) and (0, 1) are consecutive indices but not neighbours; (3, 1) touches (3, 0)
    boolean[] mask = new boolean[16];
    mask[3] = true;
    mask[4] = true;
    List<int[]> comps = ConnectedComponents.of(mask, 4, 4);
    assertEquals(2, comps.size());
    assertArrayEquals(new int[] {3}, comps.get(0));
    assertArrayEquals(new int[] {4}, comps.get(1));
  }

  @Test
  void of_crossedDiagonals_joinOnlyThroughTheCentre() {
    // the pixels of a diagonal touch only at corners; the two diagonals cross at the centre
    int n = 9;
    boolean[] mask = new boolean[n * n];
    for (int i = 0; i < n; i++) {
      mask[i * n + i] = true;
      mask[i * n + n - 1 - i] = true;
    }
    assertEquals(1, ConnectedComponents.of(mask, n, n).size());
    mask[4 * n + 4] = false;
    assertEquals(4, ConnectedComponents.of(mask, n, n).size(), "four arms without the centre");
  }

  @Test
  void ofValue_pixelWithAnotherLabel_isRejected() {
    byte[] labels = {0, 29, 76, 29};
    assertThrows(IllegalArgumentException.class,
        () -> ConnectedComponents.ofValue(labels, 29, new int[] {1, 2}, 2, 2));
  }

  @Test
  void ofValue_spiderLabels_matchBinaryRaster() {
    Random random = new Random(11);
    int w = 30;
    int h = 25;
    byte[] labels = new byte[w * h];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) new int[] {0, 29, 76, (byte) 150}[random.nextInt(4)];
    }
    boolean[] mask = new boolean[labels.length];
    for (int i = 0; i < labels.length; i++) {
      mask[i] = (labels[i] & 0xFF) == 150;
    }
    int[] pixels = MaskClasses.indices(mask);
    assertSame(reference(mask, w, h), ConnectedComponents.ofValue(labels, 150, pixels, w, h),
        "canal");
  }

  private static void assertSame(List<int[]> want, List<int[]> got, String what) {
    assertEquals(want.size(), got.size(), what + ": components");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), what + ": component " + i);
    }
  }

  /** Components by flood fill from each unlabelled pixel in raster order, pixels sorted. */
  private static List<int[]> reference(boolean[] mask, int w, int h) {
    int[] comp = new int[mask.length];
    List<int[]> out = new ArrayList<>();
    for (int start = 0; start < mask.length; start++) {
      if (mask[start] && comp[start] == 0) {
        out.add(flood(mask, w, h, start, out.size() + 1, comp));
      }
    }
    return out;
  }

  private static int[] flood(boolean[] mask, int w, int h, int start, int id, int[] comp) {
    List<Integer> stack = new ArrayList<>(List.of(start));
    comp[start] = id;
    while (!stack.isEmpty()) {
      int p = stack.remove(stack.size() - 1);
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          int x = p % w + dx;
          int y = p / w + dy;
          if (x >= 0 && y >= 0 && x < w && y < h && mask[y * w + x] && comp[y * w + x] == 0) {
            comp[y * w + x] = id;
            stack.add(y * w + x);
          }
        }
      }
    }
    int n = 0;
    for (int c : comp) {
      n += c == id ? 1 : 0;
    }
    int[] pixels = new int[n];
    int k = 0;
    for (int p = 0; p < comp.length; p++) {
      if (comp[p] == id) {
        pixels[k++] = p;
      }
    }
    return pixels;
  }
}
