package io.spoils.gateway.output.sr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.DicomTools;
import io.spoils.gateway.output.OutputFixtures;
import io.spoils.gateway.output.Producer;
import io.spoils.gateway.output.SourceImage;
import io.spoils.gateway.output.report.ReportWriter;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementReportWriterTest {

  private final AnalysisResult result = OutputFixtures.result();
  private final SourceImage source = OutputFixtures.source();
  private final byte[] file = new MeasurementReportWriter(new Producer("9.9.9"))
      .write(result, source, ReportWriter.write(result));

  @TempDir
  Path tmp;

  @Test
  void write_readBack_numbersAreTheAnalysisValues() throws Exception {
    List<ContentItem> groups = children(named(root(), "126010"), "125007");
    assertEquals(3, groups.size());
    for (int i = 0; i < groups.size(); i++) {
      PipelineEvent.Disc disc = result.discs().get(i);
      DiscGeometry g = disc.geometry();
      ContentItem group = groups.get(i);
      assertEquals(disc.level().displayName() + " disc", text(named(group, "112039")));
      List<Double> heights = children(group, "121207").stream().map(this::value).toList();
      assertEquals(List.of(g.averageHeightMm(), g.anteriorHeightMm(), g.centralHeightMm(),
          g.posteriorHeightMm()), heights);
      assertEquals(g.heightIndex(), valueOrNaN(group, "DHI"));
      assertEquals(g.signalRatioToCsf(), value(named(group, "SIGNAL-CSF")));
      assertEquals(g.areaMm2(), value(named(group, "42798000")));
      assertEquals(g.canalApDiameterMm(), valueOrNaN(group, "81827009"), "canal left out if NaN");
      assertEquals(disc.ensemble().map(e -> e.confidence()).orElse(Double.NaN),
          valueOrNaN(group, "122157"));
    }
  }

  @Test
  void write_readBack_gradesStratumAndLevelAreCoded() throws Exception {
    ContentItem l5s1 = children(named(root(), "126010"), "125007").get(0);
    assertEquals("243927000 SCT Level of L5/S1 intervertebral disc",
        code(named(l5s1, "363698007")));
    assertEquals("PFIRRMANN-4 99SPOILS Pfirrmann grade IV", code(named(l5s1, "PFIRRMANN")));
    assertEquals("24484000 SCT Severe", code(named(l5s1, "246112005")));
    assertEquals("SURGICAL 99SPOILS surgical consultation", code(named(l5s1, "STRATUM")));
    assertEquals(3, children(l5s1, "111002").size(), "every model with its version");
    assertEquals("spine_segmentation 2 (segmentation, onnxruntime-cpu)",
        text(children(l5s1, "111002").get(0)));
  }

  @Test
  void write_study_reportTextAndStratumInQualitativeEvaluations() throws Exception {
    ContentItem q = named(root(), "C0034375");
    assertEquals(ReportWriter.write(result).text().strip(), text(named(q, "121111")));
    assertTrue(text(named(q, "121073")).startsWith("1. Most degenerated"));
    assertEquals(PipelineEvent.Summary.DISCLAIMER, text(named(q, "121106")));
    assertEquals(45.0, value(named(q, "ODI")));
    assertEquals(6.0, value(named(q, "NRS")));
  }

  @Test
  void write_header_sameStudyNewSeriesReferencesTheSource() throws Exception {
    AttributeList list = read();
    assertEquals(SOPClass.ComprehensiveSRStorage, string(list, TagFromName.SOPClassUID));
    assertEquals(source.studyInstanceUid(), string(list, TagFromName.StudyInstanceUID));
    assertTrue(!source.seriesInstanceUid().equals(string(list, TagFromName.SeriesInstanceUID)));
    assertEquals("SR", string(list, TagFromName.Modality));
    String dump = list.toString();
    assertTrue(dump.contains(source.sopInstanceUid()), "evidence and image library reference it");
    assertTrue(dump.contains("99SPOILS") && dump.contains("SPOILS private concepts"));
  }

  @Test
  void write_dciodvfy_noErrors() throws Exception {
    DicomTools.Run run = DicomTools.run("dciodvfy", save());
    assertTrue(run.output().contains("ComprehensiveSR"), run.output());
    assertEquals(List.of(), run.errors(), run.output());
  }

  @Test
  void write_dsrdump_readsTheTree() throws Exception {
    DicomTools.Run run = DicomTools.run("dsrdump", save());
    assertEquals(0, run.code(), run.output());
    assertTrue(run.output().contains("Imaging Measurement Report"), run.output());
    assertTrue(run.output().contains("Level of L4/L5 intervertebral disc"), run.output());
    assertTrue(run.output().contains("(CLASS-3M,99SPOILS,"), run.output());
  }

  private Path save() throws Exception {
    Path p = tmp.resolve("sr.dcm");
    Files.write(p, file);
    return p;
  }

  private AttributeList read() throws Exception {
    AttributeList list = new AttributeList();
    try (DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(file))) {
      list.read(in);
    }
    return list;
  }

  private ContentItem root() throws Exception {
    return (ContentItem) new StructuredReport(read()).getRoot();
  }

  private static String string(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag);
  }

  private static List<ContentItem> children(ContentItem parent, String code) {
    List<ContentItem> found = new ArrayList<>();
    for (int i = 0; i < parent.getChildCount(); i++) {
      ContentItem c = (ContentItem) parent.getChildAt(i);
      if (code.equals(c.getConceptNameCodeValue())) {
        found.add(c);
      }
    }
    return found;
  }

  private static ContentItem named(ContentItem parent, String code) {
    List<ContentItem> found = children(parent, code);
    assertEquals(1, found.size(), "one " + code);
    return found.get(0);
  }

  /** A TEXT item's value without the padding to an even length. */
  private static String text(ContentItem item) {
    return item.getSingleStringValueOrNull().strip();
  }

  /** A CODE item's value as "value scheme meaning". */
  private static String code(ContentItem item) {
    com.pixelmed.dicom.CodedSequenceItem c =
        ((ContentItemFactory.CodeContentItem) item).getConceptCode();
    return c.getCodeValue() + " " + c.getCodingSchemeDesignator() + " " + c.getCodeMeaning();
  }

  private double value(ContentItem item) {
    return ((ContentItemFactory.NumericContentItem) item).getFloatingPointValue();
  }

  private double valueOrNaN(ContentItem group, String code) {
    List<ContentItem> found = children(group, code);
    return found.isEmpty() ? Double.NaN : value(found.get(0));
  }
}
