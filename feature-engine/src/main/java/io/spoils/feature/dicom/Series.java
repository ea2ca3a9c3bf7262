package io.spoils.feature.dicom;

import java.util.List;
import java.util.Objects;

/**
 * The slices of one series in one plane, in spatial order: ascending position along the slice
 * normal when every slice has ImagePositionPatient and ImageOrientationPatient, else ascending
 * Instance Number.
 *
 * @param seriesNumber Series Number of the first slice, or null
 * @param orientation plane class shared by all slices
 * @param slices ordered slices, at least one; unmodifiable
 * @param orderedByPosition true when ordered by position along the normal, false when by Instance Number
 */
public record Series(Integer seriesNumber, Orientation orientation, List<DicomSlice> slices,
    boolean orderedByPosition) {

  public Series {
    Objects.requireNonNull(orientation, "orientation");
    slices = List.copyOf(slices);
    if (slices.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one slice");
    }
  }

  /** Number of slices. */
  public int size() {
    return slices.size();
  }

  /** Unit slice normal (LPS) of the first slice, or null without orientation. */
  public double[] normal() {
    return slices.get(0).normal();
  }

  /** Echo time of the first slice in ms, or null. */
  public Double echoTimeMs() {
    return slices.get(0).echoTimeMs();
  }

  /** Repetition time of the first slice in ms, or null. */
  public Double repetitionTimeMs() {
    return slices.get(0).repetitionTimeMs();
  }

  /** Label for messages: "series 7" or "an unnumbered series" (never a UID). */
  public String label() {
    return seriesNumber == null ? "an unnumbered series" : "series " + seriesNumber;
  }

  @Override
  public String toString() {
    return "Series[" + label() + " " + orientation + " " + slices.size() + " slices]";
  }
}
