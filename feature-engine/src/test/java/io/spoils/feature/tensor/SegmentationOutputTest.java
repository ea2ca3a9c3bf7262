package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentationOutputTest {

  private static final PixelSpacing SPACING = new PixelSpacing(0.6, 0.4);

  /** Logits [4, 2, 2] where class {@code winner[p]} has logit 5 at pixel p and the others 0. */
  private static FloatTensor oneHot(int... winner) {
    float[] data = new float[4 * 4];
    for (int p = 0; p < 4; p++) {
      data[winner[p] * 4 + p] = 5f;
    }
    return FloatTensor.of(data, 4, 2, 2);
  }

  @Test
  void toSemanticMap_quadrantsUpsampled() {
    // pixel (0,0) disc, (0,1) vertebra, (1,0) canal, (1,1) background; 2 -> 4 per axis keeps each
    // quadrant because every output pixel is nearer its own source pixel
    LabelMap map = SegmentationOutput.toSemanticMap(oneHot(1, 2, 3, 0), 4, 4, SPACING);
    assertEquals(4, map.width());
    assertEquals(4, map.height());
    assertEquals(LabelMap.Scheme.SPIDER, map.scheme());
    assertEquals(SPACING, map.spacing());
    int[][] expected = {
        {29, 29, 76, 76},
        {29, 29, 76, 76},
        {150, 150, 0, 0},
        {150, 150, 0, 0}};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(expected[y][x], map.get(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void toSemanticMap_tieGoesToLowerClass() {
    float[] data = new float[4];
    data[2] = 1f;
    data[3] = 1f;
    LabelMap map = SegmentationOutput.toSemanticMap(FloatTensor.of(data, 4, 1, 1), 3, 2, SPACING);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(76, map.get(x, y));
      }
    }
  }

  @Test
  void toSemanticMap_allEqualIsBackground() {
    LabelMap map = SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 4, 2, 2), 5, 5, SPACING);
    assertEquals(0, map.get(2, 2));
  }

  @Test
  void toSemanticMap_rejectsBadLogits() {
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[12], 3, 2, 2), 4, 4, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 1, 4, 2, 2), 4, 4, SPACING));
    float[] nan = new float[16];
    nan[5] = Float.NaN;
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(nan, 4, 2, 2), 4, 4, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[16], 4, 2, 2), 0, 4, SPACING));
  }

  /**
   * The fast path (corners sharing a decisive winner) against resizing every class at every pixel
   * (the former implementation), on random logits with smooth regions, plateaus and exact ties.
   */
  @Test
  void toSemanticMap_randomLogits_equalsResizingEveryPixel() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 40; trial++) {
      int h = 2 + random.nextInt(40);
      int w = 2 + random.nextInt(40);
      int rows = 1 + random.nextInt(90);
      int cols = 1 + random.nextInt(90);
      float[] data = new float[4 * h * w];
      double scale = Math.pow(10, random.nextInt(-3, 4));
      for (int c = 0; c < 4; c++) {
        double fx = random.nextDouble(0.05, 0.6);
        double fy = random.nextDouble(0.05, 0.6);
        for (int i = 0; i < h * w; i++) {
          double v = Math.sin(fx * (i % w) + c) * Math.cos(fy * (i / w) - c);
          // quantised values give exact ties and plateaus
          data[c * h * w + i] = (float) (scale * (trial % 3 == 0 ? Math.round(v * 4) / 4.0 : v));
        }
      }
      FloatTensor logits = FloatTensor.of(data, 4, h, w);
      LabelMap map = SegmentationOutput.toSemanticMap(logits, rows, cols, SPACING);
      int[] expected = reference(data, h, w, rows, cols);
      for (int p = 0; p < rows * cols; p++) {
        assertEquals(expected[p], map.labels()[p] & 0xFF, "trial " + trial + " pixel " + p);
      }
    }
  }

  /** Every class resized at every output pixel; first maximum wins. */
  private static int[] reference(float[] data, int h, int w, int rows, int cols) {
    BilinearResize.Axis ay = BilinearResize.Axis.of(h, rows);
    BilinearResize.Axis ax = BilinearResize.Axis.of(w, cols);
    int[] out = new int[rows * cols];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < 4; c++) {
          float v = BilinearResize.sample(data, c * h * w + ay.i0()[y] * w,
              c * h * w + ay.i1()[y] * w, ax.i0()[x], ax.i1()[x], ay.w0()[y], ay.w1()[y],
              ax.w0()[x], ax.w1()[x]);
          if (c == 0 || v > bestValue) {
            best = c;
            bestValue = v;
          }
        }
        out[y * cols + x] = SegmentationOutput.spiderId(best);
      }
    }
    return out;
  }

  /**
   * The one-pass sure winners (pairwise winners, integer maximum of the bits) against the former
   * sequential scan with {@code Math.max}, on values with ties, signed zeros, plateaus and a wide
   * range of magnitudes.
   */
  @Test
  void sureWinners_randomLogits_equalFormerScan() {
    SplittableRandom random = new SplittableRandom(17);
    float[] pool = {0f, -0f, 1f, -1f, 1e-30f, 2.5f, 2.5f, -3e20f, 3e20f, Float.MIN_VALUE, 3e38f,
        -3e38f};
    for (int trial = 0; trial < 30; trial++) {
      int plane = 1 + random.nextInt(400);
      float[] data = new float[4 * plane];
      for (int i = 0; i < data.length; i++) {
        data[i] = trial % 2 == 0 ? pool[random.nextInt(pool.length)]
            : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-5, 6)));
      }
      assertArrayEquals(formerSureWinners(data, plane), LogitArgmax.sureWinners(data, plane),
          "trial " + trial);
    }
  }

  /** A NaN or an infinity is rejected whichever class and pixel it hides in. */
  @Test
  void toSemanticMap_rejectsNonFiniteLogitAnywhere() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      for (int i = 0; i < 16; i++) {
        float[] data = new float[16];
        for (int p = 0; p < 4; p++) {
          data[p * 4 + p] = 5f;  // class p wins pixel p
        }
        data[i] = bad;
        FloatTensor logits = FloatTensor.of(data, 4, 2, 2);
        assertThrows(IllegalArgumentException.class,
            () -> SegmentationOutput.toSemanticMap(logits, 4, 4, SPACING), bad + " at " + i);
      }
    }
  }

  private static byte[] formerSureWinners(float[] data, int plane) {
    float maxAbs = 0;
    for (float v : data) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    float sureMargin = 1e-6f * maxAbs + Float.MIN_NORMAL;
    byte[] sure = new byte[plane];
    for (int p = 0; p < plane; p++) {
      int best = 0;
      float first = data[p];
      float second = Float.NEGATIVE_INFINITY;
      for (int c = 1; c < 4; c++) {
        float v = data[c * plane + p];
        if (v > first) {
          second = first;
          first = v;
          best = c;
        } else {
          second = Math.max(second, v);
        }
      }
      sure[p] = first - second > sureMargin ? (byte) best : -1;
    }
    return sure;
  }
}
