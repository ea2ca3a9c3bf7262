package io.spoils.gateway.output.seg;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.output.Concept;
import io.spoils.gateway.output.DicomHeaders;
import io.spoils.gateway.output.SourceImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments, frames and 1-bit pixel data of a SEG built from a label map: segment {@code k}
 * (1-based) is the k-th label present in id order, and frame {@code k} is its binary mask. Pixels
 * are packed row-major, frame after frame, eight per byte from the least significant bit (PS3.5
 * 8.1.1), padded to an even length.
 */
final class SegmentFrames {

  private static final Concept DERIVATION_SEGMENTATION = Concept.dcm("113076", "Segmentation");
  private static final Concept SOURCE_IMAGE = Concept.dcm("121322",
      "Source image for image processing operation");

  /** Segment Algorithm Name (0062,0009), absent from PixelMed's TagFromName. */
  private static final AttributeTag SEGMENT_ALGORITHM_NAME = new AttributeTag(0x0062, 0x0009);

  private SegmentFrames() {
  }

  /** The labels with at least one pixel, background excluded, in id order. */
  static List<AnatomyLabel> present(LabelMap map) {
    boolean[] seen = new boolean[256];
    for (byte b : map.labels()) {
      seen[b & 0xFF] = true;
    }
    List<AnatomyLabel> labels = new ArrayList<>();
    for (AnatomyLabel l : AnatomyLabel.values()) {
      if (l != AnatomyLabel.BACKGROUND && seen[l.id()]) {
        labels.add(l);
      }
    }
    return labels;
  }

  /** One frame per label of {@code labels}, bit-packed. */
  static byte[] pack(LabelMap map, List<AnatomyLabel> labels) {
    int pixels = map.width() * map.height();
    long bits = (long) pixels * labels.size();
    byte[] out = new byte[(int) (((bits + 7) / 8 + 1) & ~1L)];
    byte[] ids = map.labels();
    for (int f = 0; f < labels.size(); f++) {
      int id = labels.get(f).id();
      long base = (long) f * pixels;
      for (int i = 0; i < pixels; i++) {
        if ((ids[i] & 0xFF) == id) {
          long bit = base + i;
          out[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
      }
    }
    return out;
  }

  /** The Segment Sequence. */
  static SequenceAttribute segments(List<AnatomyLabel> labels, String algorithm)
      throws DicomException {
    SequenceAttribute seq = new SequenceAttribute(TagFromName.SegmentSequence);
    for (int k = 0; k < labels.size(); k++) {
      SegmentCodes.Segment s = SegmentCodes.of(labels.get(k));
      AttributeList item = new AttributeList();
      DicomHeaders.put(item, TagFromName.SegmentNumber, Integer.toString(k + 1));
      DicomHeaders.put(item, TagFromName.SegmentLabel, s.label());
      DicomHeaders.put(item, TagFromName.SegmentAlgorithmType, "AUTOMATIC");
      LongStringAttribute name = new LongStringAttribute(SEGMENT_ALGORITHM_NAME);
      name.addValue(algorithm);
      item.put(name);
      item.put(DicomHeaders.codeSequence(TagFromName.SegmentedPropertyCategoryCodeSequence,
          SegmentCodes.ANATOMICAL_STRUCTURE.item()));
      AttributeList type = s.type().item().getAttributeList();
      if (s.modifier().isPresent()) {
        type.put(DicomHeaders.codeSequence(TagFromName.SegmentedPropertyTypeModifierCodeSequence,
            s.modifier().get().item()));
      }
      item.put(DicomHeaders.sequence(TagFromName.SegmentedPropertyTypeCodeSequence, type));
      int[] lab = SegmentCodes.cieLab(s.rgb());
      DicomHeaders.put(item, TagFromName.RecommendedDisplayCIELabValue,
          Integer.toString(lab[0]), Integer.toString(lab[1]), Integer.toString(lab[2]));
      seq.addItem(item);
    }
    return seq;
  }

  /** Per-frame functional groups of frame {@code number} (1-based). */
  static AttributeList frame(int number, String[] imagePosition) throws DicomException {
    AttributeList item = new AttributeList();
    AttributeList content = new AttributeList();
    DicomHeaders.put(content, TagFromName.DimensionIndexValues, imagePosition == null
        ? new String[] {Integer.toString(number)} : new String[] {Integer.toString(number), "1"});
    item.put(DicomHeaders.sequence(TagFromName.FrameContentSequence, content));
    if (imagePosition != null) {
      AttributeList position = new AttributeList();
      DicomHeaders.put(position, TagFromName.ImagePositionPatient, imagePosition);
      item.put(DicomHeaders.sequence(TagFromName.PlanePositionSequence, position));
    }
    AttributeList segment = new AttributeList();
    DicomHeaders.put(segment, TagFromName.ReferencedSegmentNumber, Integer.toString(number));
    item.put(DicomHeaders.sequence(TagFromName.SegmentIdentificationSequence, segment));
    return item;
  }

  /** The Derivation Image functional group: segmented from the source image. */
  static SequenceAttribute derivation(SourceImage source) throws DicomException {
    AttributeList ref = DicomHeaders.imageReference(source);
    ref.put(DicomHeaders.codeSequence(TagFromName.PurposeOfReferenceCodeSequence,
        SOURCE_IMAGE.item()));
    AttributeList derivation = new AttributeList();
    derivation.put(DicomHeaders.codeSequence(TagFromName.DerivationCodeSequence,
        DERIVATION_SEGMENTATION.item()));
    derivation.put(DicomHeaders.sequence(TagFromName.SourceImageSequence, ref));
    return DicomHeaders.sequence(TagFromName.DerivationImageSequence, derivation);
  }
}
