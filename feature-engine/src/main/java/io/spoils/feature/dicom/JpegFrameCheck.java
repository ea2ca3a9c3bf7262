package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;

/**
 * Checks the JPEG frames of encapsulated pixel data against the image's Rows and Columns before a
 * codec sees them. JPEG codecs size their buffers from the frame header (SOF), not from DICOM's
 * attributes: a 64 KB file whose SOF declares 30000 x 30000 samples made the JPEG decoders
 * allocate close to a gigabyte (the pixel budget is claimed from Rows x Columns and cannot see it).
 *
 * <p>Every fragment that opens with a JPEG start of image (FFD8) is walked marker by marker up to
 * its start of scan; each frame header (SOF0-SOF15 but DHT/JPG/DAC, and JPEG-LS SOF55) must
 * declare at least one and at most Rows lines, at least one and at most Columns samples per line,
 * and one component (greyscale). Fragments that continue a frame, and other encodings (RLE, JPEG
 * 2000), are left alone. The items were bounded by {@link DicomStructureCheck}; reads here stay
 * inside each fragment.
 */
final class JpegFrameCheck {
  private static final int ITEM = 0xFFFEE000;

  private JpegFrameCheck() {}

  /**
   * Checks the encapsulated pixel data whose first item starts at {@code itemsOffset} in
   * {@code data} (little endian, as every encapsulated transfer syntax is).
   *
   * @throws InvalidInputException when a JPEG frame header does not fit the image
   */
  static void check(ByteBuffer data, int itemsOffset, ImageHeader image) {
    ByteBuffer b = data.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int pos = itemsOffset;
    while (pos + 8 <= b.limit()) {
      int tag = (b.getShort(pos) & 0xFFFF) << 16 | (b.getShort(pos + 2) & 0xFFFF);
      long len = b.getInt(pos + 4) & 0xFFFFFFFFL;
      pos += 8;
      if (tag != ITEM || len > b.limit() - pos) {
        return; // the sequence delimiter (lengths were checked before)
      }
      checkFragment(b, pos, pos + (int) len, image);
      pos += (int) len;
    }
  }

  /** Walks one fragment's markers from its start of image to its start of scan. */
  private static void checkFragment(ByteBuffer b, int from, int end, ImageHeader image) {
    if (end - from < 4 || u8(b, from) != 0xFF || u8(b, from + 1) != 0xD8) {
      return;
    }
    int pos = from + 2;
    while (pos + 4 <= end) {
      if (u8(b, pos) != 0xFF) {
        return;
      }
      int marker = u8(b, pos + 1);
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
        pos += 2;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return;
      }
      int length = u16(b, pos + 2);
      if (isFrameHeader(marker) && pos + 10 <= end) {
        requireFits(u16(b, pos + 5), u16(b, pos + 7), u8(b, pos + 9), image);
      }
      pos += 2 + length;
    }
  }

  /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC); JPEG-LS SOF55 (F7). */
  private static boolean isFrameHeader(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
        || marker == 0xF7;
  }

  private static void requireFits(int lines, int samples, int components, ImageHeader image) {
    if (lines < 1 || samples < 1 || lines > image.rows() || samples > image.columns()
        || components != 1) {
      throw new InvalidInputException("corrupt JPEG pixel data: a frame header declares " + lines
          + " lines of " + samples + " samples with " + components + " component(s), which does "
          + "not fit the image's Rows " + image.rows() + " x Columns " + image.columns()
          + " with one sample per pixel");
    }
  }

  private static int u8(ByteBuffer b, int at) {
    return b.get(at) & 0xFF;
  }

  private static int u16(ByteBuffer b, int at) {
    return (b.get(at) & 0xFF) << 8 | (b.get(at + 1) & 0xFF);
  }
}
