package io.spoils.feature.levels;

import java.util.List;

/** 8-connected components of a binary raster. */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /**
   * The 8-connected components of the set pixels, each as sorted row-major pixel indices, in order
   * of their first pixel.
   *
   * @param mask row-major, length {@code width * height}
   */
  public static List<int[]> of(boolean[] mask, int width, int height) {
    if ((long) width * height != mask.length) {
      throw new IllegalArgumentException("mask size does not match " + width + "x" + height);
    }
    int[] pixels = MaskClasses.indices(mask);
    return PixelRuns.of(pixels, 0, pixels.length, width).components();
  }

  /**
   * The 8-connected components of the pixels whose label is {@code value}, as {@link #of} would
   * give them for the binary raster {@code labels == value}, traced from those pixels only.
   *
   * @param labels row-major label values (read unsigned), length {@code width * height}
   * @param pixels every index with that label, in raster order
   * @throws IllegalArgumentException when a given pixel has another label
   */
  public static List<int[]> ofValue(byte[] labels, int value, int[] pixels, int width,
      int height) {
    if ((long) width * height != labels.length) {
      throw new IllegalArgumentException("labels size does not match " + width + "x" + height);
    }
    for (int p : pixels) {
      if ((labels[p] & 0xFF) != value) {
        throw new IllegalArgumentException("pixel " + p + " is not labelled " + value);
      }
    }
    return PixelRuns.of(pixels, 0, pixels.length, width).components();
  }
}
