package io.spoils.feature.image;

import java.util.Optional;

/**
 * An axis-aligned rectangle of pixels inside an image: columns {@code x .. x + width - 1}, rows
 * {@code y .. y + height - 1}. Used to segment the outer slices of a series only where the spine is
 * ({@link #around}).
 *
 * @param x first column, &gt;= 0
 * @param y first row, &gt;= 0
 * @param width columns, &gt; 0
 * @param height rows, &gt; 0
 */
public record PixelBox(int x, int y, int width, int height) {

  public PixelBox {
    if (x < 0 || y < 0 || width <= 0 || height <= 0) {
      throw new IllegalArgumentException("pixel box " + x + "," + y + " " + width + "x" + height
          + " is not a rectangle of pixels");
    }
  }

  /** The whole of an image of {@code width x height}. */
  public static PixelBox whole(int width, int height) {
    return new PixelBox(0, 0, width, height);
  }

  /**
   * The bounding box of every labelled (non-zero) pixel of {@code map}, grown by
   * {@code marginMm} on each side and, where it is still narrower or shorter than {@code minMm},
   * about its centre to that size; clipped to the map.
   *
   * @return the box, or empty when no pixel is labelled
   */
  public static Optional<PixelBox> around(LabelMap map, double marginMm, double minMm) {
    int w = map.width();
    int h = map.height();
    byte[] labels = map.labels();
    int minX = w;
    int maxX = -1;
    int minY = h;
    int maxY = -1;
    for (int yy = 0; yy < h; yy++) {
      int row = yy * w;
      for (int xx = 0; xx < w; xx++) {
        if (labels[row + xx] != 0) {
          minX = Math.min(minX, xx);
          maxX = Math.max(maxX, xx);
          minY = Math.min(minY, yy);
          maxY = Math.max(maxY, yy);
        }
      }
    }
    if (maxX < 0) {
      return Optional.empty();
    }
    int[] cols = grown(minX, maxX, marginMm / map.spacing().colMm(), minMm / map.spacing().colMm(), w);
    int[] rows = grown(minY, maxY, marginMm / map.spacing().rowMm(), minMm / map.spacing().rowMm(), h);
    return Optional.of(new PixelBox(cols[0], rows[0], cols[1] - cols[0] + 1,
        rows[1] - rows[0] + 1));
  }

  /**
   * This box grown, inside an image of {@code imageWidth x imageHeight} pixels of {@code spacing},
   * until each side resamples to a whole multiple of {@code multiple} pixels of {@code gridMm} (as
   * the segmentation grid counts them: {@code floor(n * pixelMm / gridMm + 0.5)}), so that the
   * model tensor, padded to such multiples, holds image where it would hold padding: more context
   * at the same cost. Grown equally on both sides and shifted inward at the image's edges; a side
   * that is already a multiple, or that reaches the image's whole extent, stays.
   */
  public PixelBox fitted(int imageWidth, int imageHeight, PixelSpacing spacing, double gridMm,
      int multiple) {
    requireInside(imageWidth, imageHeight);
    int[] cols = fitted(x, width, imageWidth, spacing.colMm(), gridMm, multiple);
    int[] rows = fitted(y, height, imageHeight, spacing.rowMm(), gridMm, multiple);
    return new PixelBox(cols[0], rows[0], cols[1], rows[1]);
  }

  /** {@code [start, length]} of one axis grown to a whole number of {@code multiple} grid pixels. */
  private static int[] fitted(int start, int length, int n, double pixelMm, double gridMm,
      int multiple) {
    double resampled = Math.floor(length * pixelMm / gridMm + 0.5);
    double target = Math.ceil(resampled / multiple) * multiple;
    int grown = (int) Math.min(n, Math.max(length, Math.ceil((target - 0.5) * gridMm / pixelMm)));
    int first = Math.max(0, Math.min(n - grown, start - (grown - length) / 2));
    return new int[] {first, grown};
  }

  /** {@code [lo, hi]} grown by {@code margin} px, then to at least {@code min} px, within [0, n). */
  private static int[] grown(int lo, int hi, double margin, double min, int n) {
    double a = lo - margin;
    double b = hi + margin;
    double missing = min - (b - a + 1);
    if (missing > 0) {
      a -= missing / 2;
      b += missing / 2;
    }
    int first = (int) Math.max(0, Math.floor(a));
    int last = (int) Math.min(n - 1, Math.ceil(b));
    return new int[] {first, last};
  }

  /** The pixels of {@code image} inside this box, with the image's spacing. */
  public GreyImage crop(GreyImage image) {
    requireInside(image.width(), image.height());
    float[] out = new float[width * height];
    for (int r = 0; r < height; r++) {
      System.arraycopy(image.pixels(), (y + r) * image.width() + x, out, r * width, width);
    }
    return new GreyImage(width, height, out, image.spacing());
  }

  /** The labels of {@code map} inside this box, with the map's spacing and scheme. */
  public LabelMap crop(LabelMap map) {
    requireInside(map.width(), map.height());
    byte[] out = new byte[width * height];
    for (int r = 0; r < height; r++) {
      System.arraycopy(map.labels(), (y + r) * map.width() + x, out, r * width, width);
    }
    return new LabelMap(width, height, out, map.spacing(), map.scheme());
  }

  private void requireInside(int imageWidth, int imageHeight) {
    if (x + width > imageWidth || y + height > imageHeight) {
      throw new IllegalArgumentException("pixel box " + this + " is outside a " + imageWidth + "x"
          + imageHeight + " image");
    }
  }
}
