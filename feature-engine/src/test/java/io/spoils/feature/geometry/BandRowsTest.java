package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.Region;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BandRowsTest {

  @Test
  void band_randomBands_keepsEveryPixelTheBandHolds() {
    Random random = new Random(7);
    int w = 120;
    int h = 150;
    PixelSpacing spacing = new PixelSpacing(0.7, 0.55);
    int[] pixels = IntStream.range(0, w * h).filter(p -> random.nextInt(5) == 0).toArray();
    Region region = new Region(pixels, w, spacing);
    BandRows rows = new BandRows(region);
    int narrower = 0;
    for (int t = 0; t < 500; t++) {
      double angle = (random.nextDouble() - 0.5) * 2.4;
      double[] u = {Math.cos(angle) * (random.nextBoolean() ? 1 : -1), Math.sin(angle)};
      double[] origin = {random.nextDouble() * w * 0.55, random.nextDouble() * h * 0.7};
      double half = random.nextDouble() * 12;
      Region band = rows.band(origin, u, half);
      assertArrayEquals(inBand(region, origin, u, half), inBand(band, origin, u, half));
      narrower += band.size() < region.size() ? 1 : 0;
    }
    assertTrue(narrower > 400, "the band should usually cut rows, cut " + narrower);
  }

  @Test
  void band_unsortedRegion_isWholeRegion() {
    Region region = new Region(new int[] {50, 3, 20}, 10, new PixelSpacing(1, 1));
    assertSame(region, new BandRows(region).band(new double[] {0, 0}, new double[] {1, 0}, 1));
  }

  /** The pixels with |v| <= half, v as ProjectedShape and Signals compute it, in region order. */
  private static int[] inBand(Region region, double[] o, double[] u, double half) {
    int w = region.imageWidth();
    return Arrays.stream(region.pixels()).filter(p -> {
      double dx = (p % w) * region.spacing().colMm() - o[0];
      double dy = (p / w) * region.spacing().rowMm() - o[1];
      return Math.abs(-dx * u[1] + dy * u[0]) <= half;
    }).toArray();
  }
}
