package io.spoils.feature.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link DicomReader} on PixelMed. Reading happens in guarded steps, each after the budget's stop
 * check: {@link DicomStructureCheck} validates every declared length against the bytes present and
 * bounds sequence nesting; a deflated data set is inflated within the study's budget
 * ({@link DeflatedDataSet}) and its inflated bytes checked the same way, so PixelMed never inflates
 * anything; PixelMed then reads the header (stopping before Pixel Data) so colour and unsupported
 * layouts are refused before any decoding; native pixel data must hold every declared frame, and
 * JPEG frame headers must fit Rows and Columns ({@link JpegFrameCheck}: codecs size their buffers
 * from them); the pixels to decode are claimed from the study's {@link DecodeBudget}, before
 * anything of that size is allocated; finally the frame is read in place (native little endian) or
 * PixelMed reads and decompresses the pixel data. PixelMed decodes uncompressed (implicit/explicit little endian,
 * explicit big endian), RLE and JPEG lossless; it has no JPEG-LS or JPEG 2000 codec here, so those
 * give an {@link InvalidInputException} naming the transfer syntax.
 *
 * <p>Multi-frame files: {@link #read} returns frame 0 ({@link DicomSlice#numberOfFrames()} says how
 * many there are); {@link #readFrameAttributes} and {@link #readFrames} give every frame as a slice
 * of its own, as {@link StudyReader} reads an enhanced MR series sent in one file. For enhanced MR,
 * geometry and TE/TR come from the shared functional groups or, failing that, the frame's
 * per-frame functional groups. Vendor-private scaling (e.g. Philips scale slope) is not applied.
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
  public DicomSlice read(ByteBuffer bytes, DecodeBudget budget) {
    return readFrames(bytes, budget, new int[] {0}).get(0);
  }

  @Override
  public int numberOfFrames(ByteBuffer bytes) {
    return prepare(bytes, DecodeBudget.of(DecodeLimits.defaults())).image().frames();
  }

  /**
   * One slice per frame of the file, attributes only, for choosing the series
   * ({@link StudyReader}): the same checks as {@link #read} up to the declared pixel length, then
   * slices whose image is a 1 x 1 stand-in (so their {@code rows()} and {@code columns()} are 1).
   * Claims inflated bytes, never pixels; such slices never leave this package. A single-frame file
   * gives one; a multi-frame file (an enhanced MR object, a stack of slices in one file) gives one
   * per frame, each with its frame's position and orientation from the per-frame functional
   * groups.
   *
   * @throws InvalidInputException when a multi-frame file does not give every frame a position of
   *     its own (its frames could not be placed as slices of a series)
   */
  List<DicomSlice> readFrameAttributes(ByteBuffer bytes, DecodeBudget budget) {
    Prepared p = prepare(bytes, budget);
    if (p.structure().pixelDataLength() < 0) {
      Codecs.requireDecodable(p.tsUid(), p.tsName());
    }
    int frames = p.image().frames();
    if (frames > 1) {
      FramePixels.requireFramePositions(p.header(), frames);
    }
    List<DicomSlice> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      ImageHeader frame = frameHeader(p, f);
      out.add(slice(p, frame, new GreyImage(1, 1, new float[1], frame.spacing()), f));
    }
    return out;
  }

  /**
   * The given frames of the file, decoded, in the order asked: the pixels of those frames are
   * claimed from the budget (all of the file's frames when the pixel data is compressed or not
   * read in place, since PixelMed then decodes them all, once).
   *
   * @param frames 0-based frame indices, each less than the file's Number of Frames
   */
  List<DicomSlice> readFrames(ByteBuffer bytes, DecodeBudget budget, int[] frames) {
    Prepared p = prepare(bytes, budget);
    ImageHeader image = p.image();
    for (int f : frames) {
      if (f < 0 || f >= image.frames()) {
        throw new IllegalArgumentException("frame " + f + " of " + image.frames());
      }
    }
    if (p.structure().pixelDataLength() < 0) {
      JpegFrameCheck.check(p.data(), p.structure().pixelDataOffset(), image);
    }
    boolean inPlace = FramePixels.readsInPlace(p.structure(), image);
    long perFrame = (long) image.rows() * image.columns();
    budget.claimPixels(inPlace ? perFrame * frames.length : perFrame * image.frames(),
        inPlace ? "Rows x Columns" : "Rows x Columns x Number of Frames");
    budget.checkStop();
    List<float[]> decoded = inPlace ? null : FramePixels.frames(
        parse(p.data(), p.structure(), true, p.tsName() + " (" + p.tsUid() + ")"), image, frames);
    List<DicomSlice> out = new ArrayList<>(frames.length);
    for (int k = 0; k < frames.length; k++) {
      int f = frames[k];
      float[] pixels = inPlace ? FramePixels.nativeFrame(p.data(), p.structure(), image, f)
          : decoded.get(k);
      ImageHeader geometry = frameHeader(p, f);
      out.add(slice(p, geometry, new GreyImage(image.columns(), image.rows(), pixels,
          geometry.spacing()), f));
    }
    return out;
  }

  /** Frame {@code f}'s header: the file's own for frame 0, that frame's geometry otherwise. */
  private static ImageHeader frameHeader(Prepared p, int f) {
    return f == 0 ? p.image() : ImageHeader.from(p.header(), f);
  }

  /** The checks every read starts with, up to the header (before Pixel Data). */
  private static Prepared prepare(ByteBuffer bytes, DecodeBudget budget) {
    budget.checkStop();
    DicomStructureCheck.Result file = DicomStructureCheck.check(bytes);
    String tsUid = file.transferSyntaxUid();
    String tsName = TransferSyntaxNames.name(tsUid);
    ByteBuffer data = bytes;
    DicomStructureCheck.Result structure = file;
    if (DicomStructureCheck.DEFLATED_LE.equals(tsUid)) {
      data = DeflatedDataSet.inflate(bytes, file.dataSetOffset(), budget);
      budget.checkStop();
      structure = DicomStructureCheck.checkInflated(data);
    }
    if (!structure.hasPixelData()) {
      throw new InvalidInputException("no pixel data: the file is not an image (e.g. a report, "
          + "plan or structure set)");
    }
    AttributeList header = parse(data, structure, false, "");
    ImageHeader image = ImageHeader.from(header);
    requireDeclaredLength(structure, image);
    return new Prepared(data, structure, header, image, tsUid, tsName);
  }

  /** A file's checked bytes and header. */
  private record Prepared(ByteBuffer data, DicomStructureCheck.Result structure,
      AttributeList header, ImageHeader image, String tsUid, String tsName) { }

  private static DicomSlice slice(Prepared p, ImageHeader image, GreyImage grey, int frame) {
    AttributeList header = p.header();
    return new DicomSlice(grey, str(header, TagFromName.Modality), Orientation.classify(image.iop()),
        image.iop(), image.ipp(), str(header, TagFromName.SeriesInstanceUID),
        integer(header, TagFromName.SeriesNumber), integer(header, TagFromName.InstanceNumber),
        measure(header, TagFromName.SliceThickness, frame),
        measure(header, TagFromName.SpacingBetweenSlices, frame),
        image.echoTimeMs(), image.repetitionTimeMs(), p.tsUid(), p.tsName(), grey.height(),
        grey.width(), image.layout().bitsStored(), image.photometric(), image.frames(), frame,
        str(header, TagFromName.StudyInstanceUID), str(header, TagFromName.SOPInstanceUID));
  }

  /**
   * Native pixel data (a defined length) must hold every frame the header declares: Rows x Columns
   * x Number of Frames x Bits Allocated / 8 bytes (one sample per pixel: {@link ImageHeader} refuses
   * colour). Checked before anything of that size is allocated.
   */
  private static void requireDeclaredLength(DicomStructureCheck.Result structure,
      ImageHeader image) {
    if (structure.pixelDataLength() < 0) {
      return;
    }
    long need = (long) image.rows() * image.columns() * image.frames()
        * (image.layout().bitsAllocated() / 8);
    if (structure.pixelDataLength() < need) {
      throw new InvalidInputException("pixel data holds " + structure.pixelDataLength()
          + " bytes, fewer than the " + need + " that Rows " + image.rows() + " x Columns "
          + image.columns() + " x " + image.frames() + " frame(s) x "
          + image.layout().bitsAllocated() / 8 + " byte(s) per sample need (truncated or corrupt "
          + "file)");
    }
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
      // Lengths are bounded by the input and pixel counts by the budget before PixelMed runs; an
      // OOM here comes from a size a codec derives itself, i.e. from corrupt input.
      throw new InvalidInputException("corrupt DICOM data: a declared size is too large to read");
    } catch (StackOverflowError e) {
      throw new InvalidInputException("corrupt DICOM data: structures nested too deeply to read");
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw translate(e, withPixels, codec);
    }
  }

  /**
   * PixelMed gets the data set alone, from the offset the structure check found, with the transfer
   * syntax it found (from the meta information, guessed, or explicit VR little endian for an
   * inflated data set): PixelMed never reads the meta information itself. It would trust the meta
   * group length, which the structure check does not (a file whose group length was 16384 instead
   * of 94 cost PixelMed seconds of CPU and a gigabyte of garbage), and without a transfer syntax it
   * guesses one and prints a line on stderr.
   */
  private static DicomInputStream open(ByteBuffer bytes, DicomStructureCheck.Result structure)
      throws java.io.IOException {
    ByteBuffer view = bytes.slice();
    view.position(structure.dataSetOffset());
    return new DicomInputStream(new BufferInputStream(view.slice()),
        structure.transferSyntaxUid(), false);
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
    return new InvalidInputException("malformed DICOM data (" + problem(e, withPixels) + ")", e);
  }

  /** What kind of fault PixelMed met, in words (never a class name: messages reach callers). */
  private static String problem(Throwable e, boolean withPixels) {
    if (e instanceof java.io.EOFException) {
      return "the data ends inside an element";
    }
    if (e instanceof NumberFormatException) {
      return "a numeric element holds text that is not a number";
    }
    if (e instanceof com.pixelmed.dicom.DicomException) {
      return "an element's value representation or value is invalid";
    }
    if (e instanceof java.io.IOException) {
      return withPixels ? "the pixel data cannot be read" : "the element structure cannot be read";
    }
    return withPixels ? "the pixel data is inconsistent with the image attributes"
        : "element values are inconsistent";
  }

  /**
   * Frame 0 as PixelMed decodes it, whatever the encoding: the reference the in-place path is
   * tested against.
   */
  static float[] pixelMedFrameZero(ByteBuffer bytes) {
    DicomStructureCheck.Result structure = DicomStructureCheck.check(bytes);
    ImageHeader image = ImageHeader.from(parse(bytes, structure, false, ""));
    return FramePixels.frames(parse(bytes, structure, true, structure.transferSyntaxUid()), image,
        new int[] {0}).get(0);
  }

  /**
   * A Pixel Measures value ({@code tag}: Slice Thickness, Spacing Between Slices): top-level, else
   * from an enhanced object's Pixel Measures functional group of {@code frame}.
   */
  private static Double measure(AttributeList header, AttributeTag tag, int frame) {
    Double v = decimal(header, tag);
    return v != null ? v
        : ImageHeader.groupDecimal(header, TagFromName.PixelMeasuresSequence, tag, frame);
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
