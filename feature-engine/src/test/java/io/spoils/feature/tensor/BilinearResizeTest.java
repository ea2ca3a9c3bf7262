package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BilinearResizeTest {

  @Test
  void resize_twoByTwoToFourByFour() {
    // Per axis 2 -> 4 samples at s = 0 (clamped from -0.25), 0.25, 0.75, 1.25 (clamped to index 1),
    // i.e. weights of the second pixel 0, 0.25, 0.75, 1; the image is f = 8 * row + 4 * col.
    float[] out = BilinearResize.resize(new float[] {0, 4, 8, 12}, 2, 2, 4, 4);
    assertArrayEquals(new float[] {
        0, 1, 3, 4,
        2, 3, 5, 6,
        6, 7, 9, 10,
        8, 9, 11, 12}, out);
  }

  @Test
  void resize_constantImage() {
    float[] src = new float[7 * 5];
    Arrays.fill(src, 42.5f);
    float[] expected = new float[13 * 3];
    Arrays.fill(expected, 42.5f);
    assertArrayEquals(expected, BilinearResize.resize(src, 7, 5, 13, 3));
  }

  @Test
  void resize_halvingAveragesBlocks() {
    // 4 -> 2 samples at s = 0.5 and 2.5: the mean of each 2 x 2 block
    float[] src = {
        1, 3, 10, 20,
        5, 7, 30, 40,
        0, 0, 2, 2,
        4, 4, 6, 6};
    assertArrayEquals(new float[] {4, 25, 2, 4}, BilinearResize.resize(src, 4, 4, 2, 2));
  }

  @Test
  void resize_sameSizeIsIdentity() {
    float[] src = {0.1f, -7f, 3.3f, 1e6f, 2f, 9f};
    assertArrayEquals(src, BilinearResize.resize(src, 2, 3, 2, 3));
  }

  @Test
  void resize_singleRowToColumnOfCopies() {
    float[] out = BilinearResize.resize(new float[] {5f}, 1, 1, 3, 2);
    assertArrayEquals(new float[] {5, 5, 5, 5, 5, 5}, out);
  }

  @Test
  void resize_tensorPlanesIndependent() {
    FloatTensor t = FloatTensor.of(new float[] {0, 4, 8, 12, 1, 1, 1, 1}, 2, 1, 2, 2);
    FloatTensor out = BilinearResize.resize(t, 4, 4);
    assertArrayEquals(new long[] {2, 1, 4, 4}, out.shape());
    assertArrayEquals(new float[] {0, 1, 3, 4}, Arrays.copyOfRange(out.data(), 0, 4));
    float[] ones = new float[16];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, Arrays.copyOfRange(out.data(), 16, 32));
  }

  @Test
  void resize_badArguments() {
    assertThrows(IllegalArgumentException.class, () -> BilinearResize.resize(new float[5], 2, 3, 4, 4));
    assertThrows(IllegalArgumentException.class, () -> BilinearResize.resize(new float[6], 2, 3, 0, 4));
    assertThrows(IllegalArgumentException.class,
        () -> BilinearResize.resize(FloatTensor.of(new float[3], 3), 2, 2));
  }

  /**
   * The row-wise resize (rows and weights widened apart, {@link PlaneResizer}) equals
   * {@link BilinearResize#sample} at every output pixel, down and up, and the sum it returns is the
   * float64 sum of its outputs in index order.
   */
  @Test
  void resizeAndSum_randomSizes_equalsSampleAtEveryPixel() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 40; trial++) {
      int rows = 1 + random.nextInt(50);
      int cols = 1 + random.nextInt(50);
      int outRows = 1 + random.nextInt(70);
      int outCols = 1 + random.nextInt(70);
      float[] src = new float[rows * cols];
      for (int i = 0; i < src.length; i++) {
        src[i] = (float) random.nextDouble(-1000, 5000);
      }
      float[] out = new float[outRows * outCols];
      double sum = BilinearResize.resizeAndSum(src, rows, cols, outRows, outCols, out);
      BilinearResize.Axis ay = BilinearResize.Axis.of(rows, outRows);
      BilinearResize.Axis ax = BilinearResize.Axis.of(cols, outCols);
      double expectedSum = 0;
      for (int y = 0; y < outRows; y++) {
        for (int x = 0; x < outCols; x++) {
          float expected = BilinearResize.sample(src, ay.i0()[y] * cols, ay.i1()[y] * cols,
              ax.i0()[x], ax.i1()[x], ay.w0()[y], ay.w1()[y], ax.w0()[x], ax.w1()[x]);
          assertEquals(expected, out[y * outCols + x], 0f, "trial " + trial);
          expectedSum += expected;
        }
      }
      assertEquals(expectedSum, sum, 0.0);
    }
  }
}
