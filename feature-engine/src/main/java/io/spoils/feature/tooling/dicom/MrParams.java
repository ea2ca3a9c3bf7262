package io.spoils.feature.tooling.dicom;

import java.util.Objects;

/**
 * What {@link DicomWriter} writes besides the pixels. Start from {@link #of(String)} and adjust with
 * the {@code with...} methods.
 *
 * @param seriesInstanceUid series UID (e.g. from {@link DicomWriter#newUid()})
 * @param studyInstanceUid study UID, or null for a fresh one
 * @param seriesNumber Series Number
 * @param instanceNumber Instance Number
 * @param imageOrientationPatient 6 direction cosines (LPS), or null to leave out
 * @param imagePositionPatient x,y,z in mm (LPS), or null to leave out
 * @param sliceThicknessMm Slice Thickness in mm, or null
 * @param echoTimeMs Echo Time in ms, or null
 * @param repetitionTimeMs Repetition Time in ms, or null
 * @param monochrome1 write MONOCHROME1 (inverted stored values) instead of MONOCHROME2
 * @param rescaleSlope Rescale Slope, non-zero
 * @param rescaleIntercept Rescale Intercept
 */
public record MrParams(String seriesInstanceUid, String studyInstanceUid, int seriesNumber,
    int instanceNumber, double[] imageOrientationPatient, double[] imagePositionPatient,
    Double sliceThicknessMm, Double echoTimeMs, Double repetitionTimeMs, boolean monochrome1,
    double rescaleSlope, double rescaleIntercept) {

  /** Sagittal direction cosines (rows run posterior, columns run down), LPS; normal along x. */
  public static double[] sagittal() {
    return new double[] {0, 1, 0, 0, 0, -1};
  }

  /** Axial direction cosines (rows run left, columns run posterior), LPS; normal along z. */
  public static double[] axial() {
    return new double[] {1, 0, 0, 0, 1, 0};
  }

  /** Coronal direction cosines (rows run left, columns run down), LPS; normal along y. */
  public static double[] coronal() {
    return new double[] {1, 0, 0, 0, 0, -1};
  }

  public MrParams {
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    if (imageOrientationPatient != null && imageOrientationPatient.length != 6
        || imagePositionPatient != null && imagePositionPatient.length != 3) {
      throw new IllegalArgumentException("orientation needs 6 values and position 3");
    }
    if (!(rescaleSlope != 0) || !Double.isFinite(rescaleSlope) || !Double.isFinite(rescaleIntercept)) {
      throw new IllegalArgumentException("rescale slope must be finite and non-zero");
    }
    imageOrientationPatient = imageOrientationPatient == null ? null : imageOrientationPatient.clone();
    imagePositionPatient = imagePositionPatient == null ? null : imagePositionPatient.clone();
  }

  /** Series 1, instance 1, sagittal at the origin, 4 mm slices, T2 timing (TE 100 ms, TR 3000 ms). */
  public static MrParams of(String seriesInstanceUid) {
    return new MrParams(seriesInstanceUid, null, 1, 1, sagittal(), new double[3], 4.0, 100.0, 3000.0,
        false, 1.0, 0.0);
  }

  public MrParams withSeries(int number) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, number, instanceNumber,
        imageOrientationPatient, imagePositionPatient, sliceThicknessMm, echoTimeMs, repetitionTimeMs,
        monochrome1, rescaleSlope, rescaleIntercept);
  }

  public MrParams withInstance(int number) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, seriesNumber, number,
        imageOrientationPatient, imagePositionPatient, sliceThicknessMm, echoTimeMs, repetitionTimeMs,
        monochrome1, rescaleSlope, rescaleIntercept);
  }

  /** Orientation (6 cosines or null) and position (3 values in mm or null). */
  public MrParams withGeometry(double[] orientation, double[] position) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, seriesNumber, instanceNumber, orientation,
        position, sliceThicknessMm, echoTimeMs, repetitionTimeMs, monochrome1, rescaleSlope,
        rescaleIntercept);
  }

  /** Echo and repetition time in ms, either may be null. */
  public MrParams withTiming(Double echoMs, Double repetitionMs) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, seriesNumber, instanceNumber,
        imageOrientationPatient, imagePositionPatient, sliceThicknessMm, echoMs, repetitionMs,
        monochrome1, rescaleSlope, rescaleIntercept);
  }

  public MrParams withMonochrome1(boolean inverted) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, seriesNumber, instanceNumber,
        imageOrientationPatient, imagePositionPatient, sliceThicknessMm, echoTimeMs, repetitionTimeMs,
        inverted, rescaleSlope, rescaleIntercept);
  }

  public MrParams withRescale(double slope, double intercept) {
    return new MrParams(seriesInstanceUid, studyInstanceUid, seriesNumber, instanceNumber,
        imageOrientationPatient, imagePositionPatient, sliceThicknessMm, echoTimeMs, repetitionTimeMs,
        monochrome1, slope, intercept);
  }

  @Override
  public double[] imageOrientationPatient() {
    return imageOrientationPatient == null ? null : imageOrientationPatient.clone();
  }

  @Override
  public double[] imagePositionPatient() {
    return imagePositionPatient == null ? null : imagePositionPatient.clone();
  }
}
