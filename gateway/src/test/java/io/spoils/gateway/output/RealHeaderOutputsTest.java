package io.spoils.gateway.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.output.report.ReportWriter;
import io.spoils.gateway.output.seg.SegmentationWriter;
import io.spoils.gateway.output.sr.MeasurementReportWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SR and SEG of a source with a scanner's real header (pydicom's {@code MR_small.dcm}: patient
 * and study modules filled, axial 64x64 MR): the context is copied and both pass dciodvfy.
 */
class RealHeaderOutputsTest {

  @TempDir
  Path tmp;

  private SourceImage source;

  @BeforeEach
  void readSource() throws Exception {
    Path file = Path.of(System.getProperty("spoils.data.pydicom",
        "/usr/lib/python3/dist-packages/pydicom/data/test_files")).resolve("MR_small.dcm");
    Assumptions.assumeTrue(Files.isRegularFile(file), "pydicom's test corpus is not installed "
        + "(python3-pydicom; bin/setup installs it)");
    byte[] bytes = Files.readAllBytes(file);
    source = new SourceImage(SourceLocator.header(ByteBuffer.wrap(bytes)),
        DicomReader.create().read(bytes));
  }

  @Test
  void sr_scannerHeader_contextCopiedAndValid() throws Exception {
    AnalysisResult result = OutputFixtures.result();
    byte[] sr = new MeasurementReportWriter(new Producer("9.9.9"))
        .write(result, source, ReportWriter.write(result));
    Path p = save("sr.dcm", sr);
    assertContextCopied(p);
    assertEquals(List.of(), DicomTools.run("dciodvfy", p).errors());
  }

  @Test
  void seg_scannerHeader_contextCopiedAndValid() throws Exception {
    byte[] ids = new byte[64 * 64];
    for (int i = 1000; i < 1400; i++) {
      ids[i] = (byte) AnatomyLabel.DISC_L4_L5.id();
    }
    LabelMap map = new LabelMap(64, 64, ids, source.slice().spacing(), LabelMap.Scheme.ANATOMY14);
    Path p = save("seg.dcm", new SegmentationWriter(new Producer("9.9.9"))
        .write(map, source, OutputFixtures.SEGMENTATION));
    assertContextCopied(p);
    DicomTools.Run run = DicomTools.run("dciodvfy", p);
    assertEquals(List.of(), run.errors(), run.output());
  }

  private void assertContextCopied(Path p) throws Exception {
    AttributeList list = new AttributeList();
    list.read(p.toString());
    for (var tag : List.of(TagFromName.PatientName, TagFromName.PatientID, TagFromName.StudyDate,
        TagFromName.StudyID, TagFromName.StudyInstanceUID)) {
      assertEquals(Attribute.getSingleStringValueOrEmptyString(source.patientAndStudy(), tag),
          Attribute.getSingleStringValueOrEmptyString(list, tag), tag.toString());
    }
    assertEquals("CompressedSamples^MR1",
        Attribute.getSingleStringValueOrEmptyString(list, TagFromName.PatientName));
  }

  private Path save(String name, byte[] bytes) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }
}
