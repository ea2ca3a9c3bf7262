package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SegmentationInputTest {

  private static final PixelSpacing SPIDER = new PixelSpacing(0.46875, 0.46875);

  @Test
  void prepare_shapeIsPaddedResampledSize() {
    // 620 x 512 at 0.46875 mm -> 363 x 300 at 0.8 mm -> padded 384 x 320
    GreyImage image = new GreyImage(512, 620, new float[512 * 620], SPIDER);
    assertArrayEquals(new long[] {1, 384, 320}, SegmentationInput.prepare(image).shape());
  }

  @Test
  void prepare_constantImageWithoutPaddingGivesZeros() {
    // 64 x 96 at 0.8 mm: already the model's grid, nothing padded
    float[] pixels = new float[96 * 64];
    java.util.Arrays.fill(pixels, 200f);
    assertArrayEquals(new float[64 * 96],
        SegmentationInput.prepare(new GreyImage(96, 64, pixels, new PixelSpacing(0.8, 0.8))).data());
  }

  @Test
  void prepare_halfTheSpacingAveragesBlocksThenNormalises() {
    // 640 x 512 at 0.4 mm -> 320 x 256 samples every 2 x 2 block at its centre: the block mean
    int w = 512;
    int h = 640;
    float[] pixels = pattern(w, h);
    float[] means = blockMeans(pixels, w, 320, 256, 256);
    float[] expected = ZScore.normalise(means);
    float[] actual = SegmentationInput.prepare(new GreyImage(w, h, pixels,
        new PixelSpacing(0.4, 0.4))).data();
    assertClose(expected, actual);
  }

  /** Non-square pixels resample each axis on its own; the padding is zeros before the z-score. */
  @Test
  void prepare_nonSquarePixelsPadded_blockMeansAtTopLeftThenZeros() {
    // 200 x 300 at 0.4 x 0.8 mm -> 100 x 300 (rows halved, columns kept) -> padded 128 x 320
    int w = 300;
    int h = 200;
    float[] pixels = pattern(w, h);
    float[] padded = new float[128 * 320];
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 300; x++) {
        int p = 2 * y * w + x;
        padded[y * 320 + x] = (pixels[p] + pixels[p + w]) / 2f;
      }
    }
    FloatTensor actual = SegmentationInput.prepare(new GreyImage(w, h, pixels,
        new PixelSpacing(0.4, 0.8)));
    assertArrayEquals(new long[] {1, 128, 320}, actual.shape());
    assertClose(ZScore.normalise(padded), actual.data());
  }

  @Test
  void prepare_nanPixel() {
    float[] pixels = new float[80 * 80];
    pixels[2] = Float.NaN;
    assertThrows(InvalidInputException.class,
        () -> SegmentationInput.prepare(new GreyImage(80, 80, pixels, SPIDER)));
  }

  @Test
  void prepare_fieldOfViewTooSmall_invalidInput() {
    var e = assertThrows(InvalidInputException.class,
        () -> SegmentationInput.prepare(new GreyImage(2, 2, new float[4], SPIDER)));
    assertEquals("field of view 1 x 1 mm is outside the 51-819 mm the segmentation accepts",
        e.getMessage());
  }

  @Test
  void prepare_gridOfAnotherImage_rejected() {
    GreyImage image = new GreyImage(96, 64, new float[96 * 64], new PixelSpacing(0.8, 0.8));
    SegmentationGrid other = SegmentationGrid.of(64, 64, new PixelSpacing(0.8, 0.8));
    assertThrows(IllegalArgumentException.class, () -> SegmentationInput.prepare(image, other));
  }

  private static float[] pattern(int w, int h) {
    float[] pixels = new float[w * h];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 7919) % 256;
    }
    return pixels;
  }

  private static float[] blockMeans(float[] pixels, int w, int rows, int cols, int stride) {
    float[] means = new float[rows * stride];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int p = 2 * y * w + 2 * x;
        means[y * stride + x] = (pixels[p] + pixels[p + 1] + pixels[p + w] + pixels[p + w + 1]) / 4f;
      }
    }
    return means;
  }

  @Test
  void wholeImageStatistics_infiniteValue_invalidInput() {
    float[] pixels = new float[320 * 256];
    pixels[pixels.length - 1] = Float.POSITIVE_INFINITY;
    GreyImage image = new GreyImage(256, 320, pixels, new PixelSpacing(0.8, 0.8));
    assertThrows(InvalidInputException.class,
        () -> SegmentationInput.WholeImageStatistics.of(image, SegmentationGrid.MM));
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6f, "value " + i);
    }
  }
}
