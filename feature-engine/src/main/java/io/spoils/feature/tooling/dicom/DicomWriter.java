package io.spoils.feature.tooling.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomUids;
import io.spoils.feature.image.GreyImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a {@link GreyImage} as a DICOM Part 10 MR Image Storage file: explicit VR little endian,
 * 16-bit unsigned, one frame, fresh SOP instance and study UIDs, empty patient module. Used to build
 * synthetic series for tests, the evaluation tooling and the bundled example (tooling: not in the
 * runtime jar).
 *
 * <p>Stored values are {@code round((value - intercept) / slope)}, and for MONOCHROME1 mirrored
 * ({@code 65535 - stored}), so that {@link DicomReader} gives back the same image either way.
 */
public final class DicomWriter {
  private DicomWriter() {}

  /** A fresh DICOM UID (e.g. for a series instance UID shared by the slices of one series). */
  public static String newUid() {
    return DicomUids.newUid();
  }

  /**
   * Encodes one slice.
   *
   * @param image pixel values in output units; after {@code (v - intercept) / slope} each must round
   *     to 0..65535; spacing is written as PixelSpacing (row, column) in mm
   * @param params series, geometry and acquisition attributes
   * @return the complete Part 10 file
   * @throws IllegalArgumentException when a value does not fit 16 unsigned bits
   */
  public static byte[] writeMr(GreyImage image, MrParams params) {
    try {
      return encode(attributes(image, params));
    } catch (DicomException e) {
      throw new IllegalStateException("cannot encode DICOM", e);
    }
  }

  /** {@code list} as a Part 10 file, explicit VR little endian. */
  static byte[] encode(AttributeList list) {
    try {
      FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SPOILS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
      return out.toByteArray();
    } catch (DicomException | IOException e) {
      throw new IllegalStateException("cannot encode DICOM", e);
    }
  }

  /** Encodes one slice into {@code file} (see {@link #writeMr(GreyImage, MrParams)}). */
  public static void writeMr(GreyImage image, MrParams params, Path file) {
    try {
      Files.write(file, writeMr(image, params));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AttributeList attributes(GreyImage image, MrParams p) throws DicomException {
    AttributeList l = identity(p, SOPClass.MRImageStorage, "DERIVED", "SECONDARY");
    decimals(l, TagFromName.PixelSpacing, image.spacing().rowMm(), image.spacing().colMm());
    decimals(l, TagFromName.ImageOrientationPatient, p.imageOrientationPatient());
    decimals(l, TagFromName.ImagePositionPatient, p.imagePositionPatient());
    decimal(l, TagFromName.SliceThickness, p.sliceThicknessMm());
    decimal(l, TagFromName.EchoTime, p.echoTimeMs());
    decimal(l, TagFromName.RepetitionTime, p.repetitionTimeMs());
    if (p.rescaleSlope() != 1.0 || p.rescaleIntercept() != 0.0) {
      decimal(l, TagFromName.RescaleSlope, p.rescaleSlope());
      decimal(l, TagFromName.RescaleIntercept, p.rescaleIntercept());
    }
    pixelModule(l, image, p, stored(image, p));
    return l;
  }

  /**
   * The identifying attributes of an MR object of {@code sopClass}: fresh SOP instance UID, the
   * study (fresh when {@code p} has none), series and frame of reference UIDs, modality, image
   * type, empty patient module, series and instance numbers.
   */
  static AttributeList identity(MrParams p, String sopClass, String... imageType)
      throws DicomException {
    AttributeList l = new AttributeList();
    uid(l, TagFromName.SOPClassUID, sopClass);
    uid(l, TagFromName.SOPInstanceUID, newUid());
    uid(l, TagFromName.StudyInstanceUID, p.studyInstanceUid() == null ? newUid() : p.studyInstanceUid());
    uid(l, TagFromName.SeriesInstanceUID, p.seriesInstanceUid());
    uid(l, TagFromName.FrameOfReferenceUID, p.studyInstanceUid() == null ? newUid() : p.studyInstanceUid());
    add(l, new CodeStringAttribute(TagFromName.Modality), "MR");
    add(l, new CodeStringAttribute(TagFromName.ImageType), imageType);
    l.put(new PersonNameAttribute(TagFromName.PatientName));
    l.put(new LongStringAttribute(TagFromName.PatientID));
    add(l, new IntegerStringAttribute(TagFromName.SeriesNumber), String.valueOf(p.seriesNumber()));
    add(l, new IntegerStringAttribute(TagFromName.InstanceNumber), String.valueOf(p.instanceNumber()));
    return l;
  }

  /**
   * The image pixel module of 16-bit unsigned {@code values} ({@link #stored}; for a multi-frame
   * object, every frame's one after the other) of {@code image}'s size.
   */
  static void pixelModule(AttributeList l, GreyImage image, MrParams p, short[] values)
      throws DicomException {
    ushort(l, TagFromName.Rows, image.height());
    ushort(l, TagFromName.Columns, image.width());
    ushort(l, TagFromName.SamplesPerPixel, 1);
    add(l, new CodeStringAttribute(TagFromName.PhotometricInterpretation),
        p.monochrome1() ? "MONOCHROME1" : "MONOCHROME2");
    ushort(l, TagFromName.BitsAllocated, 16);
    ushort(l, TagFromName.BitsStored, 16);
    ushort(l, TagFromName.HighBit, 15);
    ushort(l, TagFromName.PixelRepresentation, 0);
    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
    pixels.setValues(values);
    l.put(pixels);
  }

  static short[] stored(GreyImage image, MrParams p) {
    float[] v = image.pixels();
    short[] out = new short[v.length];
    for (int i = 0; i < v.length; i++) {
      long s = Math.round((v[i] - p.rescaleIntercept()) / p.rescaleSlope());
      if (s < 0 || s > 65535) {
        throw new IllegalArgumentException("pixel value " + v[i] + " does not fit 16 unsigned bits "
            + "with the given rescale");
      }
      out[i] = (short) (p.monochrome1() ? 65535 - s : s);
    }
    return out;
  }

  static void uid(AttributeList l, AttributeTag tag, String value) throws DicomException {
    add(l, new UniqueIdentifierAttribute(tag), value);
  }

  static void ushort(AttributeList l, AttributeTag tag, int value) throws DicomException {
    Attribute a = new UnsignedShortAttribute(tag);
    a.addValue(value);
    l.put(a);
  }

  static void decimals(AttributeList l, AttributeTag tag, double... values) throws DicomException {
    if (values == null) {
      return;
    }
    Attribute a = new DecimalStringAttribute(tag);
    for (double v : values) {
      a.addValue(v);
    }
    l.put(a);
  }

  static void decimal(AttributeList l, AttributeTag tag, Double value) throws DicomException {
    if (value != null) {
      decimals(l, tag, new double[] {value});
    }
  }

  static void add(AttributeList l, Attribute a, String... values) throws DicomException {
    for (String v : values) {
      a.addValue(v);
    }
    l.put(a);
  }
}
