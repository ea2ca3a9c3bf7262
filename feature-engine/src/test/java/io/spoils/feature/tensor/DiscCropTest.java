package io.spoils.feature.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscCropTest {

  /** f(x, y) = x + 1000 * y: bilinear interpolation reproduces it exactly inside the image. */
  private static GreyImage ramp(int width, int height, PixelSpacing spacing) {
    float[] pixels = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        pixels[y * width + x] = x + 1000f * y;
      }
    }
    return new GreyImage(width, height, pixels, spacing);
  }

  @Test
  void sampleGrid_isotropicHalfMillimetre() {
    // 0.5 mm pixels: one crop pixel per image pixel, centred so that crop (63.5, 63.5) is (cx, cy)
    GreyImage image = ramp(300, 300, new PixelSpacing(0.5, 0.5));
    double[] grid = DiscCrop.sampleGrid(image, 150.25, 140.5);
    for (int i : new int[] {0, 17, 127}) {
      for (int j : new int[] {0, 64, 127}) {
        double x = 150.25 + (j + 0.5 - 64);
        double y = 140.5 + (i + 0.5 - 64);
        assertEquals(x + 1000 * y, grid[i * 128 + j], 1e-6, "crop pixel " + i + "," + j);
      }
    }
  }

  @Test
  void sampleGrid_anisotropicSpacing() {
    // columns 0.25 mm: 2 image columns per crop pixel; rows 1 mm: half an image row per crop pixel
    GreyImage image = ramp(400, 200, new PixelSpacing(1.0, 0.25));
    double[] grid = DiscCrop.sampleGrid(image, 200, 100);
    assertEquals((200 - 127) + 1000 * (100 - 31.75), grid[0], 1e-6);
    assertEquals((200 + 2 * 63.5) + 1000 * (100 + 0.5 * 63.5), grid[128 * 128 - 1], 1e-6);
    assertEquals(2.0, grid[1] - grid[0], 1e-9);
    assertEquals(500.0, grid[128] - grid[0], 1e-9);
  }

  @Test
  void sampleGrid_clampsToBorder() {
    // crop reaches 63.5 pixels left of column 10 and above row 5: those samples take border values
    GreyImage image = ramp(100, 100, new PixelSpacing(0.5, 0.5));
    double[] grid = DiscCrop.sampleGrid(image, 10, 5);
    assertEquals(0.0, grid[0], 0.0);
    assertEquals(0.0, grid[53], 0.0);  // x = 10 + 53.5 - 64 = -0.5: both corners clamp to column 0
    assertEquals(0.5, grid[54], 1e-9);  // x = 0.5
    assertEquals(1000 * 0.5, grid[59 * 128 + 0], 1e-9);  // y = 5 + 59.5 - 64 = 0.5
    assertEquals(73.5 + 1000 * 68.5, grid[128 * 128 - 1], 1e-9);
  }

  @Test
  void sampleGrid_clampsAtFarBorder() {
    GreyImage image = ramp(50, 40, new PixelSpacing(0.5, 0.5));
    double[] grid = DiscCrop.sampleGrid(image, 49, 39);
    assertEquals(49 + 1000 * 39, grid[128 * 128 - 1], 0.0);
  }

  @Test
  void extract_shapeAndNormalisation() {
    GreyImage image = ramp(300, 300, new PixelSpacing(0.46875, 0.46875));
    FloatTensor crop = DiscCrop.extract(image, 150, 150);
    assertArrayEquals(new long[] {1, 128, 128}, crop.shape());
    double sum = 0;
    double squares = 0;
    for (float v : crop.data()) {
      sum += v;
      squares += (double) v * v;
    }
    assertEquals(0.0, sum / crop.data().length, 1e-6);
    assertEquals(1.0, squares / crop.data().length, 1e-5);
  }

  @Test
  void extract_mirrored_eachRowReversed() {
    GreyImage image = ramp(300, 260, new PixelSpacing(0.46875, 0.5));
    float[] plain = DiscCrop.extract(image, 140.3, 120.7).data();
    float[] mirrored = DiscCrop.extract(image, 140.3, 120.7, true).data();
    for (int i = 0; i < 128; i++) {
      for (int j = 0; j < 128; j++) {
        assertEquals(plain[i * 128 + 127 - j], mirrored[i * 128 + j], 0.0);
      }
    }
  }

  @Test
  void extract_mirroredOnTheMirroredImage_theOriginalCrop() {
    GreyImage image = ramp(300, 260, new PixelSpacing(0.46875, 0.5));
    float[] flipped = new float[image.pixels().length];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        flipped[y * image.width() + image.width() - 1 - x] = image.get(x, y);
      }
    }
    GreyImage mirror = new GreyImage(image.width(), image.height(), flipped, image.spacing());
    float[] plain = DiscCrop.extract(image, 140.25, 120.5).data();
    float[] back = DiscCrop.extract(mirror, image.width() - 1 - 140.25, 120.5, true).data();
    assertArrayEquals(plain, back, 1e-4f);
  }

  @Test
  void extract_constantImageGivesZeros() {
    GreyImage image = new GreyImage(64, 64, filled(64 * 64, 80f), new PixelSpacing(0.5, 0.5));
    assertArrayEquals(new float[128 * 128], DiscCrop.extract(image, 32, 32).data());
  }

  @Test
  void extract_centroidOutsideImage() {
    GreyImage image = new GreyImage(64, 64, filled(64 * 64, 1f), new PixelSpacing(0.5, 0.5));
    assertThrows(InvalidInputException.class, () -> DiscCrop.extract(image, -1, 10));
    assertThrows(InvalidInputException.class, () -> DiscCrop.extract(image, 10, 63.5));
    assertThrows(InvalidInputException.class, () -> DiscCrop.extract(image, Double.NaN, 10));
  }

  private static float[] filled(int n, float value) {
    float[] out = new float[n];
    java.util.Arrays.fill(out, value);
    return out;
  }

  /**
   * The per-row/per-column precomputation (source rows interpolated once, {@link CropRows}) equals
   * sampling each crop pixel on its own, for spacings where crop rows skip source rows (0.2 mm),
   * reuse them (0.45, 0.7 mm) or repeat one many times (3 mm), with clamping at every border.
   */
  @ParameterizedTest
  @CsvSource({"0.7, 0.45", "0.2, 0.2", "3.0, 0.25", "0.46875, 0.46875"})
  void sampleGrid_randomImage_equalsPointwiseSample(double rowMm, double colMm) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    float[] pixels = new float[70 * 50];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble(0, 4000);
    }
    GreyImage image = new GreyImage(70, 50, pixels, new PixelSpacing(rowMm, colMm));
    for (int trial = 0; trial < 20; trial++) {
      double cx = random.nextDouble(0, 69);
      double cy = random.nextDouble(0, 49);
      double[] grid = DiscCrop.sampleGrid(image, cx, cy);
      for (int i = 0; i < DiscCrop.SIZE; i++) {
        double y = cy + ((i + 0.5) - DiscCrop.SIZE / 2) * DiscCrop.MM_PER_PIXEL / image.spacing().rowMm();
        for (int j = 0; j < DiscCrop.SIZE; j++) {
          double x = cx + ((j + 0.5) - DiscCrop.SIZE / 2) * DiscCrop.MM_PER_PIXEL / image.spacing().colMm();
          assertEquals(DiscCrop.sample(image, x, y), grid[i * DiscCrop.SIZE + j], 0.0);
        }
      }
    }
  }

  /** The sum taken while sampling gives the z-score of the grid normalised on its own. */
  @Test
  void extract_equalsNormalisedGrid() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    float[] pixels = new float[90 * 80];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble(-50, 3000);
    }
    GreyImage image = new GreyImage(90, 80, pixels, new PixelSpacing(0.46875, 0.46875));
    for (int trial = 0; trial < 10; trial++) {
      double cx = random.nextDouble(0, 89);
      double cy = random.nextDouble(0, 79);
      assertArrayEquals(ZScore.normalise(DiscCrop.sampleGrid(image, cx, cy)),
          DiscCrop.extract(image, cx, cy).data());
    }
  }
}
