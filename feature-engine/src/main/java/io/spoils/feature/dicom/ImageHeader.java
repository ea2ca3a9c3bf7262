package io.spoils.feature.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.PixelSpacing;

/**
 * The image pixel module and geometry of a PixelMed header, validated: greyscale only, 8 or 16 bits
 * allocated, sane dimensions and a pixel spacing. Enhanced (multi-frame) objects keep geometry and
 * TE/TR in functional groups; those are looked up for the frame read (shared, then that frame's)
 * when the top-level attribute is absent.
 */
record ImageHeader(int rows, int columns, int frames, String photometric, PixelValues.Layout layout,
    PixelSpacing spacing, double[] iop, double[] ipp, Double echoTimeMs, Double repetitionTimeMs) {

  /** Largest accepted Rows or Columns; MR matrices are at most a few thousand. */
  static final int MAX_DIMENSION = 16384;

  /** Effective Echo Time (0018,9082), the enhanced MR echo time (not in PixelMed's TagFromName). */
  private static final AttributeTag EFFECTIVE_ECHO_TIME = new AttributeTag(0x0018, 0x9082);

  static ImageHeader from(AttributeList h) {
    return from(h, 0);
  }

  /**
   * As {@link #from(AttributeList)} with the geometry and timing of frame {@code frame} (0-based):
   * a functional group is looked up in the shared functional groups, then in that frame's item of
   * the per-frame functional groups.
   */
  static ImageHeader from(AttributeList h, int frame) {
    String photometric = PixelMedDicomReader.str(h, TagFromName.PhotometricInterpretation)
        .toUpperCase(java.util.Locale.ROOT);
    if (photometric.isEmpty()) {
      throw new InvalidInputException("no Photometric Interpretation: the pixel data cannot be read "
          + "as an image");
    }
    int samples = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.SamplesPerPixel, 1);
    if (samples != 1 || !(photometric.equals("MONOCHROME1") || photometric.equals("MONOCHROME2"))) {
      throw new InvalidInputException("colour or non-greyscale image (photometric interpretation "
          + photometric + ", " + samples
          + " samples per pixel) is not supported: MR images must be MONOCHROME1 or MONOCHROME2");
    }
    int rows = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Rows, 0);
    int columns = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.Columns, 0);
    if (rows <= 0 || columns <= 0 || rows > MAX_DIMENSION || columns > MAX_DIMENSION) {
      throw new InvalidInputException("invalid image size Rows=" + rows + " Columns=" + columns);
    }
    int frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(h, TagFromName.NumberOfFrames, 1));
    int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsAllocated, 0);
    int bitsStored = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsStored, bitsAllocated);
    int highBit = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.HighBit, bitsStored - 1);
    boolean signed = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.PixelRepresentation, 0) == 1;
    double slope = PixelMedDicomReader.decimal(h, TagFromName.RescaleSlope) == null ? 1.0
        : PixelMedDicomReader.decimal(h, TagFromName.RescaleSlope);
    double intercept = PixelMedDicomReader.decimal(h, TagFromName.RescaleIntercept) == null ? 0.0
        : PixelMedDicomReader.decimal(h, TagFromName.RescaleIntercept);
    PixelValues.Layout layout = new PixelValues.Layout(bitsAllocated, bitsStored, highBit, signed, slope,
        intercept, photometric.equals("MONOCHROME1"));
    return new ImageHeader(rows, columns, frames, photometric, layout, spacing(h, frame),
        vector(h, TagFromName.ImageOrientationPatient, TagFromName.PlaneOrientationSequence, 6,
            frame),
        vector(h, TagFromName.ImagePositionPatient, TagFromName.PlanePositionSequence, 3, frame),
        timing(h, TagFromName.EchoTime, TagFromName.MREchoSequence, EFFECTIVE_ECHO_TIME, frame),
        timing(h, TagFromName.RepetitionTime, TagFromName.MRTimingAndRelatedParametersSequence,
            TagFromName.RepetitionTime, frame));
  }

  /** PixelSpacing (row, column) or, only when it is absent, ImagerPixelSpacing. */
  private static PixelSpacing spacing(AttributeList h, int frame) {
    double[] s = vector(h, TagFromName.PixelSpacing, TagFromName.PixelMeasuresSequence, 2, frame);
    String which = "PixelSpacing";
    if (s == null) {
      s = doubles(h.get(TagFromName.ImagerPixelSpacing), "ImagerPixelSpacing", 2);
      which = "ImagerPixelSpacing";
    }
    if (s == null) {
      throw new InvalidInputException("no PixelSpacing or ImagerPixelSpacing: physical pixel size unknown");
    }
    if (!(s[0] > 0 && s[1] > 0 && Double.isFinite(s[0]) && Double.isFinite(s[1]))) {
      throw new InvalidInputException(which + " must be two positive numbers");
    }
    return new PixelSpacing(s[0], s[1]);
  }

  private static double[] vector(AttributeList h, AttributeTag tag, AttributeTag groupSeq, int n,
      int frame) {
    Attribute a = h.get(tag);
    if (a == null || a.getVL() == 0) {
      a = functionalGroup(h, groupSeq, tag, frame);
    }
    return doubles(a, tagName(tag), n);
  }

  private static Double timing(AttributeList h, AttributeTag tag, AttributeTag groupSeq,
      AttributeTag inner, int frame) {
    Attribute a = h.get(tag);
    if (a == null || a.getVL() == 0) {
      a = functionalGroup(h, groupSeq, inner, frame);
    }
    double[] v = doubles(a, tagName(tag), 1);
    return v == null || v[0] < 0 ? null : v[0];
  }

  /**
   * A number within {@code groupSeq} of the shared functional groups or of frame {@code frame}'s
   * (an enhanced object's Slice Thickness, for one), or null when it is absent or not a finite
   * number: as lenient as a top-level {@link PixelMedDicomReader#decimal}.
   */
  static Double groupDecimal(AttributeList h, AttributeTag groupSeq, AttributeTag inner,
      int frame) {
    Attribute a = functionalGroup(h, groupSeq, inner, frame);
    if (a == null) {
      return null;
    }
    try {
      double[] v = a.getDoubleValues();
      return v != null && v.length > 0 && Double.isFinite(v[0]) ? v[0] : null;
    } catch (com.pixelmed.dicom.DicomException | NumberFormatException e) {
      return null;
    }
  }

  /**
   * {@code inner} within {@code groupSeq} of the shared functional groups, else of frame
   * {@code frame}'s per-frame functional groups.
   */
  private static Attribute functionalGroup(AttributeList h, AttributeTag groupSeq,
      AttributeTag inner, int frame) {
    for (AttributeTag fg : new AttributeTag[] {TagFromName.SharedFunctionalGroupsSequence,
        TagFromName.PerFrameFunctionalGroupsSequence}) {
      int index = fg.equals(TagFromName.SharedFunctionalGroupsSequence) ? 0 : frame;
      if (h.get(fg) instanceof SequenceAttribute outer && outer.getNumberOfItems() > index) {
        AttributeList item = outer.getItem(index).getAttributeList();
        if (item.get(groupSeq) instanceof SequenceAttribute seq && seq.getNumberOfItems() > 0) {
          Attribute a = seq.getItem(0).getAttributeList().get(inner);
          if (a != null && a.getVL() > 0) {
            return a;
          }
        }
      }
    }
    return null;
  }

  /** Exactly {@code n} finite numbers, null when the attribute is absent or empty. */
  private static double[] doubles(Attribute a, String name, int n) {
    if (a == null || a.getVL() == 0) {
      return null;
    }
    try {
      double[] v = a.getDoubleValues();
      if (v == null || v.length == 0) {
        return null;
      }
      if (v.length != n) {
        throw new InvalidInputException(name + " has " + v.length + " values, expected " + n);
      }
      for (double d : v) {
        if (!Double.isFinite(d)) {
          throw new InvalidInputException(name + " holds a value that is not a finite number");
        }
      }
      return v;
    } catch (com.pixelmed.dicom.DicomException | NumberFormatException e) {
      throw new InvalidInputException(name + " is not a list of numbers", e);
    }
  }

  private static String tagName(AttributeTag tag) {
    String name = AttributeList.getDictionary().getNameFromTag(tag);
    return name == null ? tag.toString() : name;
  }
}
