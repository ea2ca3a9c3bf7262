package io.spoils.gateway.pipeline;

import io.spoils.feature.image.GreyImage;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The slices of the chosen series that the pipeline segments, in spatial order: every slice, or
 * the central {@link #MAX_SLICES} of a longer series, or only the geometric centre when the slices
 * differ in size or pixel spacing (they then cannot share one batch). All images have the same
 * size and spacing.
 *
 * @param images the slices' pixels, at least one
 * @param instanceNumbers each slice's Instance Number, when its file has one
 * @param sopInstanceUids each slice's SOP Instance UID, empty when its file has none
 * @param frameNumbers each slice's frame (1-based) when its file is a multi-frame object
 * @param offset series index of {@code images.get(0)}: image {@code i} is slice
 *     {@code offset + i} of the series
 * @param geometricCentre index into {@code images} of the slice nearest the series' geometric centre
 * @param spacingMm centre-to-centre distance of adjacent slices, mm, for volumes; empty when
 *     unknown or for one slice
 * @param anteriorOnRight whether the images show the patient's front on the right
 *     ({@link io.spoils.feature.dicom.Orientation#anteriorOnRight}): the disc crops are then
 *     mirrored for the grading model
 * @param headUp whether the images are stored head up
 *     ({@link io.spoils.feature.dicom.Orientation#headUp}; true without an orientation)
 */
record SeriesSlices(List<GreyImage> images, List<OptionalInt> instanceNumbers,
    List<String> sopInstanceUids, List<OptionalInt> frameNumbers, int offset, int geometricCentre,
    OptionalDouble spacingMm, boolean anteriorOnRight, boolean headUp) {

  /** Most slices segmented per study ({@link PipelineOptions#MAX_SERIES_SLICES}). */
  static final int MAX_SLICES = PipelineOptions.MAX_SERIES_SLICES;

  SeriesSlices {
    images = List.copyOf(images);
    instanceNumbers = List.copyOf(instanceNumbers);
    sopInstanceUids = List.copyOf(sopInstanceUids);
    frameNumbers = List.copyOf(frameNumbers);
    Objects.requireNonNull(spacingMm, "spacingMm");
    if (images.isEmpty() || images.size() != instanceNumbers.size()
        || images.size() != sopInstanceUids.size() || images.size() != frameNumbers.size()
        || geometricCentre < 0 || geometricCentre >= images.size()) {
      throw new IllegalArgumentException("inconsistent series slices");
    }
  }

  int size() {
    return images.size();
  }
}
