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
  private static final int C = SegmentationOutput.CLASSES;
  /** A 4 x 4 image whose logits are the top-left 2 x 2 of a 3 x 4 padded grid. */
  private static final SegmentationGrid SMALL = new SegmentationGrid(4, 4, 2, 2, 3, 4);

  /**
   * Logits [5, 3, 4] where class {@code winner[p]} has logit 5 at pixel p of the 2 x 2 crop, the
   * others 0; the padding says "lumbosacral disc" loudly, and must not be read.
   */
  private static float[] oneHot(int... winner) {
    float[] data = new float[C * 12];
    java.util.Arrays.fill(data, 4 * 12, 5 * 12, 100f);
    for (int p = 0; p < 4; p++) {
      int at = (p / 2) * 4 + p % 2;
      data[4 * 12 + at] = 0f;
      data[winner[p] * 12 + at] = 5f;
    }
    return data;
  }

  private static LabelMap map(float[] data, SegmentationGrid grid) {
    return SegmentationOutput.toSemanticMap(FloatTensor.of(data, grid.outputShape()), grid, SPACING);
  }

  @Test
  void toSemanticMap_quadrantsUpsampledPaddingIgnored() {
    // pixel (0,0) disc, (0,1) vertebra, (1,0) canal, (1,1) lumbosacral disc; 2 -> 4 per axis
    // keeps each quadrant because every output pixel is nearer its own source pixel
    LabelMap map = map(oneHot(1, 2, 3, 4), SMALL);
    assertEquals(4, map.width());
    assertEquals(4, map.height());
    assertEquals(LabelMap.Scheme.SPIDER, map.scheme());
    assertEquals(SPACING, map.spacing());
    int[][] expected = {
        {29, 29, 76, 76},
        {29, 29, 76, 76},
        {150, 150, 31, 31},
        {150, 150, 31, 31}};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(expected[y][x], map.get(x, y), "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void spiderId_lumbosacralDiscIs31() {
    assertEquals(31, SegmentationOutput.spiderId(SegmentationOutput.LUMBOSACRAL_CLASS));
    assertEquals(31, SegmentationOutput.LUMBOSACRAL_DISC);
    assertEquals(0, SegmentationOutput.spiderId(0));
    assertEquals(150, SegmentationOutput.spiderId(3));
  }

  @Test
  void toSemanticMap_tieGoesToLowerClass() {
    SegmentationGrid grid = new SegmentationGrid(3, 2, 1, 1, 1, 1);
    float[] data = new float[C];
    data[2] = 1f;
    data[4] = 1f;
    LabelMap map = map(data, grid);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(76, map.get(x, y));
      }
    }
  }

  @Test
  void toSemanticMap_allEqualIsBackground() {
    assertEquals(0, map(new float[C * 12], new SegmentationGrid(5, 5, 2, 2, 3, 4)).get(2, 2));
  }

  @Test
  void toSemanticMap_imageSizeAndSpacing_gridOfTheContract() {
    // 100 x 80 at 1.0 x 0.9 mm -> 125 x 90 at 0.8 mm -> padded 128 x 96
    SegmentationGrid grid = SegmentationGrid.of(100, 80, new PixelSpacing(1.0, 0.9));
    float[] data = new float[C * 128 * 96];
    java.util.Arrays.fill(data, 2 * 128 * 96, 3 * 128 * 96, 1f);
    LabelMap map = SegmentationOutput.toSemanticMap(FloatTensor.of(data, 5, 128, 96), 100, 80,
        new PixelSpacing(1.0, 0.9));
    assertEquals(grid.rows0(), map.height());
    assertEquals(80, map.width());
    assertEquals(76, map.get(79, 99));
    assertThrows(IllegalArgumentException.class, () -> SegmentationOutput.toSemanticMap(
        FloatTensor.of(new float[C * 128 * 128], 5, 128, 128), 100, 80, new PixelSpacing(1.0, 0.9)));
  }

  @Test
  void toSemanticMap_rejectsBadLogits() {
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[48], 4, 3, 4), SMALL, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[60], 1, 5, 3, 4), SMALL, SPACING));
    assertThrows(IllegalArgumentException.class,
        () -> SegmentationOutput.toSemanticMap(FloatTensor.of(new float[40], 5, 2, 4), SMALL, SPACING));
    float[] nan = oneHot(0, 1, 2, 3);
    nan[12 + 5] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> map(nan, SMALL));
    assertThrows(IllegalArgumentException.class, () -> new SegmentationGrid(0, 4, 2, 2, 3, 4));
    assertThrows(IllegalArgumentException.class, () -> new SegmentationGrid(4, 4, 4, 2, 3, 4));
  }

  /** The padding is never read: a NaN there is not the crop's business. */
  @Test
  void toSemanticMap_nonFiniteInPadding_ignored() {
    float[] data = oneHot(1, 2, 3, 4);
    data[2] = Float.NaN;           // class 0, row 0, column 2
    data[3 * 12 + 8] = Float.POSITIVE_INFINITY;  // class 3, row 2
    assertEquals(29, map(data, SMALL).get(0, 0));
  }

  @Test
  void toGridMap_quadrants_gridSizeSpacingPaddingIgnored() {
    // SMALL: 4 x 4 pixels of 0.6 x 0.4 mm read as 2 x 2 grid pixels of 1.2 x 0.8 mm
    LabelMap m = SegmentationOutput.toGridMap(FloatTensor.of(oneHot(1, 2, 3, 4),
        SMALL.outputShape()), SMALL, SPACING);
    assertEquals(2, m.width());
    assertEquals(2, m.height());
    assertEquals(new PixelSpacing(1.2, 0.8), m.spacing());
    assertEquals(LabelMap.Scheme.SPIDER, m.scheme());
    assertArrayEquals(new byte[] {29, 76, (byte) 150, 31}, m.labels());
  }

  @Test
  void toGridMap_tiesToLowerClassAndNonFiniteRejected() {
    // one grid pixel, padded to 1 x 2: vertebra and canal tie, the padding is not read
    SegmentationGrid grid = new SegmentationGrid(4, 4, 1, 1, 1, 2);
    float[] data = new float[C * 2];
    data[2 * 2] = 1f;
    data[3 * 2] = 1f;
    data[4 * 2 + 1] = Float.NaN;
    FloatTensor tie = FloatTensor.of(data, grid.outputShape());
    assertEquals(76, SegmentationOutput.toGridMap(tie, grid, SPACING).labels()[0] & 0xFF);
    data[4 * 2] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> SegmentationOutput.toGridMap(
        FloatTensor.of(data, grid.outputShape()), grid, SPACING));
    assertThrows(IllegalArgumentException.class, () -> SegmentationOutput.toGridMap(
        FloatTensor.of(new float[48], 4, 3, 4), SMALL, SPACING));
  }

  @Test
  void toGridMap_sameImageSize_equalsTheSemanticMap() {
    // where the grid is the image's own size the resize is the identity: both reads agree
    SplittableRandom random = new SplittableRandom(5);
    SegmentationGrid grid = new SegmentationGrid(20, 30, 20, 30, 32, 32);
    float[] data = new float[C * 32 * 32];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble(-3, 3);
    }
    FloatTensor logits = FloatTensor.of(data, grid.outputShape());
    assertArrayEquals(SegmentationOutput.toSemanticMap(logits, grid, SPACING).labels(),
        SegmentationOutput.toGridMap(logits, grid, SPACING).labels());
  }

  /**
   * The fast path (corners sharing a decisive winner) against resizing every class at every pixel
   * of the crop, on random logits with smooth regions, plateaus and exact ties, and random padding.
   */
  @Test
  void toSemanticMap_randomLogits_equalsResizingEveryPixel() {
    SplittableRandom random = new SplittableRandom(11);
    for (int trial = 0; trial < 40; trial++) {
      int h1 = 2 + random.nextInt(40);
      int w1 = 2 + random.nextInt(40);
      int hp = h1 + random.nextInt(5);
      int wp = w1 + random.nextInt(5);
      int rows = 1 + random.nextInt(90);
      int cols = 1 + random.nextInt(90);
      int plane = hp * wp;
      float[] data = new float[C * plane];
      double scale = Math.pow(10, random.nextInt(-3, 4));
      for (int c = 0; c < C; c++) {
        double fx = random.nextDouble(0.05, 0.6);
        double fy = random.nextDouble(0.05, 0.6);
        for (int i = 0; i < plane; i++) {
          double v = Math.sin(fx * (i % wp) + c) * Math.cos(fy * (i / wp) - c);
          // quantised values give exact ties and plateaus
          data[c * plane + i] = (float) (scale * (trial % 3 == 0 ? Math.round(v * 4) / 4.0 : v));
        }
      }
      SegmentationGrid grid = new SegmentationGrid(rows, cols, h1, w1, hp, wp);
      LabelMap map = map(data, grid);
      int[] expected = reference(data, grid);
      for (int p = 0; p < rows * cols; p++) {
        assertEquals(expected[p], map.labels()[p] & 0xFF, "trial " + trial + " pixel " + p);
      }
    }
  }

  /** Every class of the crop resized at every output pixel; first maximum wins. */
  private static int[] reference(float[] data, SegmentationGrid g) {
    BilinearResize.Axis ay = BilinearResize.Axis.of(g.rows1(), g.rows0());
    BilinearResize.Axis ax = BilinearResize.Axis.of(g.cols1(), g.cols0());
    int plane = g.paddedRows() * g.paddedCols();
    int stride = g.paddedCols();
    int[] out = new int[g.rows0() * g.cols0()];
    for (int y = 0; y < g.rows0(); y++) {
      for (int x = 0; x < g.cols0(); x++) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < C; c++) {
          float v = BilinearResize.sample(data, c * plane + ay.i0()[y] * stride,
              c * plane + ay.i1()[y] * stride, ax.i0()[x], ax.i1()[x], ay.w0()[y], ay.w1()[y],
              ax.w0()[x], ax.w1()[x]);
          if (c == 0 || v > bestValue) {
            best = c;
            bestValue = v;
          }
        }
        out[y * g.cols0() + x] = SegmentationOutput.spiderId(best);
      }
    }
    return out;
  }

  /**
   * The one-pass sure winners (pairwise winners, then the fifth class) against a sequential scan
   * with {@code Math.max}, on values with ties, signed zeros, plateaus and a wide range of
   * magnitudes.
   */
  @Test
  void sureWinners_randomLogits_equalSequentialScan() {
    SplittableRandom random = new SplittableRandom(17);
    float[] pool = {0f, -0f, 1f, -1f, 1e-30f, 2.5f, 2.5f, -3e20f, 3e20f, Float.MIN_VALUE, 3e38f,
        -3e38f};
    for (int trial = 0; trial < 30; trial++) {
      int plane = 1 + random.nextInt(400);
      float[] data = new float[C * plane];
      for (int i = 0; i < data.length; i++) {
        data[i] = trial % 2 == 0 ? pool[random.nextInt(pool.length)]
            : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-5, 6)));
      }
      assertArrayEquals(scanSureWinners(data, plane), LogitArgmax.sureWinners(data, plane),
          "trial " + trial);
    }
  }

  /** A NaN or an infinity is rejected whichever class and pixel of the crop it hides in. */
  @Test
  void toSemanticMap_rejectsNonFiniteLogitAnywhereInTheCrop() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      for (int k = 0; k < C; k++) {
        for (int p = 0; p < 4; p++) {
          float[] data = oneHot(0, 1, 2, 3);
          data[k * 12 + (p / 2) * 4 + p % 2] = bad;
          assertThrows(IllegalArgumentException.class, () -> map(data, SMALL),
              bad + " in class " + k + " at " + p);
        }
      }
    }
  }

  private static byte[] scanSureWinners(float[] data, int plane) {
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
      for (int c = 1; c < C; c++) {
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
