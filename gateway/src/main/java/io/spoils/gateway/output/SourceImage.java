package io.spoils.gateway.output;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CompositeInstanceContext;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.dicom.DicomSlice;
import java.util.Objects;
import java.util.Optional;

/**
 * The source image that was measured, as the DICOM outputs reference it: its identifiers, its
 * patient and study context (copied into the outputs so that a PACS files them with the study), and
 * its geometry. Identifiers and context are patient data: they go into output objects only, never
 * into logs, messages or {@link #toString()}.
 *
 * <p>Immutable: the header is copied on the way in and every accessor returns values or copies.
 */
public final class SourceImage {

  private final AttributeList header;
  private final DicomSlice slice;

  /**
   * @param header the measured file's attributes up to (not including) the pixel data
   * @param slice the decoded slice (geometry, spacing)
   * @throws IllegalArgumentException when a UID an output must reference is missing
   */
  public SourceImage(AttributeList header, DicomSlice slice) {
    this.header = copy(Objects.requireNonNull(header, "header"));
    this.slice = Objects.requireNonNull(slice, "slice");
    for (AttributeTag tag : new AttributeTag[] {TagFromName.StudyInstanceUID,
        TagFromName.SeriesInstanceUID, TagFromName.SOPClassUID, TagFromName.SOPInstanceUID}) {
      if (value(tag).isEmpty()) {
        throw new IllegalArgumentException("the measured image has no "
            + AttributeList.getDictionary().getNameFromTag(tag) + ", so no DICOM object can "
            + "reference it");
      }
    }
  }

  public String studyInstanceUid() {
    return value(TagFromName.StudyInstanceUID);
  }

  public String seriesInstanceUid() {
    return value(TagFromName.SeriesInstanceUID);
  }

  public String sopClassUid() {
    return value(TagFromName.SOPClassUID);
  }

  public String sopInstanceUid() {
    return value(TagFromName.SOPInstanceUID);
  }

  /**
   * The measured frame's number (1-based) when the source is a multi-frame object (an enhanced MR
   * series in one file), for references to that frame; 0 for a single-frame source.
   */
  public int referencedFrameNumber() {
    return slice.numberOfFrames() > 1 ? slice.frame() + 1 : 0;
  }

  /**
   * Frame of Reference UID; empty when the source has none, or one that is not unique (equal to
   * its Study, Series or SOP Instance UID, which PS3.5 9.1 forbids and dciodvfy rejects): then no
   * frame of reference or plane geometry is written, and the outputs reference the source image
   * only.
   */
  public Optional<String> frameOfReferenceUid() {
    String v = value(TagFromName.FrameOfReferenceUID);
    boolean reused = v.equals(studyInstanceUid()) || v.equals(seriesInstanceUid())
        || v.equals(sopInstanceUid());
    return v.isEmpty() || reused ? Optional.empty() : Optional.of(v);
  }

  /** Position Reference Indicator, empty when absent. */
  public String positionReferenceIndicator() {
    return value(TagFromName.PositionReferenceIndicator);
  }

  /** The decoded slice: rows, columns, spacing, orientation and position. */
  public DicomSlice slice() {
    return slice;
  }

  /** Whether the source carries the plane geometry a SEG needs for plane functional groups. */
  public boolean hasPlaneGeometry() {
    return frameOfReferenceUid().isPresent() && slice.imageOrientationPatient() != null
        && slice.imagePositionPatient() != null;
  }

  /**
   * A new list holding the Patient, General Study and Patient Study modules of the source (and its
   * Specific Character Set), for a derived object of the same study.
   */
  public AttributeList patientAndStudy() {
    try {
      CompositeInstanceContext context = new CompositeInstanceContext(copy(header), false);
      context.removeAllButPatientAndStudy();
      AttributeList list = context.getAttributeList();
      Attribute charset = header.get(TagFromName.SpecificCharacterSet);
      if (charset != null) {
        list.put(charset);
      }
      return list;
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot copy the study context of the source", e);
    }
  }

  /** Leaves out every identifier. */
  @Override
  public String toString() {
    return "SourceImage[" + slice.columns() + "x" + slice.rows() + " instance="
        + slice.instanceNumber() + "]";
  }

  private String value(AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(header, tag).trim();
  }

  private static AttributeList copy(AttributeList source) {
    AttributeList c = new AttributeList();
    c.putAll(source);
    c.remove(TagFromName.PixelData);
    return c;
  }
}
