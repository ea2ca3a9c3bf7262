package io.spoils.feature.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a file for {@link PixelMedDicomReader}: whether a multi-frame file's frames can be
 * read as slices (a position each), and one frame's values, read in place from native little
 * endian pixel data or taken from what PixelMed decoded ({@link PixelValues}).
 */
final class FramePixels {

  private FramePixels() {
  }

  /**
   * A multi-frame file's frames are slices only when each has a position of its own: the
   * per-frame functional groups hold one item per frame with a Plane Position, and there is no
   * single top-level Image Position for them all.
   */
  static void requireFramePositions(AttributeList h, int frames) {
    String why = null;
    if (h.get(TagFromName.ImagePositionPatient) != null
        && h.get(TagFromName.ImagePositionPatient).getVL() > 0) {
      why = "one Image Position for all of them";
    } else if (!(h.get(TagFromName.PerFrameFunctionalGroupsSequence)
        instanceof SequenceAttribute perFrame)
        || perFrame.getNumberOfItems() != frames) {
      why = "no per-frame functional groups for each frame";
    } else {
      for (int f = 0; f < frames; f++) {
        if (!(perFrame.getItem(f).getAttributeList().get(TagFromName.PlanePositionSequence)
            instanceof SequenceAttribute pos) || pos.getNumberOfItems() == 0) {
          why = "a frame without a Plane Position";
          break;
        }
      }
    }
    if (why != null) {
      throw new InvalidInputException("a multi-frame image of " + frames + " frames with " + why
          + " cannot be read as slices of a series: send the series as single-frame MR images "
          + "(MR Image Storage), or as an enhanced MR object with a position per frame");
    }
  }

  /**
   * Whether frames are read straight from the input: native little endian pixel data of a defined
   * length, 8 or 16 bits allocated (the common case). That saves PixelMed's second parse of the
   * whole file and its sample-by-sample reads; anything else is {@link #frames}'.
   */
  static boolean readsInPlace(DicomStructureCheck.Result structure, ImageHeader image) {
    String ts = structure.transferSyntaxUid();
    int bits = image.layout().bitsAllocated();
    return (DicomStructureCheck.EXPLICIT_LE.equals(ts) || DicomStructureCheck.IMPLICIT_LE.equals(ts))
        && structure.pixelDataLength() >= 0 && (bits == 8 || bits == 16);
  }

  /**
   * Frame {@code f}'s values read in place ({@link #readsInPlace}; the declared length was
   * checked): the same samples and lookup table as {@link #frames}.
   */
  static float[] nativeFrame(ByteBuffer bytes, DicomStructureCheck.Result structure,
      ImageHeader image, int f) {
    int count = image.rows() * image.columns();
    float[] table = PixelValues.table(image.layout());
    ByteBuffer in = bytes.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int at = Math.toIntExact(structure.pixelDataOffset()
        + (long) f * count * (image.layout().bitsAllocated() / 8));
    float[] out = new float[count];
    if (image.layout().bitsAllocated() == 16) {
      for (int i = 0; i < count; i++) {
        out[i] = table[in.getShort(at + 2 * i) & 0xFFFF];
      }
    } else {
      for (int i = 0; i < count; i++) {
        out[i] = table[in.get(at + i) & 0xFF];
      }
    }
    return out;
  }

  /**
   * The values ({@link PixelValues}) of the given frames, looked up per allocated-width sample, in
   * the order asked. The samples are taken from the pixel data once for all of them (16-bit
   * samples held as bytes are converted once, not once per frame).
   */
  static List<float[]> frames(AttributeList list, ImageHeader image, int[] frames) {
    Attribute pd = list.getPixelData();
    int count = image.rows() * image.columns();
    if (pd == null) {
      throw new InvalidInputException("no pixel data could be read (truncated or corrupt file)");
    }
    try {
      float[] table = PixelValues.table(image.layout());
      List<float[]> out = new ArrayList<>(frames.length);
      if (image.layout().bitsAllocated() == 16) {
        short[] s = pd instanceof OtherWordAttribute ? pd.getShortValues() : shortsFromBytes(pd);
        for (int f : frames) {
          int first = Math.multiplyExact(f, count);
          requireLength(s == null ? 0 : s.length, first + count);
          float[] values = new float[count];
          for (int i = 0; i < count; i++) {
            values[i] = table[s[first + i] & 0xFFFF];
          }
          out.add(values);
        }
        return out;
      }
      byte[] b = pd.getByteValues();
      for (int f : frames) {
        int first = Math.multiplyExact(f, count);
        requireLength(b == null ? 0 : b.length, first + count);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
          values[i] = table[b[first + i] & 0xFF];
        }
        out.add(values);
      }
      return out;
    } catch (com.pixelmed.dicom.DicomException e) {
      throw new InvalidInputException("pixel data cannot be read (its value representation does "
          + "not fit the image attributes)", e);
    }
  }

  /** 16-bit samples held as bytes (OB): PixelMed keeps them in little endian order. */
  private static short[] shortsFromBytes(Attribute pd) throws com.pixelmed.dicom.DicomException {
    byte[] b = pd.getByteValues();
    short[] s = new short[b == null ? 0 : b.length / 2];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8);
    }
    return s;
  }

  private static void requireLength(int have, int need) {
    if (have < need) {
      throw new InvalidInputException("pixel data holds " + have + " samples, fewer than Rows x "
          + "Columns = " + need + " (truncated or corrupt file)");
    }
  }
}
