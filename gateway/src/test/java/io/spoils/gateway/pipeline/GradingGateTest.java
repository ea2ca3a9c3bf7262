package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.trees.DiscFeatures;
import io.spoils.feature.trees.ModelInfo;
import io.spoils.feature.trees.TreeGrade;
import io.spoils.feature.trees.TreeGrader;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which discs are graded: T1-only studies are measured but not graded, T1+T2 studies are graded
 * on the T2 series, and a disc with unmeasured features is graded by the CNN alone (the trees
 * never see NaN). The fake backend's segmentation is the example's expert mask.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class GradingGateTest {

  private static final Path EXAMPLE = AnalysisPipelineTest.EXAMPLE;
  private static final double T1_ECHO_MS = 12;
  private static final double T1_REPETITION_MS = 550;
  private static XgbTreeGrader trees;
  private static GreyImage image;
  private static LabelMap mask;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
    image = ImageFiles.readGrey(EXAMPLE.resolve("image.png"), ExampleDicomGenerator.SPACING);
    mask = ImageFiles.readMask(EXAMPLE.resolve("mask.png"), ExampleDicomGenerator.SPACING);
  }

  /** One sagittal slice of a series with the given timing. */
  private static AnalysisRequest.DicomInput slice(GreyImage img, String seriesUid, int series,
      int instance, double echoMs, double repetitionMs, double x) {
    byte[] dicom = DicomWriter.writeMr(img, MrParams.of(seriesUid).withSeries(series)
        .withInstance(instance).withGeometry(MrParams.sagittal(), new double[] {x, 0, 0})
        .withTiming(echoMs, repetitionMs));
    return new AnalysisRequest.DicomInput("s" + series + "-" + instance + ".dcm", dicom);
  }

  private static List<PipelineEvent> analyze(Vertx vertx, LabelMap segmentation,
      List<AnalysisRequest.DicomInput> files) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    AnalysisPipeline pipeline = new AnalysisPipeline(vertx, ExampleBackend.segmenting(segmentation, 16).withDeadlines(vertx), "fake", trees, PipelineOptions.defaults());
    AnalysisPipelineTest.await(pipeline.analyze(new AnalysisRequest(files, Optional.empty()),
        events::add));
    return events;
  }

  private static List<PipelineEvent.Disc> discs(List<PipelineEvent> events) {
    return events.stream().filter(e -> e instanceof PipelineEvent.Disc)
        .map(e -> (PipelineEvent.Disc) e).toList();
  }

  private static List<PipelineEvent.Warning> warnings(List<PipelineEvent> events, String code) {
    return events.stream().filter(e -> e instanceof PipelineEvent.Warning w
        && w.code().equals(code)).map(e -> (PipelineEvent.Warning) e).toList();
  }

  @Test
  void analyze_t1Only_measuredNotGradedWithWarning(Vertx vertx) throws Exception {
    List<PipelineEvent> events = analyze(vertx, mask, List.of(
        slice(image, DicomWriter.newUid(), 3, 1, T1_ECHO_MS, T1_REPETITION_MS, 0)));
    List<PipelineEvent.Disc> discs = discs(events);
    assertTrue(discs.size() >= 4, "segmented and measured: " + discs.size() + " discs");
    for (PipelineEvent.Disc d : discs) {
      assertFalse(d.graded(), d.level() + " not graded");
      assertTrue(d.cnn().isEmpty() && d.trees().isEmpty(), "no grader ran");
      assertTrue(Double.isFinite(d.geometry().averageHeightMm()) || d.level()
          == DiscLevel.THORACIC, "measured");
    }
    assertEquals(1, warnings(events, GradingGate.NOT_GRADED_T1_ONLY).size());
    assertTrue(warnings(events, GradingGate.NOT_GRADED_T1_ONLY).get(0).message()
        .contains("not graded"));
    PipelineEvent.Summary summary = (PipelineEvent.Summary) events.get(events.size() - 1);
    assertEquals(0, summary.discsGraded());
    assertTrue(summary.worstClass().isEmpty());
    assertTrue(summary.models().stream().noneMatch(m -> m.role() == ModelUse.Role.DISC_GRADING_CNN));
  }

  @Test
  void analyze_t1AndT2Series_gradesOnT2(Vertx vertx) throws Exception {
    // the T1 series has more slices, so only the echo and repetition times make T2 the choice
    String t1 = DicomWriter.newUid();
    String t2 = DicomWriter.newUid();
    List<AnalysisRequest.DicomInput> files = List.of(
        slice(image, t1, 2, 1, T1_ECHO_MS, T1_REPETITION_MS, -4),
        slice(image, t1, 2, 2, T1_ECHO_MS, T1_REPETITION_MS, 0),
        slice(image, t1, 2, 3, T1_ECHO_MS, T1_REPETITION_MS, 4),
        slice(image, t2, 5, 1, ExampleDicomGenerator.ECHO_TIME_MS,
            ExampleDicomGenerator.REPETITION_TIME_MS, 0));
    List<PipelineEvent> events = analyze(vertx, mask, files);
    PipelineEvent.Accepted accepted = (PipelineEvent.Accepted) events.get(0);
    assertEquals(2, accepted.seriesFound());
    assertTrue(accepted.series().t2Weighted(), "the T2 series was chosen");
    assertEquals(1, accepted.series().sliceCount(), "the one-slice T2 series, not the T1");
    assertTrue(warnings(events, GradingGate.NOT_GRADED_T1_ONLY).isEmpty());
    List<PipelineEvent.Disc> lumbar = discs(events).stream()
        .filter(d -> d.level() != DiscLevel.THORACIC).toList();
    assertFalse(lumbar.isEmpty());
    lumbar.forEach(d -> assertTrue(d.graded(), d.level() + " graded"));
  }

  @Test
  void analyze_discCutByImageBorder_gradedByCnnAloneWithWarning(Vertx vertx) throws Exception {
    // crop off the thoracic disc and the top rows of T12-L1, so that T12-L1 touches the border
    // (DISC_PARTIAL: its shape is not measured)
    int top = discTop(mask, 2) + 4;
    List<PipelineEvent> events = analyze(vertx, cropTop(mask, top), List.of(
        slice(cropTop(image, top), DicomWriter.newUid(), 1, 1,
            ExampleDicomGenerator.ECHO_TIME_MS, ExampleDicomGenerator.REPETITION_TIME_MS, 0)));
    List<PipelineEvent.Disc> discs = discs(events);
    PipelineEvent.Disc highest = discs.get(discs.size() - 1);
    assertFalse(DiscFeatures.complete(highest.geometry()), "the cut disc is not fully measured");
    assertEquals(DiscLevel.T12_L1, highest.level());
    assertTrue(highest.cnn().isPresent() && highest.trees().isEmpty(), "CNN alone");
    assertSame(EnsembleGrade.Sources.CNN_ONLY, highest.ensemble().get().sources());
    List<PipelineEvent.Warning> cnnOnly = warnings(events, GradingGate.GRADED_BY_CNN_ONLY);
    assertTrue(cnnOnly.stream().anyMatch(w -> w.level().equals(Optional.of(highest.level()))),
        "a warning names the disc");
    for (PipelineEvent.Disc d : discs) {
      if (d.graded() && DiscFeatures.complete(d.geometry())) {
        assertTrue(d.trees().isPresent(), d.level() + ": complete discs keep the trees");
        assertSame(EnsembleGrade.Sources.CNN_AND_TREES, d.ensemble().get().sources());
      }
    }
  }

  @Test
  void treeGrades_incompleteDiscs_neverReachTheTrees() {
    DiscGeometry complete = new DiscGeometry(DiscLevel.L4_L5, 1, 10, 10, 0, 8, 9, 7, 8, 35, 35,
        280, 0.3, 100, 0.5, 1.2, 0.01, 12, Double.NaN);
    DiscGeometry partial = new DiscGeometry(DiscLevel.L3_L4, 2, 10, 10, 0, Double.NaN,
        Double.NaN, Double.NaN, 8, 35, 35, 280, 0.3, 100, 0.5, 1.2, 0.01, 12, Double.NaN);
    List<List<DiscGeometry>> calls = new ArrayList<>();
    TreeGrader recording = new TreeGrader() {
      @Override
      public TreeGrade grade(DiscGeometry disc) {
        return gradeAll(List.of(disc)).get(0);
      }

      @Override
      public List<TreeGrade> gradeAll(List<DiscGeometry> discs) {
        calls.add(discs);
        return discs.stream().map(trees::grade).toList();
      }

      @Override
      public ModelInfo info() {
        return trees.info();
      }

      @Override
      public void close() {
      }
    };
    List<TreeGrade> grades = GradingGate.treeGrades(recording, List.of(partial, complete,
        partial));
    assertEquals(List.of(List.of(complete)), calls, "one call, complete discs only");
    assertNull(grades.get(0));
    assertEquals(DiscLevel.L4_L5, grades.get(1).level());
    assertNull(grades.get(2));
    assertTrue(GradingGate.treeGrades(recording, List.of(partial)).stream()
        .allMatch(g -> g == null));
    assertEquals(1, calls.size(), "no call without a complete disc");
    assertTrue(GradingGate.cnnOnly(partial).message().contains("anterior_height_mm"));
  }

  @Test
  void sequenceWarning_onlyWithoutT2() {
    PipelineEvent.SeriesSummary t2 = new PipelineEvent.SeriesSummary(
        io.spoils.feature.dicom.Orientation.SAGITTAL, 10, 10, 1, 1,
        java.util.OptionalDouble.empty(), 1, 0, true);
    PipelineEvent.SeriesSummary t1 = new PipelineEvent.SeriesSummary(
        io.spoils.feature.dicom.Orientation.SAGITTAL, 10, 10, 1, 1,
        java.util.OptionalDouble.empty(), 1, 0, false);
    assertTrue(GradingGate.of(t2).sequenceWarning().isEmpty());
    assertEquals(GradingGate.NOT_GRADED_T1_ONLY,
        GradingGate.of(t1).sequenceWarning().get().code());
    DiscGeometry disc = new DiscGeometry(DiscLevel.L4_L5, 1, 10, 10, 0, 8, 9, 7, 8, 35, 35,
        280, 0.3, 100, 0.5, 1.2, 0.01, 12, Double.NaN);
    assertTrue(GradingGate.of(t2).grades(disc));
    assertFalse(GradingGate.of(t1).grades(disc));
  }

  /** The first row of the {@code n}-th disc from the top (1-based; discs apart in rows). */
  private static int discTop(LabelMap m, int n) {
    boolean inDisc = false;
    int seen = 0;
    for (int y = 0; y < m.height(); y++) {
      boolean disc = false;
      for (int x = 0; x < m.width() && !disc; x++) {
        disc = m.get(x, y) == 29;
      }
      if (disc && !inDisc && ++seen == n) {
        return y;
      }
      inDisc = disc;
    }
    throw new IllegalStateException("the mask has fewer than " + n + " discs");
  }

  private static LabelMap cropTop(LabelMap m, int rows) {
    return new LabelMap(m.width(), m.height() - rows, Arrays.copyOfRange(m.labels(),
        rows * m.width(), m.labels().length), m.spacing(), m.scheme());
  }

  private static GreyImage cropTop(GreyImage g, int rows) {
    return new GreyImage(g.width(), g.height() - rows, Arrays.copyOfRange(g.pixels(),
        rows * g.width(), g.pixels().length), g.spacing());
  }
}
