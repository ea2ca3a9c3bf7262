package io.spoils.gateway.output.seg;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.utils.FloatFormatter;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.DicomUids;
import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.output.DicomHeaders;
import io.spoils.gateway.output.Producer;
import io.spoils.gateway.output.SourceImage;
import io.spoils.gateway.pipeline.ModelUse;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes the 14-class label map of the measured slice as a binary DICOM Segmentation: one segment
 * per anatomical label present in the map ({@link SegmentCodes}: SNOMED CT codes, disc level
 * modifiers, display colours), one frame per segment on the source slice's grid, derived from and
 * referencing the source instance (derivation image and common instance reference), in the
 * source's study and frame of reference, in a new series. Plane position and orientation are
 * written when the source has them.
 *
 * <p>Thread-safe: each call builds its own list.
 */
public final class SegmentationWriter {

  /** Series Number of the SEG's series. */
  public static final int SERIES_NUMBER = 9902;
  /** Series Description of the SEG's series. */
  public static final String SERIES_DESCRIPTION = "SPOILS lumbar spine segmentation";

  private final Producer producer;

  public SegmentationWriter(Producer producer) {
    this.producer = Objects.requireNonNull(producer, "producer");
  }

  /** The SEG as a Part 10 file (explicit VR little endian). */
  public byte[] write(LabelMap anatomy, SourceImage source, ModelUse segmentationModel) {
    return DicomHeaders.encode(build(anatomy, source, segmentationModel));
  }

  /**
   * The SEG's attributes.
   *
   * @param anatomy the ANATOMY14 label map of the measured slice, on its pixel grid
   * @param source the measured slice
   * @param segmentationModel the model that produced the map (Segment Algorithm Name)
   * @throws IllegalArgumentException when the map is not ANATOMY14, does not match the slice's
   *     size, or holds no labelled pixel
   */
  public AttributeList build(LabelMap anatomy, SourceImage source, ModelUse segmentationModel) {
    DicomSlice slice = source.slice();
    if (anatomy.scheme() != LabelMap.Scheme.ANATOMY14 || anatomy.width() != slice.columns()
        || anatomy.height() != slice.rows()) {
      throw new IllegalArgumentException("the label map must be ANATOMY14 on the measured "
          + "slice's " + slice.columns() + "x" + slice.rows() + " grid");
    }
    List<AnatomyLabel> present = SegmentFrames.present(anatomy);
    if (present.isEmpty()) {
      throw new IllegalArgumentException("the label map holds no labelled pixel");
    }
    try {
      AttributeList list = new AttributeList();
      DicomHeaders.shared(list, source, SOPClass.SegmentationStorage, "SEG", SERIES_NUMBER,
          SERIES_DESCRIPTION, producer, LocalDateTime.now());
      image(list, anatomy, present.size());
      String algorithm = segmentationModel.name() + " " + segmentationModel.version();
      list.put(SegmentFrames.segments(present, algorithm));
      geometry(list, source, present.size());
      references(list, source);
      OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
      pixels.setValues(SegmentFrames.pack(anatomy, present));
      list.put(pixels);
      return list;
    } catch (DicomException e) {
      throw new IllegalStateException("cannot build the segmentation", e);
    }
  }

  /** Segmentation Image, Image Pixel and Multi-frame modules. */
  private static void image(AttributeList l, LabelMap map, int frames) throws DicomException {
    DicomHeaders.put(l, TagFromName.ImageType, "DERIVED", "PRIMARY");
    DicomHeaders.put(l, TagFromName.ContentLabel, "SPOILS_ANATOMY");
    DicomHeaders.put(l, TagFromName.ContentDescription, "Lumbar spine anatomy, 14 classes");
    l.putNewAttribute(TagFromName.ContentCreatorName);
    DicomHeaders.put(l, TagFromName.SegmentationType, "BINARY");
    DicomHeaders.put(l, TagFromName.SamplesPerPixel, "1");
    DicomHeaders.put(l, TagFromName.PhotometricInterpretation, "MONOCHROME2");
    DicomHeaders.put(l, TagFromName.Rows, Integer.toString(map.height()));
    DicomHeaders.put(l, TagFromName.Columns, Integer.toString(map.width()));
    DicomHeaders.put(l, TagFromName.BitsAllocated, "1");
    DicomHeaders.put(l, TagFromName.BitsStored, "1");
    DicomHeaders.put(l, TagFromName.HighBit, "0");
    DicomHeaders.put(l, TagFromName.PixelRepresentation, "0");
    DicomHeaders.put(l, TagFromName.LossyImageCompression, "00");
    DicomHeaders.put(l, TagFromName.NumberOfFrames, Integer.toString(frames));
  }

