package io.spoils.feature.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Hostile DICOM files built byte by byte, as an attacker would: declared sizes that the bytes do not
 * back, deflate bombs, sequences nested 100,000 deep (PixelMed's own writer recurses per level and
 * cannot write those). A builder of one data set in explicit VR, little or big endian; the static
 * methods wrap a data set into a Part 10 file (optionally deflated). Implicit VR data sets are
 * little endian and write no VR. Test-only.
 */
final class HandMadeDicom {
  static final String EXPLICIT_LE = DicomStructureCheck.EXPLICIT_LE;
  static final String EXPLICIT_BE = DicomStructureCheck.EXPLICIT_BE;
  static final String DEFLATED = DicomStructureCheck.DEFLATED_LE;
  static final String IMPLICIT_LE = DicomStructureCheck.IMPLICIT_LE;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteOrder order;
  private final boolean explicit;

  private HandMadeDicom(ByteOrder order, boolean explicit) {
    this.order = order;
    this.explicit = explicit;
  }

  static HandMadeDicom littleEndian() {
    return new HandMadeDicom(ByteOrder.LITTLE_ENDIAN, true);
  }

  static HandMadeDicom bigEndian() {
    return new HandMadeDicom(ByteOrder.BIG_ENDIAN, true);
  }

  static HandMadeDicom implicitLittleEndian() {
    return new HandMadeDicom(ByteOrder.LITTLE_ENDIAN, false);
  }

  /**
   * The image module of a 16-bit MONOCHROME2 MR image of {@code rows} x {@code columns}, then
   * whatever the caller adds, then {@link #pixelData}.
   */
  static HandMadeDicom mrHeader(HandMadeDicom d, int rows, int columns) {
    return mrHeader(d, rows, columns, 16);
  }

  /** As {@link #mrHeader(HandMadeDicom, int, int)} with {@code bits} allocated and stored. */
  static HandMadeDicom mrHeader(HandMadeDicom d, int rows, int columns, int bits) {
    return d.text(0x0008, 0x0060, "CS", "MR")
        .us(0x0028, 0x0002, 1).text(0x0028, 0x0004, "CS", "MONOCHROME2")
        .us(0x0028, 0x0010, rows).us(0x0028, 0x0011, columns)
        .text(0x0028, 0x0030, "DS", "0.5\\0.5")
        .us(0x0028, 0x0100, bits).us(0x0028, 0x0101, bits).us(0x0028, 0x0102, bits - 1)
        .us(0x0028, 0x0103, 0);
  }

  HandMadeDicom us(int group, int element, int value) {
    header(group, element, "US", 2);
    short16(value);
    return this;
  }

  /** A string element, padded to even length with a space. */
  HandMadeDicom text(int group, int element, String vr, String value) {
    byte[] v = (value.length() % 2 == 0 ? value : value + " ").getBytes(StandardCharsets.US_ASCII);
    header(group, element, vr, v.length);
    out.writeBytes(v);
    return this;
  }

  /** Pixel Data (7FE0,0010) as OW holding exactly {@code bytes}. */
  HandMadeDicom pixelData(byte[] bytes) {
    header(0x7FE0, 0x0010, "OW", bytes.length);
    out.writeBytes(bytes);
    return this;
  }

  /**
   * Encapsulated Pixel Data (7FE0,0010): an empty basic offset table, then one item per fragment
   * (each padded to even length), then the sequence delimiter.
   */
  HandMadeDicom encapsulatedPixelData(byte[]... fragments) {
    header(0x7FE0, 0x0010, "OB", -1);
    tag(0xFFFE, 0xE000);
    int32(0);
    for (byte[] f : fragments) {
      tag(0xFFFE, 0xE000);
      int32(f.length + f.length % 2);
      out.writeBytes(f);
      if (f.length % 2 == 1) {
        out.write(0);
      }
    }
    tag(0xFFFE, 0xE0DD);
    int32(0);
    return this;
  }

  /**
   * {@code depth} undefined-length sequences (Content Sequence), each the only element of the one
   * item of the sequence around it.
   */
  HandMadeDicom nestedSequences(int depth) {
    for (int i = 0; i < depth; i++) {
      header(0x0040, 0xA730, "SQ", -1);
      tag(0xFFFE, 0xE000);
      int32(-1);
    }
    for (int i = 0; i < depth; i++) {
      tag(0xFFFE, 0xE00D);
      int32(0);
      tag(0xFFFE, 0xE0DD);
      int32(0);
    }
    return this;
  }

