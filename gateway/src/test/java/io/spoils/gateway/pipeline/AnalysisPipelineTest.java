package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.InvalidInputException;
import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.LevelGrade;
import io.spoils.feature.decision.TreatmentRule;
import io.spoils.feature.decision.TreatmentStratum;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.spoils.gateway.testing.ModelAnswers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pipeline on the bundled example with a fake backend whose segmentation is the expert mask. */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class AnalysisPipelineTest {

  static final Path EXAMPLE = Path.of("examples/spider");
  private static XgbTreeGrader trees;
  private static LabelMap mask;
  private static byte[] slice;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) throws Exception {
    trees = defaultTrees;
    mask = ImageFiles.readMask(EXAMPLE.resolve("mask.png"), ExampleDicomGenerator.SPACING);
    slice = Files.readAllBytes(EXAMPLE.resolve("slice.dcm"));
  }

  static AnalysisRequest example(Optional<ClinicalScores> scores) {
    return new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("slice.dcm", slice)), scores);
  }

  private static AnalysisPipeline pipeline(Vertx vertx, ExampleBackend backend, PipelineOptions o) {
    return new AnalysisPipeline(vertx, backend, "fake", trees, o);
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void analyze_eventsInStreamOrder(Vertx vertx) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    ClinicalScores scores = new ClinicalScores(45, 7);
    PipelineEvent.Summary summary = await(pipeline(vertx, ExampleBackend.segmenting(mask, 16).withDeadlines(vertx),
        PipelineOptions.defaults()).analyze(example(Optional.of(scores)), events::add));
    List<PipelineEvent> main = events.stream().filter(e -> !(e instanceof PipelineEvent.Warning))
        .toList();
    assertInstanceOf(PipelineEvent.Accepted.class, main.get(0));
    assertInstanceOf(PipelineEvent.Segmentation.class, main.get(1));
    assertEquals(summary, events.get(events.size() - 1));
    List<PipelineEvent.Disc> discs = discs(events);
    assertEquals(main.size() - 3, discs.size());
    var seg = (PipelineEvent.Segmentation) main.get(1);
    assertEquals(seg.discLevels(), discs.stream().map(PipelineEvent.Disc::level).toList());
    for (int i = 0; i < discs.size(); i++) {
      assertEquals(i, discs.get(i).geometry().indexFromBottom(), "discs from the lowest upward");
    }
  }

  @Test
  void analyze_gradesEveryLumbarDiscWithMeanOfCnnAndTrees(Vertx vertx) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    ClinicalScores scores = new ClinicalScores(45, 7);
    PipelineEvent.Summary summary = await(pipeline(vertx, ExampleBackend.segmenting(mask, 16).withDeadlines(vertx),
        PipelineOptions.defaults()).analyze(example(Optional.of(scores)), events::add));
    TreatmentRule rule = TreatmentRule.withDefaults();
    List<PipelineEvent.Disc> discs = discs(events);
    assertTrue(discs.stream().anyMatch(d -> d.level() == DiscLevel.L5_S1));
    for (PipelineEvent.Disc d : discs) {
      if (d.level() == DiscLevel.THORACIC) {
        assertFalse(d.graded());
        assertEquals(TreatmentStratum.NOT_GRADED, d.decision().stratum());
        continue;
      }
      assertTrue(d.graded(), d.level() + " graded");
      double[] e = d.ensemble().get().probabilities();
      double[] t = d.trees().get().probabilities();
      double sum = 0;
      for (int k = 0; k < e.length; k++) {
        assertEquals((ModelAnswers.CNN[k] + t[k]) / 2, e[k], 1e-6, "ensemble = mean, class " + k);
        sum += e[k];
      }
      assertEquals(1.0, sum, 1e-4);
      assertEquals(rule.decide(new LevelGrade(d.level(), d.ensemble().get().discClass()), scores)
          .stratum(), d.decision().stratum());
    }
    assertEquals(discs.stream().filter(PipelineEvent.Disc::graded).count(), summary.discsGraded());
    assertEquals(rule.decideStudy(discs.stream().map(d -> new LevelGrade(d.level(),
        d.ensemble().map(x -> x.discClass()).orElse(null))).toList(), scores).stratum(),
        summary.decision().stratum());
  }

  @Test
  void analyze_summaryNamesModelsAndTimings(Vertx vertx) throws Exception {
    PipelineEvent.Summary summary = await(pipeline(vertx, ExampleBackend.segmenting(mask, 16).withDeadlines(vertx),
        PipelineOptions.defaults()).analyze(example(Optional.empty()), PipelineSink.discard()));
    assertEquals(List.of(ModelUse.Role.SEGMENTATION, ModelUse.Role.DISC_GRADING_CNN,
        ModelUse.Role.DISC_GRADING_TREES), summary.models().stream().map(ModelUse::role).toList());
    assertEquals("spine_segmentation", summary.models().get(0).name());
    assertEquals("7", summary.models().get(1).version());
    assertEquals(trees.info().version(), summary.models().get(2).version());
    assertEquals(List.of(Stage.values()), List.copyOf(summary.timings().keySet()));
    assertTrue(summary.timings().get(Stage.TOTAL).toNanos() > 0);
    assertTrue(summary.timings().get(Stage.DECODE).toNanos() > 0);
    assertTrue(summary.scores().isEmpty());
    assertTrue(summary.decision().reason().contains(Decider.NO_SCORES)
        || summary.decision().stratum() == TreatmentStratum.NOT_GRADED, summary.decision().reason());
  }

  @Test
  void analyze_splitsCnnBatchesAtMaxBatchSize(Vertx vertx) throws Exception {
    ExampleBackend backend = ExampleBackend.segmenting(mask, 4).withDeadlines(vertx);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    await(pipeline(vertx, backend, PipelineOptions.defaults()).analyze(example(Optional.empty()),
        events::add));
    long lumbar = discs(events).stream().filter(d -> d.level() != DiscLevel.THORACIC).count();
    assertTrue(lumbar > 4, "the example has more lumbar discs than one batch of 4");
    assertEquals(List.of(4, (int) lumbar - 4), backend.gradingBatchSizes());
  }

  @Test
  void analyze_firstDiscEventLeavesBeforeLastBatchAnswers(Vertx vertx) throws Exception {
    ExampleBackend backend = ExampleBackend.segmenting(mask, 4).withDeadlines(vertx);
    Promise<Void> second = backend.holdGradingCall(1);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    Future<PipelineEvent.Summary> result = pipeline(vertx, backend, PipelineOptions.defaults())
        .analyze(example(Optional.empty()), events::add);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (discs(events).size() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(4, discs(events).size(), "the first batch's discs are out");
    assertFalse(events.stream().anyMatch(e -> e instanceof PipelineEvent.Summary));
    vertx.runOnContext(v -> second.complete());
    await(result);
    assertInstanceOf(PipelineEvent.Summary.class, events.get(events.size() - 1));
  }

  @Test
  void analyze_includeMask_rendersAnatomyMap(Vertx vertx) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    await(pipeline(vertx, ExampleBackend.segmenting(mask, 16).withDeadlines(vertx),
        PipelineOptions.defaults().withIncludeMask(true)).analyze(example(Optional.empty()),
        events::add));
    var seg = events.stream().filter(e -> e instanceof PipelineEvent.Segmentation)
        .map(e -> (PipelineEvent.Segmentation) e).findFirst().orElseThrow();
    // the reference mask back from the model's 0.8 mm grid: class borders move by up to a pixel,
    // and the lowest disc is the lumbosacral disc (31)
    byte[] semantic = seg.semanticMap().orElseThrow().labels();
    int differ = 0;
    for (int p = 0; p < semantic.length; p++) {
      int want = mask.labels()[p] & 0xFF;
      int got = semantic[p] & 0xFF;
      differ += want == got || want == 29 && got == 31 ? 0 : 1;
    }
    assertTrue(differ < semantic.length / 50, "segmentation is the reference mask: " + differ
        + " pixels differ");
    LabelMap anatomy = seg.anatomyMap().orElseThrow();
    assertEquals(LabelMap.Scheme.ANATOMY14, anatomy.scheme());
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (byte b : anatomy.labels()) {
      ids.add(b & 0xFF);
    }
    assertTrue(ids.contains(AnatomyLabel.DISC_L5_S1.id()));
    assertTrue(ids.contains(AnatomyLabel.L5.id()), "the example shows no sacrum, L5 is the lowest body");
    assertTrue(ids.contains(AnatomyLabel.CANAL.id()));
    assertTrue(ids.stream().allMatch(i -> i < AnatomyLabel.COUNT));
  }

  @Test
  void analyze_notDicom_invalidInput(Vertx vertx) {
    var request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("a.txt",
        "hello".getBytes())), Optional.empty());
    assertBadInput(vertx, request, "DICOM");
  }

  @Test
  void analyze_noSagittalSeries_invalidInput(Vertx vertx) {
    GreyImage image = new GreyImage(64, 64, new float[64 * 64], ExampleDicomGenerator.SPACING);
    byte[] axial = DicomWriter.writeMr(image, MrParams.of(DicomWriter.newUid())
        .withGeometry(MrParams.axial(), new double[3]));
    var request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("ax", axial)),
        Optional.empty());
    assertBadInput(vertx, request, "no sagittal series");
  }

  @Test
  void analyze_noDiscSegmented_noSpineFound(Vertx vertx) {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    Exception e = assertThrows(Exception.class, () -> await(pipeline(vertx,
        ExampleBackend.segmenting(null, 16).withDeadlines(vertx), PipelineOptions.defaults())
        .analyze(example(Optional.empty()), events::add)));
    assertInstanceOf(InvalidInputException.class, e);
    assertTrue(e.getMessage().startsWith("no spine found in the image"), e.getMessage());
    assertFalse(events.stream().anyMatch(x -> x instanceof PipelineEvent.Summary));
    assertFalse(events.stream().anyMatch(x -> x instanceof PipelineEvent.Disc));
  }

  @Test
  void analyze_unreadableFileBesideImage_skippedWithWarning(Vertx vertx) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    var request = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("notes.txt",
        "x".getBytes()), new AnalysisRequest.DicomInput("slice.dcm", slice)), Optional.empty());
    await(pipeline(vertx, ExampleBackend.segmenting(mask, 16).withDeadlines(vertx), PipelineOptions.defaults())
        .analyze(request, events::add));
    assertTrue(events.stream().anyMatch(e -> e instanceof PipelineEvent.Warning w
        && w.code().equals("FILE_SKIPPED")));
  }

  @Test
  void request_scoresOutOfRangeOrNoFiles_invalidInput() {
    assertThrows(InvalidInputException.class, () -> new ClinicalScores(101, 5));
    assertThrows(InvalidInputException.class, () -> new ClinicalScores(40, 11));
    assertThrows(InvalidInputException.class, () -> new AnalysisRequest(List.of(), Optional.empty()));
  }

  @Test
  void analyze_segmentationPastDeadline_deadlineExceededWithoutSummary(Vertx vertx) {
    ExampleBackend backend = ExampleBackend.segmenting(mask, 16).withDeadlines(vertx);
    backend.hangSegmentation();
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    Exception e = assertThrows(Exception.class, () -> await(pipeline(vertx, backend,
        PipelineOptions.defaults().withTimeout(Duration.ofMillis(1500)))
        .analyze(example(Optional.empty()), events::add)));
    assertInstanceOf(BackendException.class, e);
    assertEquals(BackendStatus.DEADLINE_EXCEEDED, ((BackendException) e).status());
    assertInstanceOf(PipelineEvent.Accepted.class, events.get(0));
    assertFalse(events.stream().anyMatch(x -> x instanceof PipelineEvent.Summary));
  }

  private void assertBadInput(Vertx vertx, AnalysisRequest request, String reason) {
    Exception e = assertThrows(Exception.class, () -> await(pipeline(vertx,
        ExampleBackend.segmenting(mask, 16).withDeadlines(vertx), PipelineOptions.defaults())
        .analyze(request, PipelineSink.discard())));
    assertInstanceOf(InvalidInputException.class, e);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  static List<PipelineEvent.Disc> discs(List<PipelineEvent> events) {
    return events.stream().filter(e -> e instanceof PipelineEvent.Disc)
        .map(e -> (PipelineEvent.Disc) e).toList();
  }
}
