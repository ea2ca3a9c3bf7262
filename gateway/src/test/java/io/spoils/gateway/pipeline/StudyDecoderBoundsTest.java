package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.spoils.feature.InvalidInputException;
import io.spoils.feature.dicom.DecodeBudgetExceededException;
import io.spoils.feature.dicom.DecodeLimits;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.Deadline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DECODE stage's bounds: one decoding budget per study (a file past it ends the study instead
 * of being skipped), and the study's deadline and cancellation stop decoding.
 */
class StudyDecoderBoundsTest {
  private static final Path SERIES = Path.of("examples/spider-series");

  @Test
  void decode_filesPastThePixelBudget_studyRefusedNotSkipped() throws Exception {
    io.spoils.feature.dicom.DicomSlice one = DicomReader.create().read(example("slice60.dcm").data());
    long onePixels = (long) one.rows() * one.columns();
    StudyDecoder decoder = new StudyDecoder(
        new DecodeLimits(onePixels * 3 / 2, DecodeLimits.DEFAULT_MAX_INFLATED_BYTES));
    DecodeBudgetExceededException e = assertThrows(DecodeBudgetExceededException.class,
        () -> decoder.decode(List.of(example("slice60.dcm"), example("slice61.dcm")), false,
            later(), new Cancellation()));
    assertTrue(e.getMessage().startsWith("file 2 ('slice61.dcm'): the image needs " + onePixels
        + " pixels decoded"), e.getMessage());
  }

  @Test
  void decode_withinTheBudget_decodes() throws Exception {
    StudyDecoder decoder = new StudyDecoder(DecodeLimits.defaults());
    StudyDecoder.Decoded d = decoder.decode(List.of(example("slice60.dcm"),
        example("slice61.dcm")), false, later(), new Cancellation());
    assertEquals(2, d.accepted().series().sliceCount());
  }

  @Test
  void decode_seriesLongerThanTheWindow_decodesOnlyItsCentralSlices() {
    int n = PipelineOptions.MAX_SERIES_SLICES + 6;
    MrParams t2 = MrParams.of(
        DicomWriter.newUid()).withSeries(5).withTiming(100.0, 3000.0);
    java.util.List<AnalysisRequest.DicomInput> files = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      io.spoils.feature.image.GreyImage image = new io.spoils.feature.image.GreyImage(16, 16,
          new float[256], new io.spoils.feature.image.PixelSpacing(0.5, 0.5));
      files.add(new AnalysisRequest.DicomInput("s" + i + ".dcm", java.nio.ByteBuffer.wrap(
          DicomWriter.writeMr(image, t2.withInstance(i + 1).withGeometry(
              MrParams.sagittal(), new double[] {i * 1.0, -50, 80})))));
    }
    // room for the window's pixels only: decoding every slice would pass it
    StudyDecoder decoder = new StudyDecoder(new DecodeLimits(
        256L * PipelineOptions.MAX_SERIES_SLICES, DecodeLimits.DEFAULT_MAX_INFLATED_BYTES));
    StudyDecoder.Decoded d = decoder.decode(files, false, later(), new Cancellation());
    assertEquals(n, d.accepted().series().sliceCount());
    assertEquals(PipelineOptions.MAX_SERIES_SLICES, d.series().images().size());
    assertEquals(d.accepted().series().midSliceIndex(),
        d.series().offset() + d.series().geometricCentre());
    assertTrue(d.warnings().stream().anyMatch(w -> w.code().equals("SERIES_TRUNCATED")
        && w.message().equals("The series has " + n + " slices; its central "
            + PipelineOptions.MAX_SERIES_SLICES + " were segmented.")), d.warnings()::toString);
  }

  @Test
  void decode_deadlinePassed_stopsWithDeadlineExceeded() throws Exception {
    StudyDecoder decoder = new StudyDecoder(DecodeLimits.defaults());
    Deadline past = new Deadline(System.nanoTime() - 1);
    BackendException e = assertThrows(BackendException.class, () -> decoder.decode(
        List.of(example("slice60.dcm")), false, past, new Cancellation()));
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, e.status());
    assertTrue(e.getMessage().contains("passed while its DICOM files were decoded"), e.getMessage());
  }

  @Test
  void decode_cancelled_stopsWithCancellation() throws Exception {
    StudyDecoder decoder = new StudyDecoder(DecodeLimits.defaults());
    Cancellation cancelled = new Cancellation();
    cancelled.cancel();
    assertThrows(AnalysisCancelledException.class, () -> decoder.decode(
        List.of(example("slice60.dcm")), false, later(), cancelled));
  }

  @Test
  void decode_bigEndianHugeRowsTwoPixelBytes_invalidInputNamingTheReason() throws Exception {
    StudyDecoder decoder = new StudyDecoder(DecodeLimits.defaults());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(
        List.of(new AnalysisRequest.DicomInput("huge.dcm", hugeBigEndian())), false, later(),
        new Cancellation()));
    assertTrue(e.getMessage().startsWith("not a readable DICOM image (the file: pixel data holds 2 "
        + "bytes, fewer than the 536870912"), e.getMessage());
  }

  private static Deadline later() {
    return Deadline.after(Duration.ofMinutes(5));
  }

  private static AnalysisRequest.DicomInput example(String name) throws Exception {
    return new AnalysisRequest.DicomInput(name, Files.readAllBytes(SERIES.resolve(name)));
  }

  /** A slice of the example as big endian, declaring Rows = Columns = 16384, two pixel bytes. */
  private static byte[] hugeBigEndian() throws Exception {
    AttributeList l = new AttributeList();
    l.read(new DicomInputStream(new ByteArrayInputStream(Files.readAllBytes(
        SERIES.resolve("slice60.dcm")))));
    l.get(TagFromName.Rows).setValue(16384);
    l.get(TagFromName.Columns).setValue(16384);
    l.getPixelData().setValues(new short[1]);
    FileMetaInformation.addFileMetaInformation(l, TransferSyntax.ExplicitVRBigEndian, "SPOILS");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    l.write(out, TransferSyntax.ExplicitVRBigEndian, true, true);
    return out.toByteArray();
  }
}
