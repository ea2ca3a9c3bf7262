package io.spoils.feature.dicom;

import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import java.util.Objects;

/**
 * One greyscale image read from a DICOM file: pixels plus the geometry and acquisition attributes
 * the pipeline needs. Holds no patient data; the series instance UID is kept only to group slices
 * into series and is left out of {@link #toString()} — never print or log it.
 *
 * @param image pixels as float32, {@code rows} x {@code columns}, after Rescale Slope/Intercept,
 *     MONOCHROME1 inverted so that higher always means brighter; spacing in mm (row, column)
 * @param modality Modality (0008,0060), e.g. "MR"; empty when absent
 * @param orientation plane class from ImageOrientationPatient
 * @param imageOrientationPatient 6 direction cosines (row then column, LPS), or null when absent
 * @param imagePositionPatient x,y,z of the centre of the first transmitted pixel in mm (LPS), or null
 * @param seriesInstanceUid grouping key only; empty when absent; never shown
 * @param seriesNumber Series Number (0020,0011), or null
 * @param instanceNumber Instance Number (0020,0013), or null
 * @param sliceThicknessMm Slice Thickness (0018,0050) in mm, or null
 * @param spacingBetweenSlicesMm Spacing Between Slices (0018,0088) in mm, or null
 * @param echoTimeMs Echo Time (0018,0081) in ms, or null
 * @param repetitionTimeMs Repetition Time (0018,0080) in ms, or null
 * @param transferSyntaxUid transfer syntax of the file's data set
 * @param transferSyntaxName readable name of the transfer syntax
 * @param rows image height in pixels
 * @param columns image width in pixels
 * @param bitsStored Bits Stored (0028,0101)
 * @param photometricInterpretation MONOCHROME1 or MONOCHROME2, as stored in the file
 * @param numberOfFrames frames in the file
 * @param frame which frame of the file {@code image} is, 0-based (0 for a single-frame file); the
 *     geometry is that frame's (an enhanced MR object's per-frame functional groups)
 * @param studyInstanceUid Study Instance UID (0020,000D), empty when absent; identifies the study
 *     to systems that store results back (never logged, like every UID)
 * @param sopInstanceUid SOP Instance UID (0008,0018), empty when absent; identifies this image
 */
public record DicomSlice(
    GreyImage image,
    String modality,
    Orientation orientation,
    double[] imageOrientationPatient,
    double[] imagePositionPatient,
    String seriesInstanceUid,
    Integer seriesNumber,
    Integer instanceNumber,
    Double sliceThicknessMm,
    Double spacingBetweenSlicesMm,
    Double echoTimeMs,
    Double repetitionTimeMs,
    String transferSyntaxUid,
    String transferSyntaxName,
    int rows,
    int columns,
    int bitsStored,
    String photometricInterpretation,
    int numberOfFrames,
    int frame,
    String studyInstanceUid,
    String sopInstanceUid) {

  public DicomSlice {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(orientation, "orientation");
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
    Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    Objects.requireNonNull(transferSyntaxUid, "transferSyntaxUid");
    Objects.requireNonNull(transferSyntaxName, "transferSyntaxName");
    Objects.requireNonNull(photometricInterpretation, "photometricInterpretation");
    if (imageOrientationPatient != null && imageOrientationPatient.length != 6) {
      throw new IllegalArgumentException("imageOrientationPatient needs 6 values");
    }
    if (imagePositionPatient != null && imagePositionPatient.length != 3) {
      throw new IllegalArgumentException("imagePositionPatient needs 3 values");
    }
    if (frame < 0 || frame >= Math.max(1, numberOfFrames)) {
      throw new IllegalArgumentException("frame " + frame + " is not one of the file's "
          + numberOfFrames);
    }
    if (rows != image.height() || columns != image.width()) {
      throw new IllegalArgumentException("rows/columns do not match the image");
    }
    imageOrientationPatient = imageOrientationPatient == null ? null : imageOrientationPatient.clone();
    imagePositionPatient = imagePositionPatient == null ? null : imagePositionPatient.clone();
  }

  /** Pixel spacing in mm, row (vertical) then column (horizontal). */
  public PixelSpacing spacing() {
    return image.spacing();
  }

  @Override
  public double[] imageOrientationPatient() {
    return imageOrientationPatient == null ? null : imageOrientationPatient.clone();
  }

  @Override
  public double[] imagePositionPatient() {
    return imagePositionPatient == null ? null : imagePositionPatient.clone();
  }

  /** Unit slice normal (LPS), or null without ImageOrientationPatient. */
  public double[] normal() {
    return imageOrientationPatient == null ? null : Orientation.normal(imageOrientationPatient);
  }

  /**
   * Position along {@code normal} in mm: dot(ImagePositionPatient, normal); NaN without a position.
   *
   * @param normal unit vector, 3 values
   */
  public double positionAlong(double[] normal) {
    if (imagePositionPatient == null) {
      return Double.NaN;
    }
    double[] p = imagePositionPatient;
    return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
  }

  /** Leaves out the pixel array and the series instance UID (an identifier that must not reach logs). */
  @Override
  public String toString() {
    return "DicomSlice[" + modality + " " + orientation + " " + columns + "x" + rows
        + " spacing=" + spacing().rowMm() + "x" + spacing().colMm() + "mm series=" + seriesNumber
        + " instance=" + instanceNumber + (numberOfFrames > 1 ? " frame=" + (frame + 1) + "/"
        + numberOfFrames : "") + " ts=" + transferSyntaxName + "]";
  }
}
