package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.StructuredReport;
import io.spoils.gateway.output.DicomTools;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.testing.RealModels;
import io.spoils.proto.v1.AnalysisEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --format report}, {@code --sr-out} and {@code --seg-out} on the bundled example. */
class AnalyzeClinicalOutputsTest {

  private static final String EXAMPLE = AnalyzeCommandTest.EXAMPLE;

  @TempDir
  Path tmp;

  private record Result(int code, String out, String err) { }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** The version folder the CLI serves by default (the newest). */
  private static String newest(String model) {
    return RealModels.onnx(AnalyzeCommandTest.MODELS, model).orElseThrow().getParent()
        .getFileName().toString();
  }

  private static void assumeModels() {
    for (String m : List.of("spine_segmentation", "disc_grading")) {
      Assumptions.assumeTrue(RealModels.present(AnalyzeCommandTest.MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
    }
  }

  @Test
  void analyze_formatReport_printsThePerLevelReport() {
    assumeModels();
    Result r = run("analyze", "--odi", "45", "--nrs", "6", "--format", "report", EXAMPLE);
    assertEquals(0, r.code(), r.err());
    for (String part : List.of("FINDINGS\n", "L4-L5\n  Disc: Pfirrmann grade", "  Height: ",
        "  Canal: AP diameter", "  Stratum: ", "IMPRESSION\n1. ", "Clinical scores: ODI 45 %",
        "- spine_segmentation version " + newest("spine_segmentation"),
        "- disc_grading version " + newest("disc_grading"),
        "- disc-grading-trees version")) {
      assertTrue(r.out().contains(part), part + " in\n" + r.out());
    }
    assertTrue(r.out().strip().endsWith(PipelineEvent.Summary.DISCLAIMER), r.out());
  }

  @Test
  void analyze_srAndSegOut_validObjectsWithTheStreamedValues() throws Exception {
    assumeModels();
    Path dir = tmp.resolve("out");
    Result r = run("analyze", "--odi", "45", "--nrs", "6", "--format", "json", "--sr-out",
        dir.toString(), "--seg-out", dir.toString(), EXAMPLE);
    assertEquals(0, r.code(), r.err());
    Path sr = dir.resolve(ClinicalOutputs.SR_FILE);
    Path seg = dir.resolve(ClinicalOutputs.SEG_FILE);
    List<Double> streamed = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      AnalysisEvent.Builder b = AnalysisEvent.newBuilder();
      JsonFormat.parser().merge(line, b);
      if (b.hasDisc()) {
        streamed.add(b.getDisc().getGeometry().getAverageHeightMm());
      }
    }
    assertEquals(streamed, meanHeights(sr), "the SR holds the analysis' disc heights");
    for (Path p : List.of(sr, seg)) {
      DicomTools.Run check = DicomTools.run("dciodvfy", p);
      assertEquals(List.of(), check.errors(), check.output());
      assertEquals(0, DicomTools.run("dcmdump", p).code());
    }
    DicomTools.Run dump = DicomTools.run("dsrdump", sr);
    assertEquals(0, dump.code(), dump.output());
    assertTrue(dump.output().contains("Level of L4/L5 intervertebral disc"), dump.output());
  }

  @Test
  void analyze_seriesExample_srAndSegPassDciodvfy() throws Exception {
    assumeModels();
    Path dir = tmp.resolve("series");
    Result r = run("analyze", "--format", "report", "--sr-out", dir.toString(), "--seg-out",
        dir.toString(), "examples/spider-series");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Volume: "), "the series gives disc volumes: " + r.out());
    for (String file : List.of(ClinicalOutputs.SR_FILE, ClinicalOutputs.SEG_FILE)) {
      DicomTools.Run check = DicomTools.run("dciodvfy", dir.resolve(file));
      assertEquals(List.of(), check.errors(), check.output());
    }
  }

  @Test
  void analyze_seriesExampleAsOneEnhancedObject_sameAnalysisAndFrameReferences() throws Exception {
    assumeModels();
    // the bundled ten-slice series written again as one enhanced MR object (frames as slices)
    java.util.List<io.spoils.feature.dicom.DicomSlice> slices = new ArrayList<>();
    try (var files = java.nio.file.Files.list(Path.of("examples/spider-series"))) {
      for (Path f : files.filter(x -> x.toString().endsWith(".dcm")).sorted().toList()) {
        slices.add(io.spoils.feature.dicom.DicomReader.create().read(f));
      }
    }
    io.spoils.feature.dicom.DicomSlice first = slices.get(0);
    io.spoils.feature.tooling.dicom.MrParams params = io.spoils.feature.tooling.dicom.MrParams
        .of(io.spoils.feature.tooling.dicom.DicomWriter.newUid())
        .withGeometry(first.imageOrientationPatient(), null)
        .withTiming(first.echoTimeMs(), first.repetitionTimeMs());
    Path enhanced = tmp.resolve("enhanced.dcm");
    java.nio.file.Files.write(enhanced, io.spoils.feature.tooling.dicom.EnhancedMrWriter.write(
        slices.stream().map(io.spoils.feature.dicom.DicomSlice::image).toList(), params,
        slices.stream().map(io.spoils.feature.dicom.DicomSlice::imagePositionPatient).toList()));
    Path dir = tmp.resolve("enhanced-out");
    // --volume auto: one file of ten frames is a series
    Result one = run("analyze", "--sr-out", dir.toString(), "--seg-out",
        dir.toString(), enhanced.toString());
    Result classic = run("analyze", "examples/spider-series");
    assertEquals(0, one.code(), one.err());
    assertEquals(0, classic.code(), classic.err());
    // the same measured slice and per-disc table; the slice is named by its frame
    assertEquals(table(classic.out()).subList(1, table(classic.out()).size()),
        table(one.out()).subList(1, table(one.out()).size()));
    assertEquals(table(classic.out()).get(0).replace("(instance 5)", "(instance 1, frame 5)"),
        table(one.out()).get(0));
    for (String file : List.of(ClinicalOutputs.SR_FILE, ClinicalOutputs.SEG_FILE)) {
      DicomTools.Run check = DicomTools.run("dciodvfy", dir.resolve(file));
      assertEquals(List.of(), check.errors(), check.output());
      // the measured frame is referenced by its number
      DicomTools.Run dump = DicomTools.run("dcmdump", dir.resolve(file));
      assertTrue(dump.output().contains("(0008,1160) IS"), dump.output());
    }
  }

  /** The measured-slice line and the per-disc rows of a table output. */
  private static List<String> table(String out) {
    return out.lines()
        .filter(l -> l.startsWith("measured slice:") || l.matches("^(L\\d|T1|thor).*")).toList();
  }

  /** The mean Height of every measurement group, in document order. */
  private static List<Double> meanHeights(Path sr) throws Exception {
    AttributeList list = new AttributeList();
    list.read(sr.toString());
    ContentItem root = (ContentItem) new StructuredReport(list).getRoot();
    List<Double> heights = new ArrayList<>();
    ContentItem measurements = root.getNamedChild("DCM", "126010");
    for (int i = 0; i < measurements.getChildCount(); i++) {
      ContentItem group = (ContentItem) measurements.getChildAt(i);
      ContentItemFactory.NumericContentItem height =
          (ContentItemFactory.NumericContentItem) group.getNamedChild("DCM", "121207");
      heights.add(height.getFloatingPointValue());
    }
    return heights;
  }
}
