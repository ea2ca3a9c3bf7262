package io.spoils.feature.image;

import java.util.Objects;

/**
 * A single-channel 2-D image: {@code height} rows of {@code width} float32 values, row-major
 * ({@code pixels[y * width + x]}), in the modality's units after rescale (for MR, arbitrary signal
 * units; for 8-bit renders, 0-255). The array is owned by the record: callers must not modify it.
 *
 * @param width columns, &gt; 0
 * @param height rows, &gt; 0
 * @param pixels row-major values, length {@code width * height}
 * @param spacing physical pixel size
 */
public record GreyImage(int width, int height, float[] pixels, PixelSpacing spacing) {
  public GreyImage {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(spacing, "spacing");
    if (width <= 0 || height <= 0 || (long) width * height != pixels.length) {
      throw new IllegalArgumentException("image " + width + "x" + height + " does not match "
          + pixels.length + " pixels");
    }
  }

  /** Value at column {@code x}, row {@code y}. */
  public float get(int x, int y) {
    return pixels[y * width + x];
  }
}
