package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.gateway.testing.RealModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --batch-out} over a folder of studies built here: the example slice as study A,
 * the same pixels written again by {@link DicomWriter} under a new Study Instance UID as study B,
 * an axial noise image (no sagittal series: its analysis fails) as study C, and a text file.
 */
class AnalyzeBatchTest {

  @TempDir
  Path tmp;

  private record Result(int code, String out, String err) { }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Studies A, B and C and a stray file under {@code tmp/in}; the Study Instance UIDs. */
  private List<String> studies() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("a"));
    Files.createDirectories(in.resolve("b"));
    Files.createDirectories(in.resolve("c"));
    byte[] example = Files.readAllBytes(Path.of(AnalyzeCommandTest.EXAMPLE));
    Files.write(in.resolve("a/IM0001.dcm"), example);
    DicomSlice slice = DicomReader.create().read(ByteBuffer.wrap(example));
    String studyB = DicomWriter.newUid();
    Files.write(in.resolve("b/IM0001.dcm"), DicomWriter.writeMr(slice.image(),
        params(studyB, MrParams.sagittal())));
    Files.writeString(in.resolve("b/notes.txt"), "not DICOM");
    String studyC = DicomWriter.newUid();
    float[] noise = new float[64 * 64];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (i * 7919) % 1000;
    }
    Files.write(in.resolve("c/IM0001.dcm"), DicomWriter.writeMr(new GreyImage(64, 64, noise,
        new PixelSpacing(1, 1)), params(studyC, MrParams.axial())));
    return List.of(StudyGrouping.studyUid(in.resolve("a/IM0001.dcm")), studyB, studyC);
  }

  /** A new series of study {@code studyUid}, T2 timing, 4 mm slices. */
  private static MrParams params(String studyUid, double[] orientation) {
    return new MrParams(DicomWriter.newUid(), studyUid, 1, 1, orientation, new double[3], 4.0,
        100.0, 3000.0, false, 1.0, 0.0);
  }

  @Test
  void group_threeStudiesAndAStrayFile_groupedByStudyUid() throws Exception {
    List<String> uids = studies();
    StudyGrouping.Grouping g = StudyGrouping.group(List.of(tmp.resolve("in")));
    assertEquals(uids, g.studies().stream().map(StudyGrouping.Study::studyInstanceUid).toList());
    assertEquals(1, g.skipped());
    assertTrue(g.studies().stream().allMatch(s -> s.files().size() == 1));
  }

  @Test
  void analyze_batchOut_oneResultPerStudyAndDiscsCsv() throws Exception {
    for (String m : List.of("spine_segmentation", "disc_grading")) {
      Assumptions.assumeTrue(RealModels.present(AnalyzeCommandTest.MODELS, m),
          "triton-models/" + m + " has no model.onnx (model not trained/merged yet)");
    }
    List<String> uids = studies();
    Path out = tmp.resolve("out");
    Result r = run("analyze", "--batch-out", out.toString(), tmp.resolve("in").toString());
    assertEquals(Spoils.EXIT_FAILURE, r.code(), "study C fails: " + r.out() + r.err());
    assertTrue(r.out().startsWith("analysed 2 of 3 studies (1 failed, see studies.csv), 1 "
        + "file(s) skipped"), r.out());
    assertFalse(r.err().contains("\r"), "no progress bar when not on a terminal");

    List<String> studies = Files.readAllLines(out.resolve(BatchCsv.STUDIES_FILE));
    assertEquals(BatchCsv.STUDIES_HEADER, studies.get(0));
    assertEquals(4, studies.size(), String.join("\n", studies));
    assertTrue(studies.get(1).startsWith("study-001," + uids.get(0) + ",1,analysed,"));
    assertTrue(studies.get(2).startsWith("study-002," + uids.get(1) + ",1,analysed,"));
    assertTrue(studies.get(3).startsWith("study-003," + uids.get(2) + ",1,failed,,,"),
        studies.get(3));

    List<String> discs = Files.readAllLines(out.resolve(BatchCsv.DISCS_FILE));
    assertEquals(BatchCsv.DISCS_HEADER, discs.get(0));
    List<String> a = discs.stream().filter(l -> l.startsWith("study-001,")).toList();
    List<String> b = discs.stream().filter(l -> l.startsWith("study-002,")).toList();
    assertFalse(a.isEmpty());
    assertEquals(a.size(), b.size(), "the same pixels give the same discs");
    assertTrue(a.stream().anyMatch(l -> l.contains(",L4-L5,")), String.join("\n", a));
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).substring(a.get(i).indexOf(',', 10)),
          b.get(i).substring(b.get(i).indexOf(',', 10)), "same values, other study");
    }
    for (String study : List.of("study-001", "study-002")) {
      String report = Files.readString(out.resolve(study).resolve(BatchRun.REPORT_FILE));
      assertTrue(report.contains("IMPRESSION"), report);
      List<String> events = Files.readAllLines(out.resolve(study).resolve(BatchRun.EVENTS_FILE));
      assertTrue(events.get(events.size() - 1).contains("\"summary\""));
    }
    assertFalse(Files.exists(out.resolve("study-003")), "a failed study has no result folder");
  }

  @Test
  void analyze_batchOutWithSrOut_badInput() throws Exception {
    Result r = run("analyze", "--batch-out", tmp.resolve("out").toString(), "--sr-out",
        tmp.resolve("sr").toString(), AnalyzeCommandTest.EXAMPLE);
    assertEquals(Spoils.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("--batch-out writes every study's events and report itself"),
        r.err());
  }

  @Test
  void progressBar_line_countsWithoutIdentifiers() {
    assertEquals("[" + "#".repeat(10) + " ".repeat(20) + "] 1/3 studies",
        ProgressBar.line(1, 0, 3));
    assertEquals("[" + "#".repeat(30) + "] 3/3 studies, 1 failed", ProgressBar.line(3, 1, 3));
  }

  @Test
  void progressBar_notOnTerminal_drawsNothing() {
    StringWriter w = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(w), false, 3);
    bar.update(1, 0);
    bar.finish();
    assertEquals("", w.toString());
  }

  @Test
  void cell_commaOrQuote_quoted() {
    assertEquals("plain", BatchCsv.cell("plain"));
    assertEquals("\"a, \"\"b\"\"\"", BatchCsv.cell("a, \"b\""));
  }
}
