package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
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
}
