package io.spoils.feature.geometry;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;

/**
 * A drawn lumbar spine with known truth, rasterised by pixel-centre inclusion in mm space: five
 * discs (rectangles or ellipses) between rectangular vertebral bodies, a sacrum block below, one
 * body above the top disc, and a canal band directly behind, all rotated by {@code tiltDeg}
 * (anterior end up for positive tilt). SPIDER label values; the image has disc 200, vertebra 100,
 * canal 250, background 0.
 */
final class SyntheticSpine {
  static final int DISCS = 5;
  static final double DISC_WIDTH = 40.0;
  static final double DISC_HEIGHT = 10.0;
  static final double BODY_HEIGHT = 25.0;
  static final double BODY_WIDTH = 40.0;
  static final double CANAL_AP = 15.0;
  static final double MARGIN = 15.0;
  static final float DISC_SIGNAL = 200f;
  static final float BODY_SIGNAL = 100f;
  static final float CANAL_SIGNAL = 250f;

  final LabelMap mask;
  final GreyImage image;

  /**
   * @param anteriorLeft whether the anterior side is toward column 0 (false mirrors the drawing)
   */
  SyntheticSpine(double tiltDeg, PixelSpacing spacing, boolean ellipse, boolean anteriorLeft) {
    double t = Math.toRadians(tiltDeg);
    double side = anteriorLeft ? 1 : -1;
    // anterior unit vector A and cranial unit vector T in mm space (rows grow downward)
    double[] a = {-side * Math.cos(t), -Math.sin(t)};
    double[] up = {side * Math.sin(t), -Math.cos(t)};
    double pitch = DISC_HEIGHT + BODY_HEIGHT;
    double length = DISCS * pitch + BODY_HEIGHT;
    double halfExtentA = BODY_WIDTH / 2 + CANAL_AP;
    double spanX = Math.abs(length * up[0]) + 2 * halfExtentA * Math.abs(a[0]) + 2 * MARGIN;
    double spanY = Math.abs(length * up[1]) + 2 * halfExtentA * Math.abs(a[1]) + 2 * MARGIN;
    int width = (int) Math.ceil(spanX / spacing.colMm());
    int height = (int) Math.ceil(spanY / spacing.rowMm());
    // centre 0.3 pixel off the grid: no straight edge passes exactly through pixel centres, so a
    // 0-degree length that is a whole number of pixels is rasterised exactly
    double cx = (Math.floor(width / 2.0) + 0.3) * spacing.colMm();
    double cy = (Math.floor(height / 2.0) + 0.3) * spacing.rowMm();
    byte[] labels = new byte[width * height];
    float[] pixels = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double dx = x * spacing.colMm() - cx;
        double dy = y * spacing.rowMm() - cy;
        double u = dx * a[0] + dy * a[1];
        // along the spine, 0 at the bottom of the sacrum block
        double s = dx * up[0] + dy * up[1] + length / 2;
        int label = classify(u, s, ellipse);
        labels[y * width + x] = (byte) label;
        pixels[y * width + x] = label == 29 ? DISC_SIGNAL : label == 76 ? BODY_SIGNAL
            : label == 150 ? CANAL_SIGNAL : 0f;
      }
    }
    mask = new LabelMap(width, height, labels, spacing, LabelMap.Scheme.SPIDER);
    image = new GreyImage(width, height, pixels, spacing);
  }

  /** Centre of disc i (0 lowest) along the spine, mm from the bottom of the sacrum block. */
  static double discCentre(int i) {
    return BODY_HEIGHT + DISC_HEIGHT / 2 + i * (DISC_HEIGHT + BODY_HEIGHT);
  }

  private static int classify(double u, double s, boolean ellipse) {
    double length = DISCS * (DISC_HEIGHT + BODY_HEIGHT) + BODY_HEIGHT;
    if (s < 0 || s > length) {
      return 0;
    }
    if (u < -BODY_WIDTH / 2 && u >= -BODY_WIDTH / 2 - CANAL_AP) {
      return 150;
    }
    if (Math.abs(u) > BODY_WIDTH / 2) {
      return 0;
    }
    for (int i = 0; i < DISCS; i++) {
      double ds = s - discCentre(i);
      if (Math.abs(ds) <= DISC_HEIGHT / 2) {
        if (!ellipse) {
          return 29;
        }
        double e = Math.pow(u / (DISC_WIDTH / 2), 2) + Math.pow(ds / (DISC_HEIGHT / 2), 2);
        return e <= 1 ? 29 : 0;
      }
    }
    return 76;
  }
}
