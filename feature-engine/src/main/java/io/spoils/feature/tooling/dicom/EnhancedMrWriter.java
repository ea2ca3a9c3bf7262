package io.spoils.feature.tooling.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UnsignedLongAttribute;
import io.spoils.feature.image.GreyImage;
import java.util.List;

/**
 * Writes a series of slices as one Enhanced MR Image Storage object, the way scanners that export
 * enhanced objects store a sagittal series: one file, Number of Frames = slices, spacing,
 * orientation, TR and effective TE in the shared functional groups, each frame's position in its
 * per-frame functional group (with its in-stack position). Explicit VR little endian, 16-bit
 * unsigned, pixel values stored as {@link DicomWriter} stores them. For tests and tooling (not in
 * the runtime jar); not a complete enhanced MR IOD (no MR image and spectroscopy description,
 * acquisition or contrast modules): just what the reader needs.
 */
public final class EnhancedMrWriter {
  /** (0018,9082) Effective Echo Time, the enhanced MR echo time. */
  private static final AttributeTag EFFECTIVE_ECHO_TIME = new AttributeTag(0x0018, 0x9082);

  private EnhancedMrWriter() {}

  /**
   * Encodes the slices as one enhanced MR object.
   *
   * @param frames the slices, all of one size and spacing, in frame order
   * @param params series, orientation and timing (its position is not used; no rescale: an
   *     enhanced object keeps it in a functional group the reader does not read)
   * @param positions each frame's Image Position (Patient), mm, one per frame
   * @return the complete Part 10 file
   * @throws IllegalArgumentException for frames of different sizes, or a rescale in {@code params}
   */
  public static byte[] write(List<GreyImage> frames, MrParams params, List<double[]> positions) {
    if (frames.isEmpty() || frames.size() != positions.size()) {
      throw new IllegalArgumentException("one position per frame, at least one frame");
    }
    if (params.rescaleSlope() != 1.0 || params.rescaleIntercept() != 0.0) {
      // an enhanced object keeps it in a functional group the reader does not read
      throw new IllegalArgumentException("no rescale in an enhanced object written here");
    }
    GreyImage first = frames.get(0);
    int plane = first.width() * first.height();
    short[] stored = new short[Math.multiplyExact(plane, frames.size())];
    for (int f = 0; f < frames.size(); f++) {
      GreyImage g = frames.get(f);
      if (g.width() != first.width() || g.height() != first.height()
          || !g.spacing().equals(first.spacing())) {
        throw new IllegalArgumentException("frames differ in size or spacing");
      }
      System.arraycopy(DicomWriter.stored(g, params), 0, stored, f * plane, plane);
    }
    try {
      AttributeList l = DicomWriter.identity(params, SOPClass.EnhancedMRImageStorage, "DERIVED",
          "PRIMARY", "VOLUME", "NONE");
      DicomWriter.add(l, new IntegerStringAttribute(TagFromName.NumberOfFrames),
          String.valueOf(frames.size()));
      l.put(shared(first, params));
      l.put(perFrame(positions));
      DicomWriter.pixelModule(l, first, params, stored);
      return DicomWriter.encode(l);
    } catch (DicomException e) {
      throw new IllegalStateException("cannot encode DICOM", e);
    }
  }

  private static SequenceAttribute shared(GreyImage first, MrParams p) throws DicomException {
    AttributeList item = new AttributeList();
    AttributeList measures = new AttributeList();
    DicomWriter.decimals(measures, TagFromName.PixelSpacing, first.spacing().rowMm(),
        first.spacing().colMm());
    DicomWriter.decimal(measures, TagFromName.SliceThickness, p.sliceThicknessMm());
    item.put(sequence(TagFromName.PixelMeasuresSequence, measures));
    AttributeList orientation = new AttributeList();
    DicomWriter.decimals(orientation, TagFromName.ImageOrientationPatient,
        p.imageOrientationPatient());
    item.put(sequence(TagFromName.PlaneOrientationSequence, orientation));
    if (p.repetitionTimeMs() != null) {
      AttributeList timing = new AttributeList();
      DicomWriter.decimal(timing, TagFromName.RepetitionTime, p.repetitionTimeMs());
      item.put(sequence(TagFromName.MRTimingAndRelatedParametersSequence, timing));
    }
    if (p.echoTimeMs() != null) {
      AttributeList echo = new AttributeList();
      com.pixelmed.dicom.FloatDoubleAttribute te =
          new com.pixelmed.dicom.FloatDoubleAttribute(EFFECTIVE_ECHO_TIME);
      te.addValue(p.echoTimeMs());
      echo.put(te);
      item.put(sequence(TagFromName.MREchoSequence, echo));
    }
    return sequence(TagFromName.SharedFunctionalGroupsSequence, item);
  }

  private static SequenceAttribute perFrame(List<double[]> positions) throws DicomException {
    SequenceAttribute frames = new SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
    for (int f = 0; f < positions.size(); f++) {
      AttributeList item = new AttributeList();
      AttributeList position = new AttributeList();
      DicomWriter.decimals(position, TagFromName.ImagePositionPatient, positions.get(f));
      item.put(sequence(TagFromName.PlanePositionSequence, position));
      AttributeList content = new AttributeList();
      UnsignedLongAttribute stack = new UnsignedLongAttribute(TagFromName.InStackPositionNumber);
      stack.addValue(f + 1);
      content.put(stack);
      item.put(sequence(TagFromName.FrameContentSequence, content));
      frames.addItem(item);
    }
    return frames;
  }

  private static SequenceAttribute sequence(AttributeTag tag, AttributeList item) {
    SequenceAttribute s = new SequenceAttribute(tag);
    s.addItem(item);
    return s;
  }
}