  /** Frame of reference, dimensions, shared and per-frame functional groups. */
  private static void geometry(AttributeList l, SourceImage source, int frames)
      throws DicomException {
    boolean plane = source.hasPlaneGeometry();
    DicomSlice slice = source.slice();
    if (plane) {
      DicomHeaders.put(l, TagFromName.FrameOfReferenceUID, source.frameOfReferenceUid().get());
      DicomHeaders.put(l, TagFromName.PositionReferenceIndicator,
          source.positionReferenceIndicator().isEmpty() ? new String[0]
              : new String[] {source.positionReferenceIndicator()});
    } else {
      l.putNewAttribute(TagFromName.PatientOrientation); // type 2C without a frame of reference
    }
    String organisation = DicomUids.newUid();
    AttributeList org = new AttributeList();
    DicomHeaders.put(org, TagFromName.DimensionOrganizationUID, organisation);
    l.put(DicomHeaders.sequence(TagFromName.DimensionOrganizationSequence, org));
    SequenceAttribute index = new SequenceAttribute(TagFromName.DimensionIndexSequence);
    index.addItem(dimension(organisation, TagFromName.ReferencedSegmentNumber,
        TagFromName.SegmentIdentificationSequence, "Segment Number"));
    if (plane) {
      index.addItem(dimension(organisation, TagFromName.ImagePositionPatient,
          TagFromName.PlanePositionSequence, "Image Position Patient"));
    }
    l.put(index);
    AttributeList shared = new AttributeList();
    AttributeList measures = new AttributeList();
    DicomHeaders.put(measures, TagFromName.PixelSpacing, ds(slice.spacing().rowMm()),
        ds(slice.spacing().colMm()));
    if (slice.sliceThicknessMm() != null) {
      DicomHeaders.put(measures, TagFromName.SliceThickness, ds(slice.sliceThicknessMm()));
    }
    shared.put(DicomHeaders.sequence(TagFromName.PixelMeasuresSequence, measures));
    if (plane) {
      AttributeList orientation = new AttributeList();
      DicomHeaders.put(orientation, TagFromName.ImageOrientationPatient,
          ds(slice.imageOrientationPatient()));
      shared.put(DicomHeaders.sequence(TagFromName.PlaneOrientationSequence, orientation));
    }
    shared.put(SegmentFrames.derivation(source));
    l.put(DicomHeaders.sequence(TagFromName.SharedFunctionalGroupsSequence, shared));
    SequenceAttribute perFrame = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
    for (int f = 1; f <= frames; f++) {
      perFrame.addItem(SegmentFrames.frame(f, plane ? ds(slice.imagePositionPatient()) : null));
    }
    l.put(perFrame);
  }

  private static AttributeList dimension(String organisation, AttributeTag pointer,
      AttributeTag group, String label) throws DicomException {
    AttributeList item = new AttributeList();
    DicomHeaders.put(item, TagFromName.DimensionOrganizationUID, organisation);
    AttributeTagAttribute p = new AttributeTagAttribute(TagFromName.DimensionIndexPointer);
    p.addValue(pointer);
    item.put(p);
    AttributeTagAttribute g = new AttributeTagAttribute(TagFromName.FunctionalGroupPointer);
    g.addValue(group);
    item.put(g);
    DicomHeaders.put(item, TagFromName.DimensionDescriptionLabel, label);
    return item;
  }

  /** Common Instance Reference: the source instance, in the source's series of this study. */
  private static void references(AttributeList l, SourceImage source) throws DicomException {
    AttributeList series = new AttributeList();
    DicomHeaders.put(series, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
    series.put(DicomHeaders.sequence(TagFromName.ReferencedInstanceSequence,
        DicomHeaders.sopReference(source)));
    l.put(DicomHeaders.sequence(TagFromName.ReferencedSeriesSequence, series));
  }

  private static String ds(double v) {
    return FloatFormatter.toStringOfFixedMaximumLength(v, 16, false, Locale.US);
  }

  private static String[] ds(double[] values) {
    String[] s = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      s[i] = ds(values[i]);
    }
    return s;
  }
}
