package io.spoils.feature.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReaderTest {
  private final DicomReader reader = DicomReader.create();
  private final String uid = DicomWriter.newUid();

  @Test
  void looksLikeDicom_part10MetaOrDataSet_yesOtherFiles_noAndTheReaderRefusesThem() {
    byte[] file = DicomWriter.writeMr(Synthetic.ramp(6, 5, new PixelSpacing(0.5, 0.5), 3),
        MrParams.of(uid));
    byte[] meta = java.util.Arrays.copyOfRange(file, 132, file.length);
    assertTrue(DicomReader.looksLikeDicom(head(file)), "preamble and DICM");
    assertTrue(DicomReader.looksLikeDicom(head(meta)), "file meta information from byte 0");
    byte[] implicitDataSet = {0x08, 0x00, 0x05, 0x00, 10, 0, 0, 0, 'I', 'S', 'O', '_', 'I', 'R',
        ' ', '1', '0', '0'};
    assertTrue(DicomReader.looksLikeDicom(head(implicitDataSet)), "a data set alone");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    byte[] exe = new byte[200];
    exe[0] = 'M';
    exe[1] = 'Z';
    for (byte[] other : new byte[][] {"# README\nimages in DICOM/\n".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII), png, exe, new byte[140], new byte[0]}) {
      assertFalse(DicomReader.looksLikeDicom(head(other)), new String(other,
          java.nio.charset.StandardCharsets.ISO_8859_1));
      io.spoils.feature.InvalidInputException e = assertThrows(
          io.spoils.feature.InvalidInputException.class, () -> reader.read(other));
      assertTrue(e.getMessage().contains("DICOM"), e.getMessage());
    }
  }

  private static java.nio.ByteBuffer head(byte[] file) {
    return java.nio.ByteBuffer.wrap(file, 0, Math.min(file.length, DicomReader.SNIFF_BYTES))
        .slice();
  }

  @Test
  void read_nonSquareSpacingRoundTrip() {
    GreyImage img = Synthetic.ramp(7, 5, new PixelSpacing(0.8, 0.4), 42);
    DicomSlice s = reader.read(DicomWriter.writeMr(img, MrParams.of(uid).withSeries(7).withInstance(3)));
    assertEquals(0.8, s.spacing().rowMm(), 1e-9);
    assertEquals(0.4, s.spacing().colMm(), 1e-9);
    assertEquals(5, s.rows());
    assertEquals(7, s.columns());
    assertArrayEquals(img.pixels(), s.image().pixels());
    assertEquals("MR", s.modality());
    assertEquals(Orientation.SAGITTAL, s.orientation());
    assertEquals(7, s.seriesNumber());
    assertEquals(3, s.instanceNumber());
    assertEquals(100.0, s.echoTimeMs(), 1e-9);
    assertEquals(3000.0, s.repetitionTimeMs(), 1e-9);
    assertEquals(4.0, s.sliceThicknessMm(), 1e-9);
    assertNull(s.spacingBetweenSlicesMm());
    assertEquals("1.2.840.10008.1.2.1", s.transferSyntaxUid());
    assertEquals("Explicit VR Little Endian", s.transferSyntaxName());
    assertEquals("MONOCHROME2", s.photometricInterpretation());
    assertEquals(16, s.bitsStored());
    assertEquals(1, s.numberOfFrames());
    assertEquals(uid, s.seriesInstanceUid());
  }

  @Test
  void read_readOnlyBufferView_sameSliceAndBufferUntouched() {
    GreyImage img = Synthetic.ramp(9, 6, new PixelSpacing(0.5, 0.7), 11);
    byte[] file = DicomWriter.writeMr(img, MrParams.of(uid).withSeries(2).withInstance(1));
    // the file inside a larger array, seen read-only from position 5 (as a protobuf view would be)
    byte[] padded = new byte[file.length + 9];
    System.arraycopy(file, 0, padded, 5, file.length);
    java.nio.ByteBuffer view = java.nio.ByteBuffer.wrap(padded, 5, file.length).asReadOnlyBuffer();
    DicomSlice s = reader.read(view);
    assertArrayEquals(img.pixels(), s.image().pixels());
    assertEquals(reader.read(file).seriesInstanceUid(), s.seriesInstanceUid());
    assertEquals(5, view.position());
    assertEquals(5 + file.length, view.limit());
  }

  @Test
  void read_monochrome1InvertedToHigherIsBrighter() {
    GreyImage img = Synthetic.ramp(4, 4, new PixelSpacing(1, 1), 9);
    byte[] file = DicomWriter.writeMr(img, MrParams.of(uid).withMonochrome1(true));
    short[] stored = storedPixels(file);
    // The file holds the mirrored values; the reader must undo the mirror.
    assertEquals(65535 - 9, stored[0] & 0xFFFF);
    DicomSlice s = reader.read(file);
    assertEquals("MONOCHROME1", s.photometricInterpretation());
    assertArrayEquals(img.pixels(), s.image().pixels());
  }

  @Test
  void read_rescaleSlopeInterceptApplied() {
    float[] px = {-1000, -500, 0, 2.5f, 1000, 31767};
    GreyImage img = new GreyImage(3, 2, px, new PixelSpacing(1, 1));
    byte[] file = DicomWriter.writeMr(img, MrParams.of(uid).withRescale(0.5, -1000));
    assertEquals(0, storedPixels(file)[0]);
    assertEquals(2005, storedPixels(file)[3]);
    assertArrayEquals(px, reader.read(file).image().pixels());
  }

  @Test
  void read_imagerPixelSpacingFallback() {
    byte[] file = edit(write(), l -> {
      l.remove(TagFromName.PixelSpacing);
      l.put(decimals(TagFromName.ImagerPixelSpacing, 0.3, 0.6));
    });
    DicomSlice s = reader.read(file);
    assertEquals(0.3, s.spacing().rowMm(), 1e-9);
    assertEquals(0.6, s.spacing().colMm(), 1e-9);
  }

  @Test
  void read_pixelSpacingPreferredOverImager() {
    byte[] file = edit(write(), l -> l.put(decimals(TagFromName.ImagerPixelSpacing, 0.3, 0.6)));
    assertEquals(0.5, reader.read(file).spacing().colMm(), 1e-9);
  }

  @Test
  void read_noSpacing() {
    byte[] file = edit(write(), l -> l.remove(TagFromName.PixelSpacing));
    assertReason(file, "no PixelSpacing or ImagerPixelSpacing");
  }

  @Test
  void read_noOrientationIsUnknown() {
    DicomSlice s = reader.read(DicomWriter.writeMr(Synthetic.ramp(4, 4, new PixelSpacing(1, 1), 1),
        MrParams.of(uid).withGeometry(null, null)));
    assertEquals(Orientation.UNKNOWN, s.orientation());
    assertNull(s.imageOrientationPatient());
    assertNull(s.imagePositionPatient());
  }

  @Test
  void read_emptyInput() {
    assertReason(new byte[0], "empty input");
  }

  @Test
  void read_nonDicomBytes() {
    assertReason("hello, this is not a DICOM file at all".getBytes(StandardCharsets.US_ASCII),
        "not a DICOM file");
    byte[] zeros = new byte[4096];
    assertReason(zeros, "not a DICOM file");
  }

  @Test
  void read_truncatedAnywhere() {
    byte[] file = write();
    for (int cut : new int[] {100, 140, 200, file.length / 2, file.length - 1}) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> reader.read(Arrays.copyOf(file, cut)), "cut at " + cut);
      assertFalse(e.getMessage().isBlank());
    }
    assertReason(Arrays.copyOf(file, file.length - 1), "truncated");
  }

  @Test
  void read_noPixelData() {
    assertReason(edit(write(), l -> l.remove(TagFromName.PixelData)), "no pixel data");
  }

  @Test
  void read_bogusLengthRejectedWithoutAllocating() {
    byte[] file = write();
    byte[] bogus = Arrays.copyOf(file, file.length);
    int at = indexOfPixelDataTag(bogus);
    // Explicit VR OW: tag(4) VR(2) reserved(2) length(4); declare ~2 GiB.
    bogus[at + 8] = (byte) 0xF0;
    bogus[at + 9] = (byte) 0xFF;
    bogus[at + 10] = (byte) 0xFF;
    bogus[at + 11] = (byte) 0x7F;
    assertReason(bogus, "declares 2147483632 bytes");
  }

  @Test
  void read_colourRejected() {
    byte[] file = edit(write(), l -> {
      try {
        l.get(TagFromName.PhotometricInterpretation).setValue("RGB");
      } catch (com.pixelmed.dicom.DicomException e) {
        throw new IllegalStateException(e);
      }
    });
    assertReason(file, "colour");
  }

  @Test
  void read_fromPath(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("slice.dcm");
    Files.write(f, write());
    assertEquals(6, reader.read(f).rows());
    assertReason(() -> reader.read(dir.resolve("missing.dcm")), "cannot be read");
  }

  @Test
  void read_multiFrameGivesFrameZero() {
    GreyImage img = Synthetic.ramp(8, 6, new PixelSpacing(0.5, 0.5), 3);
    byte[] file = edit(DicomWriter.writeMr(img, MrParams.of(uid)), l -> {
      try {
        short[] one = l.getPixelData().getShortValues();
        short[] two = Arrays.copyOf(one, one.length * 2);
        Arrays.fill(two, one.length, two.length, (short) 7);
        l.getPixelData().setValues(two);
        com.pixelmed.dicom.Attribute frames = new com.pixelmed.dicom.IntegerStringAttribute(
            TagFromName.NumberOfFrames);
        frames.addValue(2);
        l.put(frames);
      } catch (com.pixelmed.dicom.DicomException e) {
        throw new IllegalStateException(e);
      }
    });
    DicomSlice s = reader.read(file);
    assertEquals(2, s.numberOfFrames());
    assertEquals(2, reader.numberOfFrames(java.nio.ByteBuffer.wrap(file)));
    assertArrayEquals(img.pixels(), s.image().pixels());
  }

  @Test
  void read_enhancedGeometryFromFunctionalGroups() {
    byte[] file = edit(write(), l -> {
      l.remove(TagFromName.PixelSpacing);
      l.remove(TagFromName.ImageOrientationPatient);
      l.remove(TagFromName.ImagePositionPatient);
      AttributeList shared = new AttributeList();
      shared.put(sequence(TagFromName.PixelMeasuresSequence,
          decimals(TagFromName.PixelSpacing, 0.7, 0.9)));
      shared.put(sequence(TagFromName.PlaneOrientationSequence,
          decimals(TagFromName.ImageOrientationPatient, MrParams.axial())));
      AttributeList frame0 = new AttributeList();
      frame0.put(sequence(TagFromName.PlanePositionSequence,
          decimals(TagFromName.ImagePositionPatient, 1, 2, 3)));
      l.put(sequence(TagFromName.SharedFunctionalGroupsSequence, shared));
      l.put(sequence(TagFromName.PerFrameFunctionalGroupsSequence, frame0));
    });
    DicomSlice s = reader.read(file);
    assertEquals(new PixelSpacing(0.7, 0.9), s.spacing());
    assertEquals(Orientation.AXIAL, s.orientation());
    assertArrayEquals(new double[] {1, 2, 3}, s.imagePositionPatient());
  }

  @Test
  void read_bareDataSetWithoutMetaInformation() {
    byte[] file = write();
    int dataSet = 132;
    while ((file[dataSet] & 0xFF) == 0x02 && file[dataSet + 1] == 0) {
      // Meta elements are explicit VR little endian; OB/UN/... use the long form.
      String vr = new String(file, dataSet + 4, 2, StandardCharsets.US_ASCII);
      boolean longForm = vr.equals("OB") || vr.equals("UN");
      int len = longForm
          ? java.nio.ByteBuffer.wrap(file, dataSet + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
          : java.nio.ByteBuffer.wrap(file, dataSet + 6, 2).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort();
      dataSet += (longForm ? 12 : 8) + len;
    }
    DicomSlice s = reader.read(Arrays.copyOfRange(file, dataSet, file.length));
    assertEquals("1.2.840.10008.1.2.1", s.transferSyntaxUid());
    assertEquals(6, s.rows());
  }

  @Test
  void toString_leavesOutSeriesUid() {
    DicomSlice s = reader.read(write());
    assertFalse(s.toString().contains(uid));
  }

  private byte[] write() {
    return DicomWriter.writeMr(Synthetic.ramp(8, 6, new PixelSpacing(0.5, 0.5), 3), MrParams.of(uid));
  }

  private void assertReason(byte[] bytes, String fragment) {
    assertReason(() -> reader.read(bytes), fragment);
  }

  static void assertReason(org.junit.jupiter.api.function.Executable call, String fragment) {
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    assertTrue(e.getMessage().contains(fragment), () -> "message was: " + e.getMessage());
  }

  private static int indexOfPixelDataTag(byte[] b) {
    for (int i = b.length - 12; i >= 0; i--) {
      if ((b[i] & 0xFF) == 0xE0 && (b[i + 1] & 0xFF) == 0x7F && b[i + 2] == 0x10 && b[i + 3] == 0
          && b[i + 4] == 'O' && b[i + 5] == 'W') {
        return i;
      }
    }
    throw new AssertionError("no pixel data tag");
  }

  private static short[] storedPixels(byte[] file) {
    try {
      AttributeList l = new AttributeList();
      l.read(new DicomInputStream(new ByteArrayInputStream(file)));
      return l.getPixelData().getShortValues();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static DecimalStringAttribute decimals(com.pixelmed.dicom.AttributeTag tag, double... v) {
    try {
      DecimalStringAttribute a = new DecimalStringAttribute(tag);
      for (double d : v) {
        a.addValue(d);
      }
      return a;
    } catch (com.pixelmed.dicom.DicomException e) {
      throw new AssertionError(e);
    }
  }

  private static com.pixelmed.dicom.SequenceAttribute sequence(com.pixelmed.dicom.AttributeTag tag,
      com.pixelmed.dicom.Attribute content) {
    AttributeList item = new AttributeList();
    item.put(content);
    return sequence(tag, item);
  }

  private static com.pixelmed.dicom.SequenceAttribute sequence(com.pixelmed.dicom.AttributeTag tag,
      AttributeList item) {
    com.pixelmed.dicom.SequenceAttribute seq = new com.pixelmed.dicom.SequenceAttribute(tag);
    seq.addItem(item);
    return seq;
  }

  /** Re-encodes {@code file} after {@code change}, with PixelMed directly (test-only). */
  private static byte[] edit(byte[] file, Consumer<AttributeList> change) {
    try {
      AttributeList l = new AttributeList();
      l.read(new DicomInputStream(new ByteArrayInputStream(file)));
      change.accept(l);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      l.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
      return out.toByteArray();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
