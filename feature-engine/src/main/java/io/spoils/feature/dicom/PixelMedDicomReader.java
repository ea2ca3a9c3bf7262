package io.spoils.feature.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link DicomReader} on PixelMed. Reading happens in three guarded steps: {@link
 * DicomStructureCheck} validates every declared length against the bytes present; PixelMed then
 * reads the header (stopping before Pixel Data) so colour and unsupported layouts are refused before
 * any decoding; finally PixelMed reads and decompresses the pixel data. PixelMed decodes
 * uncompressed (implicit/explicit little endian, explicit big endian), deflated, RLE and JPEG
 * lossless; it has no JPEG-LS or JPEG 2000 codec here, so those give an {@link
 * InvalidInputException} naming the transfer syntax.
 *
 * <p>Multi-frame files: only frame 0 is returned ({@link DicomSlice#numberOfFrames()} says how many
 * there are); for enhanced MR, geometry and TE/TR come from the shared functional groups or, failing
 * that, frame 0's per-frame functional groups. Vendor-private scaling (e.g. Philips scale slope) is
 * not applied.
 */
final class PixelMedDicomReader implements DicomReader {
  /**
   * PixelMed logs and swallows parse errors, sometimes quoting attribute values; its messages could
   * carry patient data, so its loggers are silenced (errors reach callers as exceptions instead).
   * The strong reference keeps java.util.logging from dropping the setting.
   */
  private static final Logger PIXELMED_LOG = Logger.getLogger("com.pixelmed");

  static {
    PIXELMED_LOG.setLevel(Level.OFF);
  }

  @Override
  public DicomSlice read(byte[] bytes) {
    return read(ByteBuffer.wrap(bytes));
  }

  @Override
  public DicomSlice read(ByteBuffer bytes) {
    DicomStructureCheck.Result structure = DicomStructureCheck.check(bytes);
    if (!structure.hasPixelData()) {
      throw new InvalidInputException("no pixel data: the file is not an image (e.g. a report, "
          + "plan or structure set)");
    }
    String tsUid = structure.transferSyntaxUid();
    String tsName = TransferSyntaxNames.name(tsUid);
    AttributeList header = parse(bytes, structure, false, "");
    ImageHeader image = ImageHeader.from(header);
    float[] pixels = nativeFrameZero(bytes, structure, image);
    if (pixels == null) {
      AttributeList full = parse(bytes, structure, true, tsName + " (" + tsUid + ")");
      pixels = frameZero(full, image);
    }
    GreyImage grey = new GreyImage(image.columns(), image.rows(), pixels, image.spacing());
    return new DicomSlice(grey, str(header, TagFromName.Modality), Orientation.classify(image.iop()),
        image.iop(), image.ipp(), str(header, TagFromName.SeriesInstanceUID),
        integer(header, TagFromName.SeriesNumber), integer(header, TagFromName.InstanceNumber),
        decimal(header, TagFromName.SliceThickness), decimal(header, TagFromName.SpacingBetweenSlices),
        image.echoTimeMs(), image.repetitionTimeMs(), tsUid, tsName, image.rows(), image.columns(),
        image.layout().bitsStored(), image.photometric(), image.frames());
  }

  /**
   * Parses with PixelMed; {@code withPixels} false stops before Pixel Data. Anything PixelMed throws
   * becomes an {@link InvalidInputException}; {@code codec} names the transfer syntax for decode errors.
   */
  private static AttributeList parse(ByteBuffer bytes, DicomStructureCheck.Result structure,
      boolean withPixels, String codec) {
    AttributeList list = new AttributeList();
    list.setDecompressPixelData(withPixels);
    try (DicomInputStream in = open(bytes, structure)) {
      if (withPixels) {
        list.read(in);
      } else {
        list.read(in, (l, tag, offset) -> tag.equals(TagFromName.PixelData));
      }
      return list;
    } catch (OutOfMemoryError e) {
      // The structure check bounds every length by the input size; an OOM here comes from a
      // length PixelMed derives itself (e.g. a decoded size), i.e. from corrupt input.
      throw new InvalidInputException("corrupt DICOM data: a declared size is too large to read");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw translate(e, withPixels, codec);
    }
  }

  /**
   * Without a transfer syntax in the meta information PixelMed guesses it and prints a line on
   * stderr; the data set is handed over with the structure check's guess instead.
   */
  private static DicomInputStream open(ByteBuffer bytes, DicomStructureCheck.Result structure)
      throws java.io.IOException {
    ByteBuffer view = bytes.slice();
    if (!structure.guessed()) {
      return new DicomInputStream(new BufferInput(view));
    }
    view.position(structure.dataSetOffset());
    return new DicomInputStream(new BufferInput(view.slice()), structure.transferSyntaxUid(),
        false);
  }

  /** Reads a buffer (a private view: the caller's buffer is not moved) without copying it. */
  private static final class BufferInput extends java.io.InputStream {
    private final ByteBuffer buffer;

    BufferInput(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] out, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, out.length);
      if (len == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(out, off, n);
      return n;
    }

    @Override
    public long skip(long n) {
      int k = (int) Math.max(0, Math.min(n, buffer.remaining()));
      buffer.position(buffer.position() + k);
      return k;
    }

    @Override
    public int available() {
      return buffer.remaining();
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
      buffer.mark();
    }

    @Override
    public synchronized void reset() {
      buffer.reset();
    }
  }

  private static InvalidInputException translate(Throwable e, boolean withPixels, String codec) {
    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (withPixels && (msg.contains("no reader") || msg.contains("not support")
        || msg.contains("decompress"))) {
      return new InvalidInputException("pixel data compressed with transfer syntax " + codec
          + " cannot be decoded (no codec available)", e);
    }
    if (e instanceof java.io.IOException && msg.contains("not a dicom file")) {
      return new InvalidInputException("not a DICOM file", e);
    }
    return new InvalidInputException("malformed DICOM data (" + e.getClass().getSimpleName() + ")", e);
  }

  /**
   * Frame 0's values read straight from the input when the pixel data is native little endian (the
   * common case), which saves PixelMed's second parse of the whole file and its sample-by-sample
   * reads; null for any other encoding (big endian, deflated, encapsulated), which
   * {@link #frameZero} decodes. The same samples and lookup table as {@link #frameZero}.
   */
  private static float[] nativeFrameZero(ByteBuffer bytes, DicomStructureCheck.Result structure,
      ImageHeader image) {
    String ts = structure.transferSyntaxUid();
    int bits = image.layout().bitsAllocated();
    boolean littleEndian = DicomStructureCheck.EXPLICIT_LE.equals(ts)
        || DicomStructureCheck.IMPLICIT_LE.equals(ts);
    if (!littleEndian || structure.pixelDataOffset() < 0 || (bits != 8 && bits != 16)) {
      return null;
    }
    int count = image.rows() * image.columns();
    int size = bits / 8;
    requireLength((int) Math.min(Integer.MAX_VALUE, structure.pixelDataLength() / size), count);
    float[] table = PixelValues.table(image.layout());
    ByteBuffer in = bytes.slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int at = structure.pixelDataOffset();
    float[] out = new float[count];
    if (size == 2) {
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
   * Frame 0 as PixelMed decodes it, whatever the encoding: the reference the in-place path is
   * tested against.
   */
  static float[] pixelMedFrameZero(ByteBuffer bytes) {
    DicomStructureCheck.Result structure = DicomStructureCheck.check(bytes);
    ImageHeader image = ImageHeader.from(parse(bytes, structure, false, ""));
    return frameZero(parse(bytes, structure, true, structure.transferSyntaxUid()), image);
  }

  /** Frame 0's values ({@link PixelValues}), looked up per allocated-width sample. */
  private static float[] frameZero(AttributeList list, ImageHeader image) {
    Attribute pd = list.getPixelData();
    int count = image.rows() * image.columns();
    if (pd == null) {
      throw new InvalidInputException("no pixel data could be read (truncated or corrupt file)");
    }
    try {
      float[] table = PixelValues.table(image.layout());
      float[] out = new float[count];
      if (image.layout().bitsAllocated() == 16) {
        short[] s = pd instanceof OtherWordAttribute ? pd.getShortValues() : shortsFromBytes(pd);
        requireLength(s == null ? 0 : s.length, count);
        for (int i = 0; i < count; i++) {
          out[i] = table[s[i] & 0xFFFF];
        }
      } else {
        byte[] b = pd.getByteValues();
        requireLength(b == null ? 0 : b.length, count);
        for (int i = 0; i < count; i++) {
          out[i] = table[b[i] & 0xFF];
        }
      }
      return out;
    } catch (com.pixelmed.dicom.DicomException e) {
      throw new InvalidInputException("pixel data cannot be read (" + e.getClass().getSimpleName() + ")",
          e);
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

  static String str(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }

  static Integer integer(AttributeList list, AttributeTag tag) {
    String s = str(list, tag);
    try {
      return s.isEmpty() ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Double decimal(AttributeList list, AttributeTag tag) {
    String s = str(list, tag);
    try {
      double d = Double.parseDouble(s);
      return s.isEmpty() || !Double.isFinite(d) ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
