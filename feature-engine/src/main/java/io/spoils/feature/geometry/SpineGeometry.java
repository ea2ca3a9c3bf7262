package io.spoils.feature.geometry;

import java.util.List;

/**
 * Everything measured on one slice: discs and vertebrae ordered from the lowest upward, and warnings
 * about what looked unusual (transitional anatomy, a disc without a vertebra above, ...). Warnings
 * are plain sentences with no patient data.
 */
public record SpineGeometry(
    List<DiscGeometry> discs, List<VertebraGeometry> vertebrae, List<String> warnings) {
  public SpineGeometry {
    discs = List.copyOf(discs);
    vertebrae = List.copyOf(vertebrae);
    warnings = List.copyOf(warnings);
  }
}
