package io.spoils.feature.geometry;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;

/**
 * Measures discs and vertebral bodies on one sagittal slice from its label mask (SPIDER or
 * 14-class scheme) and, optionally, the image it was drawn on. Implementations are stateless and
 * thread-safe.
 */
public interface SpineMeasurer {

  /**
   * Labels the levels and measures every disc and vertebral body of the mask.
   *
   * @param mask the label map; its spacing gives the mm scale of every length
   * @param image the greyscale slice (same width and height as the mask), or {@code null}: the
   *     signal features are then {@link Double#NaN}
   * @return discs and vertebrae from the lowest upward, with warnings; never {@code null}
   * @throws io.spoils.feature.InvalidInputException when the mask holds no intervertebral disc or
   *     the image size differs from the mask's
   */
  SpineGeometry measure(LabelMap mask, GreyImage image);

  /** A measurer with {@link GeometryOptions#defaults()}. */
  static SpineMeasurer standard() {
    return of(GeometryOptions.defaults());
  }

  /** A measurer with the given options. */
  static SpineMeasurer of(GeometryOptions options) {
    return new StandardSpineMeasurer(options);
  }
}
