package io.spoils.feature.dicom;

import java.util.List;
import java.util.Objects;

/**
 * The series chosen as the sagittal T2 and its mid-sagittal slice.
 *
 * @param series the chosen sagittal series
 * @param midIndex index into {@code series.slices()} of the mid-sagittal slice
 * @param t2Weighted whether the series' TE/TR meet the T2 thresholds (false: fallback choice)
 * @param warnings plain sentences about the choice; no patient data
 */
public record SagittalT2(Series series, int midIndex, boolean t2Weighted, List<String> warnings) {
  public SagittalT2 {
    Objects.requireNonNull(series, "series");
    warnings = List.copyOf(warnings);
    if (midIndex < 0 || midIndex >= series.size()) {
      throw new IllegalArgumentException("mid index " + midIndex + " outside the series");
    }
  }

  /** The mid-sagittal slice. */
  public DicomSlice midSlice() {
    return series.slices().get(midIndex);
  }
}
