package io.spoils.feature.dicom;

import io.spoils.feature.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks the element structure of a DICOM byte array, without interpreting values, before PixelMed
 * sees it. PixelMed trusts declared value lengths: a bogus length makes it allocate gigabytes or
 * read past the end, and it logs and swallows many such failures, returning a partial data set. This
 * check rejects any element, item or fragment whose declared length runs past the end of the input
 * (truncated or corrupt file), recognises non-DICOM bytes, and reports whether top-level pixel data
 * is present, and limits sequence nesting to {@value #MAX_DEPTH} levels (recursive readers overflow
 * their stack on deeper input). A deflated file is checked up to its meta information by {@link
 * #check}; its data set, once {@link DeflatedDataSet} has inflated it, by {@link #checkInflated}.
 */
final class DicomStructureCheck {
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";

  private static final long UNDEFINED = 0xFFFFFFFFL;
  /** Deepest sequence nesting accepted. */
  static final int MAX_DEPTH = 32;
  private static final int PIXEL_DATA = 0x7FE00010;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_END = 0xFFFEE00D;
  private static final int SEQUENCE_END = 0xFFFEE0DD;

  /**
   * What the walk found.
   *
   * @param transferSyntaxUid from the meta information, or guessed from the first data set element
   * @param guessed whether the transfer syntax was guessed (no meta information, or no UID in
   *     it) or is that of an inflated data set, rather than read from the meta information
   * @param dataSetOffset byte offset of the data set (after any preamble and meta information)
   * @param hasPixelData whether the top-level data set has Pixel Data (7FE0,0010)
   * @param pixelDataOffset byte offset of the top-level Pixel Data value: the samples when its
   *     length is defined (native), the first item when it is undefined (encapsulated); -1 without
   *     pixel data
   * @param pixelDataLength that value's length in bytes when defined (native), else -1
   */
  record Result(String transferSyntaxUid, boolean guessed, int dataSetOffset, boolean hasPixelData,
      int pixelDataOffset, long pixelDataLength) {}

  /** The input, indexed from 0 (absolute reads only: the caller's buffer state is untouched). */
  private final ByteBuffer b;
  private final int n;
  private boolean bigEndian;
  private boolean pixelData;
  private int pixelOffset = -1;
  private long pixelLength = -1;

  private DicomStructureCheck(ByteBuffer bytes) {
    this.b = bytes;
    this.n = bytes.limit();
  }

  /** Checks {@code bytes}; throws {@link InvalidInputException} naming what is wrong. */
  static Result check(byte[] bytes) {
    return check(ByteBuffer.wrap(bytes));
  }

  /**
   * Checks the bytes from {@code bytes}' position to its limit (neither is changed); throws
   * {@link InvalidInputException} naming what is wrong.
   */
  static Result check(ByteBuffer bytes) {
    if (!bytes.hasRemaining()) {
      throw new InvalidInputException("empty input: no DICOM data");
    }
    return new DicomStructureCheck(bytes.slice()).run();
  }

  /**
   * Whether {@code head}, the first bytes of a file (from its position; at least
   * {@link DicomReader#SNIFF_BYTES} of them where the file has that many), could begin a DICOM
   * file: the {@code DICM} marker after the preamble, or file meta information (group 0002) or a
   * data set from byte 0 (a first group from 0002 to 0010). {@link #check} tests the same first,
   * so a file this says no to fails there as "not a DICOM file".
   */
  static boolean looksLikeDicom(ByteBuffer head) {
    DicomStructureCheck c = new DicomStructureCheck(head.slice());
    return c.n >= 132 && "DICM".equals(c.ascii(128, 4)) || c.startsLikeDataSet();
  }

  /**
   * Checks an inflated data set: explicit VR little endian from byte 0, no preamble or meta
   * information; throws {@link InvalidInputException} naming what is wrong. The result opens the
   * data set at offset 0 with {@link #EXPLICIT_LE}.
   */
  static Result checkInflated(ByteBuffer dataSet) {
    if (!dataSet.hasRemaining()) {
      throw new InvalidInputException("empty deflated data set: no DICOM data");
    }
    DicomStructureCheck c = new DicomStructureCheck(dataSet.slice());
    c.walk(0, c.n, true, false, 0);
    return new Result(EXPLICIT_LE, true, 0, c.pixelData, c.pixelOffset, c.pixelLength);
  }

  private String ascii(int at, int len) {
    byte[] out = new byte[len];
    b.get(at, out, 0, len);
    return new String(out, StandardCharsets.US_ASCII);
  }

  private Result run() {
    int pos = 0;
    String ts = null;
    if (n >= 132 && "DICM".equals(ascii(128, 4))) {
      pos = 132;
    }
    if (pos == 132 || (n >= 8 && u16le(0) == 0x0002)) {
      int[] end = new int[1];
      ts = readMetaTransferSyntax(pos, end);
      pos = end[0];
    } else if (pos == 0 && !startsLikeDataSet()) {
      throw new InvalidInputException("not a DICOM file: no 'DICM' marker and the data does not start "
          + "with a DICOM element");
    }
    if (DEFLATED_LE.equals(ts)) {
      return new Result(ts, false, pos, true, -1, -1);
    }
    boolean guessed = ts == null || ts.isEmpty();
    boolean explicit;
    if (guessed) {
      bigEndian = u16le(pos) != 0x0008 && u16be(pos) == 0x0008;
      explicit = bigEndian || pos + 6 <= n && isVr(pos + 4);
      ts = bigEndian ? EXPLICIT_BE : explicit ? EXPLICIT_LE : IMPLICIT_LE;
    } else {
      bigEndian = EXPLICIT_BE.equals(ts);
      explicit = !IMPLICIT_LE.equals(ts);
    }
    walk(pos, n, explicit, false, 0);
    return new Result(ts, guessed, pos, pixelData, pixelOffset, pixelLength);
  }

  /** Raw data sets without meta information start with a low group (0x0008 in practice), either endian. */
  private boolean startsLikeDataSet() {
    if (n < 8) {
      return false;
    }
    int le = u16le(0);
    int be = u16be(0);
    return (le >= 0x0002 && le <= 0x0010) || (be >= 0x0002 && be <= 0x0010);
  }

  /** Walks group 0002 (always explicit VR little endian); returns the transfer syntax UID or null. */
  private String readMetaTransferSyntax(int pos, int[] endOut) {
    String ts = null;
    while (pos + 8 <= n && u16le(pos) == 0x0002) {
      int element = u16le(pos + 2);
      boolean longForm = isLongVr(pos + 4);
      long len = longForm ? u32le(pos + 8) : u16le(pos + 6);
      int header = longForm ? 12 : 8;
      requireRoom(pos + header, len, "file meta information");
      if (element == 0x0010) {
        ts = ascii(pos + header, (int) len).trim()
            .replace("\0", "");
      }
      pos += header + (int) len;
    }
    endOut[0] = pos;
    return ts;
  }

  /**
   * Walks elements in [pos, end) and returns the position after the last one; with {@code inItem},
   * stops after an item delimiter (undefined-length item).
   */
  private int walk(int pos, int end, boolean explicit, boolean inItem, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidInputException("corrupt DICOM data: sequences nested deeper than " + MAX_DEPTH);
    }
    while (pos < end) {
      requireHeader(pos, 8, end);
      int tag = tag(pos);
      if (tag == ITEM_END && inItem) {
        return pos + 8;
      }
      if ((tag >>> 16) == 0xFFFE) {
        throw new InvalidInputException("corrupt DICOM data: unexpected delimiter at byte " + pos);
      }
      boolean longForm;
      int header;
      long len;
      String vr = null;
      if (explicit && isVr(pos + 4)) {
        vr = ascii(pos + 4, 2);
        longForm = isLongVr(pos + 4);
        if (longForm) {
          requireHeader(pos, 12, end);
        }
        header = longForm ? 12 : 8;
        len = longForm ? u32(pos + 8) : u16(pos + 6);
      } else {
        header = 8;
        len = u32(pos + 4);
      }
      if (depth == 0 && tag == PIXEL_DATA && !pixelData) {
        pixelData = true;
        pixelOffset = pos + header;
        pixelLength = len == UNDEFINED ? -1 : len;
      }
      pos = skipValue(pos + header, end, len, tag, vr, explicit, depth);
    }
    if (inItem) {
      throw new InvalidInputException("truncated DICOM data: an item has no end delimiter");
    }
    return pos;
  }

  private int skipValue(int pos, int end, long len, int tag, String vr, boolean explicit, int depth) {
    if (len == UNDEFINED) {
      // Undefined length: a sequence or encapsulated pixel data; UN content is implicit VR (PS3.5 6.2.2).
      boolean itemsExplicit = explicit && !"UN".equals(vr);
      return walkItems(pos, end, itemsExplicit, depth + 1);
    }
    requireRoom(pos, len, elementName(tag), end);
    int valueEnd = pos + (int) len;
    // implicit VR names no SQ: a value that opens with an item tag is read as a sequence
    if ("SQ".equals(vr) || vr == null && tag != PIXEL_DATA && len >= 8 && tag(pos) == ITEM) {
      walkDefinedSequence(pos, valueEnd, explicit, depth + 1);
    }
    return valueEnd;
  }

  /** Items of an undefined-length sequence or encapsulated pixel data, up to the sequence delimiter. */
  private int walkItems(int pos, int end, boolean explicit, int depth) {
    if (depth > MAX_DEPTH) {
      throw new InvalidInputException("corrupt DICOM data: sequences nested deeper than " + MAX_DEPTH);
    }
    while (true) {
      requireHeader(pos, 8, end);
      int tag = tag(pos);
      long len = u32(pos + 4);
      pos += 8;
      if (tag == SEQUENCE_END) {
        return pos;
      }
      if (tag != ITEM) {
        throw new InvalidInputException("corrupt DICOM data: expected a sequence item at byte " + (pos - 8));
      }
      if (len == UNDEFINED) {
        pos = walk(pos, end, explicit, true, depth);
      } else {
        requireRoom(pos, len, "a sequence item", end);
        pos += (int) len;
      }
    }
  }

  private void walkDefinedSequence(int pos, int end, boolean explicit, int depth) {
    while (pos < end) {
      requireHeader(pos, 8, end);
      int tag = tag(pos);
      long len = u32(pos + 4);
      pos += 8;
      if (tag != ITEM) {
        throw new InvalidInputException("corrupt DICOM data: expected a sequence item at byte " + (pos - 8));
      }
      if (len == UNDEFINED) {
        pos = walk(pos, end, explicit, true, depth);
      } else {
        requireRoom(pos, len, "a sequence item", end);
        walk(pos, pos + (int) len, explicit, false, depth);
        pos += (int) len;
      }
    }
  }

  private void requireHeader(int pos, int size, int end) {
    if (pos + size > end) {
      throw new InvalidInputException("truncated DICOM data: an element header is cut off at byte " + pos);
    }
  }

  private void requireRoom(int pos, long len, String what) {
    requireRoom(pos, len, what, n);
  }

  private void requireRoom(int pos, long len, String what, int end) {
    long left = (long) end - pos;
    if (len > left) {
      throw new InvalidInputException("truncated or corrupt DICOM data: " + what + " declares " + len
          + " bytes but only " + Math.max(0, left) + " remain");
    }
  }

  private static String elementName(int tag) {
    return String.format("element (%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }

  private boolean isVr(int at) {
    return at + 2 <= n && b.get(at) >= 'A' && b.get(at) <= 'Z' && b.get(at + 1) >= 'A' && b.get(at + 1) <= 'Z';
  }

  /** VRs with a 2-byte reserved field and a 4-byte length (PS3.5 Table 7.1-1). */
  private boolean isLongVr(int at) {
    if (!isVr(at)) {
      return false;
    }
    String vr = ascii(at, 2);
    return switch (vr) {
      case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
      default -> false;
    };
  }

  private int tag(int pos) {
    return (u16(pos) << 16) | u16(pos + 2);
  }

  private int u16(int at) {
    return bigEndian ? u16be(at) : u16le(at);
  }

  private long u32(int at) {
    return bigEndian ? u32be(at) : u32le(at);
  }

  private int u16le(int at) {
    return at + 2 > n ? -1 : (b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8;
  }

  private int u16be(int at) {
    return at + 2 > n ? -1 : (b.get(at) & 0xFF) << 8 | (b.get(at + 1) & 0xFF);
  }

  private long u32le(int at) {
    return (u16le(at) & 0xFFFFL) | (u16le(at + 2) & 0xFFFFL) << 16;
  }

  private long u32be(int at) {
    return (u16be(at) & 0xFFFFL) << 16 | (u16be(at + 2) & 0xFFFFL);
  }
}
