package io.spoils.feature.geometry;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.levels.SpineLevels;

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

  /**
   * The first half of {@link #measure(LabelMap, GreyImage)}: names the discs and vertebral bodies
   * of the mask, with this measurer's options.
   *
   * @throws io.spoils.feature.InvalidInputException when the mask holds no intervertebral disc
   */
  SpineLevels label(LabelMap mask);

  /**
   * The second half: measures levels already labelled by {@link #label(LabelMap)}, so a caller
   * that needs the levels too (the pipeline renders them as a 14-class map) labels only once.
   *
   * @param levels the result of {@link #label(LabelMap)} on a mask of the image's size
   * @param image the greyscale slice, or {@code null} (signal features are then NaN)
   */
  SpineGeometry measure(SpineLevels levels, GreyImage image);

  /** A measurer with {@link GeometryOptions#defaults()}. */
  static SpineMeasurer standard() {
    return of(GeometryOptions.defaults());
  }

  /** A measurer with the given options. */
  static SpineMeasurer of(GeometryOptions options) {
    return new StandardSpineMeasurer(options);
  }
}
