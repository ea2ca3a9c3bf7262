package io.spoils.feature.geometry;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import java.util.Objects;

/** Default {@link SpineMeasurer}. */
final class StandardSpineMeasurer implements SpineMeasurer {
  private final GeometryOptions options;

  StandardSpineMeasurer(GeometryOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public SpineGeometry measure(LabelMap mask, GreyImage image) {
    throw new UnsupportedOperationException("geometry measurement is not implemented yet");
  }
}
