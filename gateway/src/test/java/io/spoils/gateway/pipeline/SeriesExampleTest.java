package io.spoils.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.dicom.DicomSlice;
import io.spoils.feature.dicom.SagittalT2;
import io.spoils.feature.dicom.StudyAssembler;
import io.spoils.feature.image.ImageFiles;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.trees.XgbTreeGrader;
import io.spoils.gateway.testing.DefaultTrees;
import io.spoils.gateway.testing.ExampleBackend;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bundled series {@code examples/spider-series} is what {@link SeriesExampleGenerator} makes:
 * one sagittal T2 series of ten slices, 1 mm apart, each file small; with SPIDER's reference masks
 * as its segmentation, SPIDER's own centre slice (largest canal area) gets the highest score, and
 * its neighbour at the series' geometric centre, within 5 % of it, is measured.
 */
@ExtendWith(VertxExtension.class)
@ExtendWith(DefaultTrees.class)
class SeriesExampleTest {

  private static final Path DIR = Path.of("examples/spider-series");
  private static final Path SPIDER = Path.of(System.getProperty("spoils.data.spider",
      "../../shared/data/spider-t2space"));

  private static List<DicomSlice> slices() {
    List<DicomSlice> out = new ArrayList<>();
    for (int k = 0; k < SeriesExampleGenerator.COUNT; k++) {
      out.add(DicomReader.create().read(DIR.resolve(SeriesExampleGenerator.fileName(k))));
    }
    return out;
  }

  @Test
  void files_oneSagittalT2SeriesOfTenSmallSlices() throws Exception {
    for (int k = 0; k < SeriesExampleGenerator.COUNT; k++) {
      assertTrue(Files.size(DIR.resolve(SeriesExampleGenerator.fileName(k))) < 300_000);
    }
    SagittalT2 chosen = StudyAssembler.chooseSagittalT2(StudyAssembler.assemble(slices()));
    assertTrue(chosen.t2Weighted());
    assertEquals(SeriesExampleGenerator.COUNT, chosen.series().size());
    assertTrue(chosen.series().orderedByPosition());
    // the geometric centre is the fifth slice; SPIDER's centre slice is the fourth
    assertEquals(4, chosen.midIndex());
    for (int k = 0; k < SeriesExampleGenerator.COUNT; k++) {
      DicomSlice s = chosen.series().slices().get(k);
      assertEquals(k + 1, s.instanceNumber());
      assertEquals(SeriesExampleGenerator.SPACING_BETWEEN_SLICES_MM, s.spacingBetweenSlicesMm());
      assertEquals(SeriesExampleGenerator.SPACING, s.spacing());
    }
  }

  @Test
  void files_decodeToTheSpiderPngs() {
    assumeTrue(Files.isDirectory(SPIDER), "SPIDER data not found at " + SPIDER);
    List<DicomSlice> slices = slices();
    for (int k = 0; k < slices.size(); k++) {
      assertArrayEquals(ImageFiles.readGrey(SeriesExampleGenerator.png(SPIDER, k),
          SeriesExampleGenerator.SPACING).pixels(), slices.get(k).image().pixels());
    }
  }

  @Test
  void pipeline_withReferenceMasks_measuresSpiderCentreSlice(Vertx vertx, XgbTreeGrader trees)
      throws Exception {
    assumeTrue(Files.isDirectory(SPIDER), "SPIDER data not found at " + SPIDER);
    List<LabelMap> masks = new ArrayList<>();
    List<AnalysisRequest.DicomInput> files = new ArrayList<>();
    for (int k = 0; k < SeriesExampleGenerator.COUNT; k++) {
      masks.add(ImageFiles.readMask(SPIDER.resolve("masks").resolve(SeriesExampleGenerator
          .png(SPIDER, k).getFileName()), SeriesExampleGenerator.SPACING));
      String name = SeriesExampleGenerator.fileName(k);
      files.add(new AnalysisRequest.DicomInput(name, Files.readAllBytes(DIR.resolve(name))));
    }
    List<PipelineEvent> events = new CopyOnWriteArrayList<>();
    AnalysisPipelineTest.await(new AnalysisPipeline(vertx, ExampleBackend.forSeries(masks, 4),
        "fake", trees, PipelineOptions.defaults()).analyze(new AnalysisRequest(files,
            Optional.empty(), true), events::add));
    PipelineEvent.MeasuredSlice m = events.stream()
        .filter(e -> e instanceof PipelineEvent.Segmentation)
        .map(e -> ((PipelineEvent.Segmentation) e).measuredSlice()).findFirst().orElseThrow();
    // SPIDER's centre slice (largest reference canal area) scores highest; the geometric centre,
    // the next slice, is within 5 % of it, so the tie-break measures the geometric centre
    int spiderCentre = SeriesExampleGenerator.CENTRE_SLICE - SeriesExampleGenerator.FIRST_SLICE;
    // (the other slices are read in the spine's box, the geometric centre whole: their scores
    // may differ by a few hundredths of a percent where the reference's differ by less)
    for (int k = 0; k < m.scoresMm2().size(); k++) {
      assertTrue(m.scoresMm2().get(k) <= 1.001 * m.scoresMm2().get(spiderCentre),
          m.scoresMm2().toString());
    }
    assertEquals(4, m.geometricCentre());
    assertEquals(4, m.index(), m.reason());
    assertTrue(m.reason().contains("within 5 %"), m.reason());
    events.stream().filter(e -> e instanceof PipelineEvent.Disc)
        .map(e -> (PipelineEvent.Disc) e)
        .forEach(d -> assertTrue(d.volumeSlices() > 1 && d.geometry().volumeMm3() > 0,
            d.level().displayName()));
  }
}
