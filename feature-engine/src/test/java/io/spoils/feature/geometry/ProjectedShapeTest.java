package io.spoils.feature.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.levels.Region;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ProjectedShape} (pixels classified whole, samples computed only at strip edges) against
 * {@link ReferenceProjectedShape} (the former implementation, every sample stored) on random
 * rotated ellipses with holes, random frames, supersampling 1-5 and strips of every width: min/max
 * and band means are equal to the bit, areas equal within 1e-12 relative (the additions happen in
 * another order).
 */
class ProjectedShapeTest {
  private static final int W = 160;
  private static final int H = 120;

  @Test
  void queries_randomShapes_equalReferenceImplementation() {
    SplittableRandom random = new SplittableRandom(2024);
    for (int trial = 0; trial < 300; trial++) {
      PixelSpacing spacing = new PixelSpacing(0.3 + random.nextDouble(), 0.3 + random.nextDouble());
      Region region = blob(random, spacing);
      if (region.isEmpty()) {
        continue;
      }
      double[] c = region.centroidMm();
      double[] origin = {c[0] + random.nextDouble(-2, 2), c[1] + random.nextDouble(-2, 2)};
      double angle = random.nextDouble(-Math.PI, Math.PI);
      double[] u = {Math.cos(angle), Math.sin(angle)};
      int k = 1 + random.nextInt(5);
      double maxAbsV = random.nextBoolean() ? Double.POSITIVE_INFINITY : random.nextDouble(1, 20);
      ProjectedShape fast = ProjectedShape.of(region, origin, u, k, maxAbsV);
      ReferenceProjectedShape ref = ReferenceProjectedShape.of(region, origin, u, k, maxAbsV);
      String at = "trial " + trial;
      assertEquals(ref.isEmpty(), fast.isEmpty(), at);
      if (ref.isEmpty()) {
        continue;
      }
      assertEquals(ref.minU(), fast.minU(), 0.0, at);
      assertEquals(ref.maxU(), fast.maxU(), 0.0, at);
      for (int q = 0; q < 20; q++) {
        double centre = random.nextDouble(-25, 25);
        double half = random.nextDouble(0.01, 30);
        close(ref.areaInUStrip(centre, half), fast.areaInUStrip(centre, half), at + " u-strip");
        close(ref.areaInVBand(centre, half), fast.areaInVBand(centre, half), at + " v-band");
        assertEquals(ref.meanUInVBand(centre, half), fast.meanUInVBand(centre, half), 0.0,
            at + " mean u");
        double lo = random.nextDouble(-40, 10);
        double hi = lo + random.nextDouble(0, 40);
        close(ref.areaInBox(lo, hi, centre, half), fast.areaInBox(lo, hi, centre, half),
            at + " box");
      }
    }
  }

  @Test
  void areaInUStrip_wholeShape_isRegionArea() {
    Region square = rect(10, 10, 20, 30, new PixelSpacing(0.5, 0.5));
    ProjectedShape shape = ProjectedShape.of(square, square.centroidMm(), new double[] {1, 0}, 4,
        Double.POSITIVE_INFINITY);
    assertEquals(square.areaMm2(), shape.areaInUStrip(0, 100), 1e-9);
    assertEquals(0.0, shape.areaInUStrip(500, 1), 0.0);
  }

  private static void close(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= 1e-12 * Math.max(1, Math.abs(expected)),
        what + ": " + actual + " vs reference " + expected);
  }

  /** A rotated ellipse with an elliptical hole, clipped to the image. */
  private static Region blob(SplittableRandom random, PixelSpacing spacing) {
    double cx = random.nextDouble(20, W - 20);
    double cy = random.nextDouble(20, H - 20);
    double a = random.nextDouble(2, 40);
    double b = random.nextDouble(1, 20);
    double t = random.nextDouble(Math.PI);
    double hole = random.nextDouble() < 0.3 ? random.nextDouble(0.2, 0.6) : 0;
    int[] pixels = new int[W * H];
    int n = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double p = (dx * Math.cos(t) + dy * Math.sin(t)) / a;
        double q = (-dx * Math.sin(t) + dy * Math.cos(t)) / b;
        double r = p * p + q * q;
        if (r <= 1 && r >= hole * hole) {
          pixels[n++] = y * W + x;
        }
      }
    }
    return new Region(Arrays.copyOf(pixels, n), W, spacing);
  }

  private static Region rect(int x0, int y0, int w, int h, PixelSpacing spacing) {
    int[] pixels = new int[w * h];
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        pixels[n++] = y * W + x;
      }
    }
    return new Region(pixels, W, spacing);
  }
}