  /**
   * {@code depth} sequences (Content Sequence) of defined length, each the only element of the one
   * item of the sequence around it (in implicit VR nothing says they are sequences but the
   * dictionary).
   */
  HandMadeDicom definedLengthNesting(int depth) {
    int level = (explicit ? 12 : 8) + 8;
    for (int i = 0; i < depth; i++) {
      int sequence = level * (depth - 1 - i) + 8;
      header(0x0040, 0xA730, "SQ", sequence);
      tag(0xFFFE, 0xE000);
      int32(sequence - 8);
    }
    return this;
  }

  /** The data set so far. */
  byte[] dataSet() {
    return out.toByteArray();
  }

  /** A Part 10 file: preamble, "DICM", meta information naming {@code transferSyntax}, data set. */
  static byte[] part10(String transferSyntax, byte[] dataSet) {
    HandMadeDicom meta = littleEndian();
    meta.header(0x0002, 0x0001, "OB", 2);
    meta.out.writeBytes(new byte[] {0, 1});
    meta.text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.4");
    meta.text(0x0002, 0x0003, "UI", "1.2.3.4");
    meta.text(0x0002, 0x0010, "UI", transferSyntax + (transferSyntax.length() % 2 == 0 ? "" : "\0"));
    byte[] elements = meta.dataSet();
    HandMadeDicom file = littleEndian();
    file.out.writeBytes(new byte[128]);
    file.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    file.header(0x0002, 0x0000, "UL", 4);
    file.int32(elements.length);
    file.out.writeBytes(elements);
    file.out.writeBytes(dataSet);
    return file.dataSet();
  }

  /** A Part 10 deflated file whose data set inflates to {@code dataSet} (raw deflate, RFC 1951). */
  static byte[] deflatedPart10(byte[] dataSet) {
    return part10(DEFLATED, deflate(dataSet, new byte[0], 0));
  }

  /**
   * A deflate bomb: {@code header}, then a private OB element of {@code zeros} zero bytes, then
   * {@code tail}, deflated without ever holding the zeros in memory.
   */
  static byte[] deflateBomb(byte[] header, long zeros, byte[] tail) {
    HandMadeDicom blob = littleEndian();
    blob.header(0x0009, 0x1010, "OB", (int) zeros);
    byte[] head = concat(header, blob.dataSet());
    return part10(DEFLATED, deflate(head, tail, zeros));
  }

  /**
   * Raw deflate of {@code head}, {@code zeros} zero bytes and {@code tail}. Each part is a
   * self-contained, byte-aligned run of blocks (a fresh deflater, sync-flushed), so the zeros are
   * one compressed MiB repeated: building a bomb costs what compressing one MiB costs.
   */
  private static byte[] deflate(byte[] head, byte[] tail, long zeros) {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    z.writeBytes(deflated(head, false));
    int mib = 1 << 20;
    byte[] oneMib = zeros >= mib ? deflated(new byte[mib], false) : null;
    for (long left = zeros; left > 0; left -= mib) {
      z.writeBytes(left >= mib ? oneMib : deflated(new byte[(int) left], false));
    }
    z.writeBytes(deflated(tail, true));
    return z.toByteArray();
  }

  private static byte[] deflated(byte[] input, boolean last) {
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    d.setInput(input);
    if (last) {
      d.finish();
    }
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    int n;
    do {
      n = d.deflate(buf, 0, buf.length, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
      z.write(buf, 0, n);
    } while (last ? !d.finished() : n == buf.length || !d.needsInput());
    d.end();
    return z.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** An element header (with its VR when explicit); a length of -1 is undefined (0xFFFFFFFF). */
  private void header(int group, int element, String vr, int length) {
    tag(group, element);
    if (!explicit) {
      int32(length);
      return;
    }
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    boolean longForm = switch (vr) {
      case "OB", "OW", "SQ", "UN", "UT" -> true;
      default -> false;
    };
    if (longForm) {
      short16(0);
      int32(length);
    } else {
      short16(length);
    }
  }

  private void tag(int group, int element) {
    short16(group);
    short16(element);
  }

  private void short16(int v) {
    boolean le = order == ByteOrder.LITTLE_ENDIAN;
    out.write(le ? v : v >>> 8);
    out.write(le ? v >>> 8 : v);
  }

  private void int32(int v) {
    boolean le = order == ByteOrder.LITTLE_ENDIAN;
    short16(le ? v : v >>> 16);
    short16(le ? v >>> 16 : v);
  }
}
