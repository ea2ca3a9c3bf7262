package io.spoils.gateway.server;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.gateway.testing.ExampleBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * DICOM files for the HTTP/gRPC tests, written with PixelMed from the bundled example slice: each
 * carries a recognisable patient name and ID ({@link #PATIENT_NAME}, {@link #PATIENT_ID}) so that
 * tests can assert they never leave the server; plus multipart bodies built by hand.
 */
final class TestDicom {

  static final String PATIENT_NAME = "ZZTESTPATIENT^QUENTIN";
  static final String PATIENT_ID = "PID-86753091";
  /** Strings that must never appear in a response or a log line. */
  static final List<String> PATIENT_DATA = List.of("ZZTESTPATIENT", "QUENTIN", PATIENT_ID);

  private TestDicom() {}

  static byte[] example() throws IOException {
    return Files.readAllBytes(ExampleBackend.EXAMPLE.resolve("slice.dcm"));
  }

  /** The example slice with the test patient in it. */
  static byte[] withPatient() throws IOException {
    return edit(example(), l -> { });
  }

  /** The example slice with the test patient, edited by {@code change}, as a fresh Part 10 file. */
  static byte[] edit(byte[] dicom, Consumer<AttributeList> change) {
    try {
      AttributeList list = new AttributeList();
      list.read(new DicomInputStream(new ByteArrayInputStream(dicom)));
      put(list, TagFromName.PatientName, PATIENT_NAME);
      put(list, TagFromName.PatientID, PATIENT_ID);
      put(list, TagFromName.SOPInstanceUID, DicomWriter.newUid());
      change.accept(list);
      list.removeGroupLengthAttributes();
      list.removeMetaInformationHeaderAttributes();
      FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian,
          "SPOILS");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
      return out.toByteArray();
    } catch (IOException | DicomException e) {
      throw new IllegalStateException("cannot edit the test DICOM", e);
    }
  }

  /** Sets {@code tag} to {@code values} (an attribute of the tag's dictionary VR). */
  static void put(AttributeList list, AttributeTag tag, String... values) {
    try {
      Attribute a = AttributeFactory.newAttribute(tag);
      for (String v : values) {
        a.addValue(v);
      }
      list.put(a);
    } catch (DicomException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CT file: the example slice relabelled (still sagittal). */
  static byte[] ct() throws IOException {
    return edit(example(), l -> {
      put(l, TagFromName.Modality, "CT");
      put(l, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
    });
  }

  /** The example slice as an axial image (row along x, column along y). */
  static byte[] axial() throws IOException {
    return edit(example(), l -> put(l, TagFromName.ImageOrientationPatient,
        "1", "0", "0", "0", "1", "0"));
  }

  /** The example slice with its pixels replaced: all 0, or uniform noise 0-999 ({@code noise}). */
  static byte[] noSpine(boolean noise) throws IOException {
    return edit(example(), l -> {
      int rows = l.get(TagFromName.Rows).getSingleIntegerValueOrDefault(0);
      int cols = l.get(TagFromName.Columns).getSingleIntegerValueOrDefault(0);
      short[] pixels = new short[rows * cols];
      Random random = new Random(7);
      for (int i = 0; i < pixels.length && noise; i++) {
        pixels[i] = (short) random.nextInt(1000);
      }
      try {
        l.get(TagFromName.PixelData).setValues(pixels);
      } catch (DicomException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** {@code count} slices of one sagittal series, 4 mm apart along x, the example's pixels. */
  static List<byte[]> series(int count) throws IOException {
    String series = DicomWriter.newUid();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double x = -4.0 * (count / 2) + 4.0 * i;
      int instance = i + 1;
      out.add(edit(example(), l -> {
        put(l, TagFromName.SeriesInstanceUID, series);
        put(l, TagFromName.InstanceNumber, Integer.toString(instance));
        String[] pos = strings(l, TagFromName.ImagePositionPatient);
        put(l, TagFromName.ImagePositionPatient, Double.toString(x), pos[1], pos[2]);
      }));
    }
    return out;
  }

  private static String[] strings(AttributeList l, AttributeTag tag) {
    try {
      return l.get(tag).getStringValues();
    } catch (DicomException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A multipart/form-data body.
   *
   * @param boundary the boundary (without the leading dashes)
   * @param files the file parts, field name {@code file}, filenames {@code sliceN.dcm}
   * @param fields text fields as name, value pairs
   */
  static byte[] multipart(String boundary, List<byte[]> files, String... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i + 1 < fields.length; i += 2) {
      ascii(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i]
          + "\"\r\n\r\n" + fields[i + 1] + "\r\n");
    }
    for (int i = 0; i < files.size(); i++) {
      ascii(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
          + "filename=\"slice" + i + ".dcm\"\r\nContent-Type: application/dicom\r\n\r\n");
      out.writeBytes(files.get(i));
      ascii(out, "\r\n");
    }
    ascii(out, "--" + boundary + "--\r\n");
    return out.toByteArray();
  }

  private static void ascii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** A path-safe check that {@code text} holds none of {@link #PATIENT_DATA}. */
  static String patientDataIn(String text) {
    for (String p : PATIENT_DATA) {
      if (text.contains(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The non-blank PatientName and PatientID values of a DICOM file (name components split at
   * {@code ^}, so that no part of the name may appear), read with PixelMed as far as it can read.
   */
  static List<String> patientOf(byte[] dicom) {
    AttributeList list = new AttributeList();
    try {
      list.read(new DicomInputStream(new ByteArrayInputStream(dicom)));
    } catch (IOException | DicomException | RuntimeException e) {
      // a truncated file still yields the attributes read before the cut
    }
    List<String> out = new ArrayList<>();
    for (AttributeTag tag : List.of(TagFromName.PatientName, TagFromName.PatientID)) {
      String v = Attribute.getSingleStringValueOrEmptyString(list, tag);
      for (String part : v.split("\\^")) {
        if (part.trim().length() >= 3) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  static Path pydicomCorpus() {
    String dir = System.getProperty("spoils.data.pydicom");
    return dir == null ? null : Path.of(dir);
  }
}
