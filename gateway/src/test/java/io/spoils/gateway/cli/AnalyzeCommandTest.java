package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.gateway.testing.RealModels;
import io.spoils.proto.v1.AnalysisEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {

  static final String EXAMPLE = "examples/spider/slice.dcm";
  static final Path MODELS = Path.of("../triton-models");

  @TempDir
  Path tmp;

  private record Result(int code, String out, String err) { }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  private static void assumeModels() {
    for (String m : List.of("spine_segmentation", "disc_grading")) {
      Assumptions.assumeTrue(RealModels.present(MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
      // an untrained model's segmentation finds no spine
      Assumptions.assumeFalse(io.spoils.gateway.backend.ModelRepository.load(MODELS).untrained(m),
          "triton-models/" + m + " holds untrained weights");
    }
  }

  private static void assertBadInput(Result r, String reason) {
    assertEquals(Spoils.EXIT_BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(reason), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  @Test
  void analyze_imageWithTheFrontOnTheRight_gradedAsTheUsualOne() throws Exception {
    assumeModels();
    // the example mirrored left to right, its orientation saying so: rows towards anterior
    DicomSlice usual = DicomReader.create().read(Path.of(EXAMPLE));
    GreyImage g = usual.image();
    float[] flipped = new float[g.pixels().length];
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        flipped[y * g.width() + g.width() - 1 - x] = g.get(x, y);
      }
    }
    double[] iop = usual.imageOrientationPatient();
    double[] ipp = usual.imagePositionPatient();
    double reach = g.spacing().colMm() * (g.width() - 1);
    Path mirrored = rewritten(usual, "mirrored.dcm",
        new GreyImage(g.width(), g.height(), flipped, g.spacing()),
        new double[] {-iop[0], -iop[1], -iop[2], iop[3], iop[4], iop[5]},
        new double[] {ipp[0] + iop[0] * reach, ipp[1] + iop[1] * reach, ipp[2] + iop[2] * reach});
    Result a = run("analyze", EXAMPLE);
    Result b = run("analyze", mirrored.toString());
    assertEquals(0, a.code(), a.err());
    assertEquals(0, b.code(), b.err());
    // per level: the ensemble class and the CNN's class (the crops are mirrored back)
    assertEquals(classes(a.out()), classes(b.out()), b.out());
  }

  @Test
  void analyze_imageTurnedBy90Degrees_badInputSayingItIsNotHeadUp() throws Exception {
    assumeModels();
    // the example transposed: its rows now run from head to feet, as ImageOrientationPatient says
    DicomSlice usual = DicomReader.create().read(Path.of(EXAMPLE));
    GreyImage g = usual.image();
    float[] turned = new float[g.pixels().length];
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        turned[x * g.height() + y] = g.get(x, y);
      }
    }
    double[] iop = usual.imageOrientationPatient();
    Path file = rewritten(usual, "turned.dcm", new GreyImage(g.height(), g.width(), turned,
            new PixelSpacing(g.spacing().colMm(), g.spacing().rowMm())),
        new double[] {iop[3], iop[4], iop[5], iop[0], iop[1], iop[2]},
        usual.imagePositionPatient());
    assertBadInput(run("analyze", file.toString()), "not stored head up");
  }

  /** {@code image} written as a one-slice MR file in {@code tmp}, with the example's TE and TR. */
  private Path rewritten(DicomSlice example, String name, GreyImage image, double[] iop,
      double[] ipp) {
    Path file = tmp.resolve(name);
    DicomWriter.writeMr(image, MrParams.of(DicomWriter.newUid()).withGeometry(iop, ipp)
        .withTiming(example.echoTimeMs(), example.repetitionTimeMs()), file);
    return file;
  }

  /** Level, ensemble class and CNN class of each graded row of a table output. */
  private static List<String> classes(String table) {
    return table.lines().filter(l -> l.matches("^(L\\d|T1).*")).map(l -> {
      String[] t = l.trim().split("\\s+");
      return t[0] + " " + t[1] + " " + t[5];
    }).toList();
  }

  @Test
  void analyze_odiOutOfRange_exit2() {
    assertBadInput(run("analyze", "--odi", "120", "--nrs", "3", EXAMPLE), "ODI");
  }

  @Test
  void analyze_nrsOutOfRange_exit2() {
    assertBadInput(run("analyze", "--odi", "20", "--nrs", "11", EXAMPLE), "NRS");
  }

  @Test
  void analyze_onlyOneScore_exit2() {
    assertBadInput(run("analyze", "--odi", "20", EXAMPLE), "both --odi and --nrs");
  }

  @Test
  void analyze_missingPath_exit2() {
    assertBadInput(run("analyze", tmp.resolve("nope").toString()), "does not exist");
  }

  @Test
  void analyze_emptyFolder_exit2() {
    assertBadInput(run("analyze", tmp.toString()), "no files");
  }

  @Test
  void analyze_folderWithOtherFiles_leftOutUnreadAndCounted() throws Exception {
    assumeModels();
    // a patient CD: the images beside a README and a viewer program larger than any DICOM file
    // may be (read whole, it would stop the analysis)
    Files.copy(Path.of(EXAMPLE), tmp.resolve("IM0001"));
    Files.writeString(tmp.resolve("README.TXT"), "# Patient CD\nOpen the viewer.\n");
    try (java.io.RandomAccessFile viewer = new java.io.RandomAccessFile(
        tmp.resolve("viewer.exe").toFile(), "rw")) {
      viewer.write(new byte[] {'M', 'Z'});
      viewer.setLength(io.spoils.feature.dicom.DicomReader.MAX_FILE_BYTES + 1);
    }
    Result r = run("analyze", "--format", "json", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("2 file(s) of the given folders left out: not DICOM"), r.err());
    assertFalse(r.out().contains("FILE_SKIPPED"), "no warning for the files left out");
    assertTrue(java.util.regex.Pattern.compile("\"filesReceived\":\\s*1[,}]").matcher(r.out())
        .find(), "only the image was received: " + r.out().lines().findFirst().orElse(""));
  }

  @Test
  void analyze_folderWithoutDicom_exit2() throws Exception {
    Files.writeString(tmp.resolve("README.TXT"), "no images here");
    assertBadInput(run("analyze", tmp.toString()), "hold no DICOM file (1 other file(s))");
  }

  @Test
  void analyze_modelsMissing_exit1WithReason() {
    Result r = run("analyze", "--models", tmp.toString(), EXAMPLE);
    assertEquals(Spoils.EXIT_FAILURE, r.code());
    assertTrue(r.err().contains("has no spine_segmentation model"), r.err());
  }

  @Test
  void analyze_notDicom_exit2() throws Exception {
    assumeModels();
    Path text = Files.writeString(tmp.resolve("notes.txt"), "not an image");
    assertBadInput(run("analyze", text.toString()), "not a readable DICOM image");
  }

  @Test
  void analyze_jsonFormat_oneEventPerLineEndingWithSummary() throws Exception {
    assumeModels();
    Result r = run("analyze", "--format", "json", "--odi", "45", "--nrs", "7", EXAMPLE);
    assertEquals(0, r.code(), r.err());
    List<AnalysisEvent> events = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      AnalysisEvent.Builder b = AnalysisEvent.newBuilder();
      JsonFormat.parser().merge(line, b);
      events.add(b.build());
    }
    assertTrue(events.get(0).hasAccepted());
    assertTrue(events.get(events.size() - 1).hasSummary());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getSequence());
    }
    assertEquals(3, events.get(events.size() - 1).getSummary().getModelsCount());
    for (var model : events.get(events.size() - 1).getSummary().getModelsList()) {
      assertTrue(model.getProvenance().contains("sha256"), model.toString());
    }
  }

  @Test
  void analyze_volumeNotAutoOnOff_exit2() {
    Result r = run("analyze", "--volume=maybe", EXAMPLE);
    assertEquals(Spoils.EXIT_BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("--volume"), r.err());
  }

  @Test
  void analyze_volumeOnOneSlice_analysedWithAWarning() {
    assumeModels();
    Result r = run("analyze", "--volume", "on", EXAMPLE);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("measured slice: 0"), r.out());
    assertTrue(r.out().contains("warning VOLUME_NOT_COMPUTED"), r.out());
    assertTrue(r.out().contains("study stratum:"), r.out());
  }

  @Test
  void analyze_seriesExample_measuredSliceAndVolumes() {
    assumeModels();
    Result r = run("analyze", "--format", "json", "examples/spider-series");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"measuredSlice\""), r.out());
    assertTrue(r.out().contains("\"volumeMm3\""), r.out());
    assertTrue(r.out().contains("\"volumeSliceCount\""), r.out());
  }

  @Test
  void analyze_tableWithMaskOut_writesBothMaps() throws Exception {
    assumeModels();
    Result r = run("analyze", "--mask-out", tmp.toString(), EXAMPLE);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Decision support for clinicians, not a diagnosis."));
    assertTrue(r.out().contains("study stratum:"));
    assertTrue(Files.size(tmp.resolve(AnalyzeCommand.ANATOMY_PNG)) > 0);
    assertTrue(Files.size(tmp.resolve(AnalyzeCommand.SEMANTIC_PNG)) > 0);
  }
}
