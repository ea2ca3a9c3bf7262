package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;

class SegmentationInputTest {

  private static final PixelSpacing SPACING = new PixelSpacing(0.46875, 0.46875);

  @Test
  void prepare_shape() {
    GreyImage image = new GreyImage(512, 620, new float[512 * 620], SPACING);
    assertArrayEquals(new long[] {1, 320, 256}, SegmentationInput.prepare(image).shape());
  }

  @Test
  void prepare_constantImageGivesZeros() {
    float[] pixels = new float[50 * 30];
    java.util.Arrays.fill(pixels, 200f);
    assertArrayEquals(new float[320 * 256],
        SegmentationInput.prepare(new GreyImage(50, 30, pixels, SPACING)).data());
  }

  @Test
  void prepare_twiceTheSizeAveragesBlocksThenNormalises() {
    // 640 x 512 -> 320 x 256 samples every 2 x 2 block at its centre: the block mean
    int w = 512;
    int h = 640;
    float[] pixels = new float[w * h];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 7919) % 256;
    }
    float[] means = new float[320 * 256];
    for (int y = 0; y < 320; y++) {
      for (int x = 0; x < 256; x++) {
        int p = 2 * y * w + 2 * x;
        means[y * 256 + x] = (pixels[p] + pixels[p + 1] + pixels[p + w] + pixels[p + w + 1]) / 4f;
      }
    }
    float[] expected = ZScore.normalise(means);
    float[] actual = SegmentationInput.prepare(new GreyImage(w, h, pixels, SPACING)).data();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6f, "value " + i);
    }
  }

  @Test
  void prepare_nanPixel() {
    float[] pixels = new float[4];
    pixels[2] = Float.NaN;
    assertThrows(InvalidInputException.class,
        () -> SegmentationInput.prepare(new GreyImage(2, 2, pixels, SPACING)));
  }
}
