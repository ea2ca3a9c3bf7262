package io.spoils.gateway.output.seg;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.gateway.output.Concept;
import java.util.Optional;

/**
 * The DICOM description of each of the 14 anatomical labels as a segment: label, SNOMED CT
 * property type (CID 7151 / the DICOM anatomic master list), an optional level modifier, and a
 * display colour. Every segment's category is "Anatomical Structure" (CID 7150).
 */
final class SegmentCodes {

  /** Segmented Property Category of every segment. */
  static final Concept ANATOMICAL_STRUCTURE = Concept.sct("123037004", "Anatomical Structure");

  private static final Concept DISC = Concept.sct("360499006", "Intervertebral disc");

  /**
   * One segment's description.
   *
   * @param label Segment Label, e.g. {@code L4-L5 disc}
   * @param type Segmented Property Type
   * @param modifier Segmented Property Type Modifier (the disc's level), when there is one
   * @param rgb display colour, 0xRRGGBB
   */
  record Segment(String label, Concept type, Optional<Concept> modifier, int rgb) { }

  private SegmentCodes() {
  }

  /** The segment of a label; background has none. */
  static Segment of(AnatomyLabel label) {
    return switch (label) {
      case BACKGROUND -> throw new IllegalArgumentException("background is not a segment");
      case L1 -> vertebra("L1", "66794005", 0xE3C9A8);
      case L2 -> vertebra("L2", "14293000", 0xD9B98F);
      case L3 -> vertebra("L3", "36470004", 0xE3C9A8);
      case L4 -> vertebra("L4", "11994002", 0xD9B98F);
      case L5 -> vertebra("L5", "49668003", 0xE3C9A8);
      case SACRUM -> new Segment("Sacrum", Concept.sct("54735007", "Sacrum"), Optional.empty(),
          0xC8A27A);
      case DISC_T12_L1 -> disc("T12-L1", "243926009", "T12/L1");
      case DISC_L1_L2 -> disc("L1-L2", "243920003", "L1/L2");
      case DISC_L2_L3 -> disc("L2-L3", "243921004", "L2/L3");
      case DISC_L3_L4 -> disc("L3-L4", "243922006", "L3/L4");
      case DISC_L4_L5 -> disc("L4-L5", "243923001", "L4/L5");
      case DISC_L5_S1 -> disc("L5-S1", "243927000", "L5/S1");
      case CANAL -> new Segment("Spinal canal", Concept.sct("61853006", "Spinal canal"),
          Optional.empty(), 0xF2D340);
    };
  }

  private static Segment vertebra(String name, String code, int rgb) {
    return new Segment(name + " vertebra", Concept.sct(code, name + " vertebra"), Optional.empty(),
        rgb);
  }

  private static Segment disc(String name, String levelCode, String level) {
    return new Segment(name + " disc", DISC, Optional.of(Concept.sct(levelCode, "Level of "
        + level + " intervertebral disc")), 0x4A90D9);
  }

  /**
   * Recommended Display CIELab Value of an sRGB colour (D65): L* 0-100 and a*, b* -128..127
   * scaled to 0-65535 as PS3.3 C.10.7.1.1 asks.
   */
  static int[] cieLab(int rgb) {
    double r = linear((rgb >> 16) & 0xFF);
    double g = linear((rgb >> 8) & 0xFF);
    double b = linear(rgb & 0xFF);
    double x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
    double fx = f(x);
    double fy = f(y);
    double fz = f(z);
    double l = 116 * fy - 16;
    double a = 500 * (fx - fy);
    double bb = 200 * (fy - fz);
    return new int[] {scale(l / 100), scale((a + 128) / 255), scale((bb + 128) / 255)};
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  private static double f(double t) {
    return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  }

  private static int scale(double unit) {
    return (int) Math.round(Math.max(0, Math.min(1, unit)) * 65535);
  }
}
