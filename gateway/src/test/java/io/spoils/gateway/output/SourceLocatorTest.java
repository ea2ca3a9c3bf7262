package io.spoils.gateway.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.gateway.pipeline.AnalysisRequest;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SourceLocatorTest {

  private final String series = DicomWriter.newUid();
  // given out of spatial order: the sagittal normal points to -x, so spatial order is
  // x = 4 (instance 1, a.dcm), x = 0 (instance 2, c.dcm), x = -4 (instance 3, b.dcm)
  private final List<AnalysisRequest.DicomInput> files = List.of(
      input("a.dcm", OutputFixtures.sliceFile(series, 1, 4)),
      input("b.dcm", OutputFixtures.sliceFile(series, 3, -4)),
      input("c.dcm", OutputFixtures.sliceFile(series, 2, 0)),
      new AnalysisRequest.DicomInput("notes.txt", "not DICOM".getBytes()));

  @Test
  void locate_seriesOutOfOrder_findsTheMeasuredSliceFile() {
    for (int index = 0; index < 3; index++) {
      SourceImage source = SourceLocator.create().locate(files, result(index, OptionalInt.empty()));
      String expected = uid(files.get(new int[] {0, 2, 1}[index]));
      assertEquals(expected, source.sopInstanceUid(), "slice " + index);
      assertEquals(series, source.seriesInstanceUid());
    }
  }

  @Test
  void locate_instanceNumberDisagrees_refused() {
    assertThrows(InvalidInputException.class,
        () -> SourceLocator.create().locate(files, result(0, OptionalInt.of(3))));
  }

  @Test
  void toString_leavesOutIdentifiers() {
    SourceImage source = SourceLocator.create().locate(files, result(1, OptionalInt.of(2)));
    assertEquals(false, source.toString().contains(source.studyInstanceUid()));
  }

  private static AnalysisRequest.DicomInput input(String name, byte[] data) {
    return new AnalysisRequest.DicomInput(name, data);
  }

  private static String uid(AnalysisRequest.DicomInput file) {
    return com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(
        SourceLocator.header(file.data()), com.pixelmed.dicom.TagFromName.SOPInstanceUID);
  }

  private static AnalysisResult result(int index, OptionalInt instance) {
    AnalysisResult r = OutputFixtures.result();
    PipelineEvent.SeriesSummary s = r.accepted().series();
    PipelineEvent.Accepted accepted = new PipelineEvent.Accepted(4, 3, 1,
        new PipelineEvent.SeriesSummary(s.orientation(), s.rows(), s.columns(), s.rowSpacingMm(),
            s.columnSpacingMm(), OptionalDouble.of(4), 3, 1, true));
    PipelineEvent.Segmentation g = r.segmentation();
    PipelineEvent.Segmentation segmentation = new PipelineEvent.Segmentation(g.discLevels(),
        g.vertebraLevels(), g.vertebrae(), g.semanticMap(), g.anatomyMap(),
        new PipelineEvent.MeasuredSlice(index, instance, "chosen", 1, 1, List.of(1.0, 2.0, 1.0)));
    return new AnalysisResult(accepted, segmentation, r.discs(), r.warnings(), r.summary());
  }

}
