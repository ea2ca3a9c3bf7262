package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.backend.BackendException;
import io.spoils.gateway.backend.BackendStatus;
import io.spoils.gateway.backend.InferenceBackend;
import io.spoils.gateway.backend.ModelRegistry;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A series of several slices through the pipeline ({@link SyntheticSeries}): every slice is
 * segmented in batches, the measured slice is chosen by anatomy (not the geometric centre), and
 * volumes sum each disc over its slices; a one-slice study is analysed as before.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class SeriesAnalysisTest {

  private static XgbTreeGrader trees;
  private static SyntheticSeries series;

  @BeforeAll
  static void load(XgbTreeGrader defaultTrees) {
    trees = defaultTrees;
    series = new SyntheticSeries();
  }

  private static List<PipelineEvent> analyze(Vertx vertx, InferenceBackend backend,
      AnalysisRequest request) throws Exception {
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    AnalysisPipelineTest.await(new AnalysisPipeline(vertx, backend, "fake", trees,
        PipelineOptions.defaults()).analyze(request, events::add));
    return events;
  }

  private static <T extends PipelineEvent> List<T> of(List<PipelineEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Test
  void series_measuresTheWidestCanalSlice_notTheGeometricCentre(Vertx vertx) throws Exception {
    ExampleBackend backend = ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE);
    AnalysisRequest request = series.request(true, false);
    List<PipelineEvent> events = analyze(vertx, backend, request);
    PipelineEvent.Accepted accepted = of(events, PipelineEvent.Accepted.class).get(0);
    assertEquals(SyntheticSeries.SLICES, accepted.series().sliceCount());
    assertEquals(SyntheticSeries.CENTRE, accepted.series().midSliceIndex());
    assertEquals(SyntheticSeries.SPACING_MM, accepted.series().sliceSpacingMm().getAsDouble(),
        1e-9);
    PipelineEvent.MeasuredSlice m = of(events, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    assertEquals(SyntheticSeries.WIDEST_CANAL, m.index());
    assertEquals(SyntheticSeries.SLICES - SyntheticSeries.WIDEST_CANAL,
        m.instanceNumber().getAsInt());
    assertEquals(SyntheticSeries.CENTRE, m.geometricCentre());
    assertEquals(SyntheticSeries.SLICES, m.scoresMm2().size());
    assertEquals(m.scoresMm2().get(m.index()), m.scoreMm2(), 1e-9);
    assertEquals(0.0, m.scoresMm2().get(SyntheticSeries.DISC_SLICES), "no disc on slice 5");
    assertTrue(m.reason().startsWith("largest spinal canal area"), m.reason());
    // identifiers, for viewers and PACS: the measured file's SOP Instance UID, the series' UIDs
    io.spoils.feature.dicom.DicomSlice measuredFile = io.spoils.feature.dicom.DicomReader.create()
        .read(request.files().get(m.index()).data());
    assertEquals(measuredFile.sopInstanceUid(), m.sopInstanceUid());
    assertEquals(measuredFile.seriesInstanceUid(), accepted.series().seriesInstanceUid());
    // (DicomWriter gives each synthetic file its own study: the summary has the centre file's)
    assertEquals(io.spoils.feature.dicom.DicomReader.create().read(request.files()
        .get(SyntheticSeries.CENTRE).data()).studyInstanceUid(),
        accepted.series().studyInstanceUid());
    assertFalse(m.sopInstanceUid().isEmpty());
    // every slice segmented, in requests of at most max_batch_size (4): the centre whole, every
    // slice in the spine's box, then the measured slice (not the centre) whole
    assertEquals(SyntheticSeries.SLICES + 2, backend.slicesSegmented());
    assertTrue(backend.segmentationBatches().stream().allMatch(n -> n <= 4),
        backend.segmentationBatches().toString());
    // without compute_volume: no volume
    for (PipelineEvent.Disc d : of(events, PipelineEvent.Disc.class)) {
      assertTrue(Double.isNaN(d.geometry().volumeMm3()));
      assertEquals(0, d.volumeSlices());
    }
    assertEquals(1, of(events, PipelineEvent.Summary.class).size());
  }

  @Test
  void series_backendBatchLimitTwo_sameAnalysisInRequestsOfTwo(Vertx vertx) throws Exception {
    List<PipelineEvent> four = analyze(vertx, ExampleBackend.forSeries(series.masks(),
        SyntheticSeries.CENTRE), series.request(true, true));
    ExampleBackend backend = ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE)
        .withBatchLimit(2);
    List<PipelineEvent> two = analyze(vertx, backend, series.request(true, true));
    // pass 1 (the centre), pass 2 (the 7 slices in the box, in requests of 2 at most, sent in
    // the series' order: the answers are the masks of the slices in that order), pass 3
    assertEquals(List.of(1, 2, 2, 2, 1, 1), backend.segmentationBatches());
    PipelineEvent.MeasuredSlice a = of(four, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    PipelineEvent.MeasuredSlice b = of(two, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    assertEquals(SyntheticSeries.WIDEST_CANAL, b.index());
    assertEquals(a.scoresMm2(), b.scoresMm2());
    List<PipelineEvent.Disc> discsA = of(four, PipelineEvent.Disc.class);
    List<PipelineEvent.Disc> discsB = of(two, PipelineEvent.Disc.class);
    assertEquals(discsA.size(), discsB.size());
    for (int i = 0; i < discsA.size(); i++) {
      assertEquals(discsA.get(i).geometry().volumeMm3(), discsB.get(i).geometry().volumeMm3(), 0);
      assertEquals(discsA.get(i).volumeSlices(), discsB.get(i).volumeSlices());
    }
  }

  @Test
  void series_slowBackendOneSlicePerRequest_atMostTwoRequestsPerLaneOut(Vertx vertx)
      throws Exception {
    List<PipelineEvent> reference = analyze(vertx, ExampleBackend.forSeries(series.masks(),
        SyntheticSeries.CENTRE), series.request(true, true));
    ExampleBackend backend = ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE)
        .withBatchLimit(1).withSegmentationDelay(vertx, 100);
    List<PipelineEvent> events = analyze(vertx, backend, series.request(true, true));
    // the 7 boxed slices go one per request; a series keeps at most two requests per lane in
    // the backend (a series of 64 slices would otherwise fill the embedded backend's queue alone)
    assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1), backend.segmentationBatches());
    int most = backend.mostOutstandingSegmentationCalls();
    assertTrue(most <= SeriesSegmenter.OUT_PER_LANE * SeriesSegmenter.CHUNKS, "" + most);
    assertTrue(most >= 2, "requests of one series overlap: " + most);
    assertEquals(of(reference, PipelineEvent.Segmentation.class).get(0).measuredSlice()
        .scoresMm2(), of(events, PipelineEvent.Segmentation.class).get(0).measuredSlice()
        .scoresMm2());
  }

  @Test
  void series_passTwoRequestFails_unavailable(Vertx vertx) {
    // call 0: pass 1; calls 1-4: pass 2 in requests of 2; call 2 fails
    ExampleBackend backend = ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE)
        .withBatchLimit(2).failSegmentationCall(2);
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    Exception e = assertThrows(Exception.class, () -> AnalysisPipelineTest.await(
        new AnalysisPipeline(vertx, backend, "fake", trees, PipelineOptions.defaults())
            .analyze(series.request(true, true), events::add)));
    assertInstanceOf(BackendException.class, e);
    assertEquals(BackendStatus.UNAVAILABLE, ((BackendException) e).status());
    assertTrue(backend.calls(ModelRegistry.SEGMENTATION.name()) >= 3);
    assertTrue(events.stream().noneMatch(x -> x instanceof PipelineEvent.Summary));
  }

  @Test
  void series_computeVolume_sumsEachDiscOverItsSlices(Vertx vertx) throws Exception {
    List<PipelineEvent> events = analyze(vertx,
        ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE), series.request(true, true));
    List<PipelineEvent.Disc> discs = of(events, PipelineEvent.Disc.class);
    assertFalse(discs.isEmpty());
    double pixelArea = ExampleDicomGenerator.SPACING.pixelAreaMm2();
    double total = 0;
    List<Double> areas = series.discAreasMm2FromBottom();
    assertEquals(areas.size(), discs.size());
    for (int i = 0; i < discs.size(); i++) {
      DiscGeometry g = discs.get(i).geometry();
      assertEquals(SyntheticSeries.DISC_SLICES, discs.get(i).volumeSlices(),
          g.level().displayName());
      // the disc's area on the expert mask, on each of its five slices
      assertEquals(SyntheticSeries.DISC_SLICES * SyntheticSeries.SPACING_MM * areas.get(i),
          g.volumeMm3(), SyntheticSeries.VOLUME_TOLERANCE * g.volumeMm3(),
          g.level().displayName());
      total += g.volumeMm3();
    }
    // every disc pixel of the mask, five times, is in one disc's volume (the segmentation's
    // 0.8 mm grid moves class borders by up to a pixel)
    assertEquals(series.discPixels() * pixelArea * SyntheticSeries.DISC_SLICES
        * SyntheticSeries.SPACING_MM, total, 0.03 * total);
    assertTrue(of(events, PipelineEvent.Warning.class).stream()
        .noneMatch(w -> w.code().startsWith("VOLUME") || w.code().startsWith("SLICE_SPACING")));
  }

  @Test
  void series_enhancedMultiFrame_analysedAsTheSingleFrameSeries(Vertx vertx) throws Exception {
    List<PipelineEvent> classic = analyze(vertx,
        ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE), series.request(true, true));
    List<PipelineEvent> enhanced = analyze(vertx,
        ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE),
        series.enhancedRequest(true));
    PipelineEvent.Accepted accepted = of(enhanced, PipelineEvent.Accepted.class).get(0);
    assertEquals(1, accepted.filesReceived());
    assertEquals(SyntheticSeries.SLICES, accepted.series().sliceCount());
    assertEquals(SyntheticSeries.SPACING_MM, accepted.series().sliceSpacingMm().getAsDouble(),
        1e-9);
    PipelineEvent.MeasuredSlice a = of(classic, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    PipelineEvent.MeasuredSlice b = of(enhanced, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    assertEquals(SyntheticSeries.WIDEST_CANAL, b.index());
    assertEquals(a.index(), b.index());
    assertEquals(a.scoresMm2(), b.scoresMm2());
    List<PipelineEvent.Disc> discsA = of(classic, PipelineEvent.Disc.class);
    List<PipelineEvent.Disc> discsB = of(enhanced, PipelineEvent.Disc.class);
    assertEquals(discsA.size(), discsB.size());
    for (int i = 0; i < discsA.size(); i++) {
      assertEquals(discsA.get(i).geometry().level(), discsB.get(i).geometry().level());
      assertEquals(discsA.get(i).geometry().volumeMm3(), discsB.get(i).geometry().volumeMm3(),
          1e-9);
      assertEquals(discsA.get(i).volumeSlices(), discsB.get(i).volumeSlices());
    }
    assertTrue(of(enhanced, PipelineEvent.Warning.class).stream()
        .noneMatch(w -> w.code().startsWith("FILE_SKIPPED") || w.code().startsWith("VOLUME")));
  }

  @Test
  void series_withoutPositions_takesTheSliceThicknessWithAWarning(Vertx vertx) throws Exception {
    List<PipelineEvent> events = analyze(vertx,
        ExampleBackend.forSeries(series.masks(), SyntheticSeries.CENTRE), series.request(false, true));
    assertTrue(of(events, PipelineEvent.Warning.class).stream()
        .anyMatch(w -> w.code().equals("SLICE_SPACING_ASSUMED")), events.toString());
    PipelineEvent.Disc d = of(events, PipelineEvent.Disc.class).get(0);
    // MrParams' slice thickness: 4 mm
    assertEquals(SyntheticSeries.DISC_SLICES * 4.0 * series.discAreasMm2FromBottom().get(0),
        d.geometry().volumeMm3(),
        SyntheticSeries.VOLUME_TOLERANCE * d.geometry().volumeMm3());
  }

  @Test
  void oneSlice_measuredAsBefore_volumeAskedGetsAWarning(Vertx vertx) throws Exception {
    AnalysisRequest one = new AnalysisRequest(List.of(new AnalysisRequest.DicomInput("slice.dcm",
        Files.readAllBytes(AnalysisPipelineTest.EXAMPLE.resolve("slice.dcm")))), Optional.empty());
    List<PipelineEvent> plain = analyze(vertx, new ExampleBackend(7, 16).withDeadlines(vertx), one);
    PipelineEvent.MeasuredSlice m = of(plain, PipelineEvent.Segmentation.class).get(0)
        .measuredSlice();
    assertEquals(0, m.index());
    assertEquals("the series has one slice", m.reason());
    assertTrue(m.scoresMm2().isEmpty());
    assertTrue(of(plain, PipelineEvent.Warning.class).stream()
        .noneMatch(w -> w.code().equals("VOLUME_NOT_COMPUTED")));

    List<PipelineEvent> asked = analyze(vertx, new ExampleBackend(7, 16).withDeadlines(vertx),
        one.withComputeVolume(true));
    assertTrue(of(asked, PipelineEvent.Warning.class).stream()
        .anyMatch(w -> w.code().equals("VOLUME_NOT_COMPUTED")));
    List<PipelineEvent.Disc> before = of(plain, PipelineEvent.Disc.class);
    List<PipelineEvent.Disc> after = of(asked, PipelineEvent.Disc.class);
    assertEquals(before.stream().map(PipelineEvent.Disc::geometry).toList(),
        after.stream().map(PipelineEvent.Disc::geometry).toList());
    assertEquals(1, of(asked, PipelineEvent.Summary.class).size());
  }
}
