package io.spoils.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.gateway.tooling.SeriesEvaluation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateSeriesCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Spoils.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void evaluateSeries_folderWithoutSlices_exit2(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("split.json"), "{\"validation\": [11]}");
    assertEquals(2, run("evaluate-series", "--t2space", tmp.toString(), "--split",
        tmp.resolve("split.json").toString()));
    assertEquals("spoils: --t2space has no slices.csv", err.toString().strip());
  }

  @Test
  void everyNth_countedFromTheCentre_spacingScaled() {
    List<GreyImage> images = new ArrayList<>();
    List<LabelMap> masks = new ArrayList<>();
    PixelSpacing px = new PixelSpacing(1, 1);
    for (int k = 0; k < 13; k++) {
      images.add(new GreyImage(2, 2, new float[] {k, k, k, k}, px));
      masks.add(new LabelMap(2, 2, new byte[4], px, LabelMap.Scheme.SPIDER));
    }
    SeriesEvaluation.PatientSeries thinned = SeriesEvaluation.everyNth(
        new SeriesEvaluation.PatientSeries(7, images, masks, 7, 1.0), 3);
    // slices 1, 4, 7, 10: the centre (7) kept, index 2 of the four
    assertEquals(4, thinned.images().size());
    assertEquals(1f, thinned.images().get(0).get(0, 0));
    assertEquals(2, thinned.referenceCentre());
    assertEquals(3.0, thinned.spacingMm());
  }

  @Test
  void evaluateSeries_validationPatients_passesAgainstEverySliceWholeAndTheExperts(
      @TempDir Path tmp) throws Exception {
    EvaluateGradingCommandTest.assumeDataAndModels();
    Path report = tmp.resolve("series.json");
    assertEquals(0, run("evaluate-series", "--t2space",
        EvaluateGradingCommandTest.t2space().toString(), "--split",
        EvaluateGradingCommandTest.REPO.resolve("triton-models/training/split.json").toString(),
        "--every", "4", "--models",
        EvaluateGradingCommandTest.REPO.resolve("triton-models").toString(), "--out",
        report.toString()), err.toString());
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    assertEquals(6, r.get("patients").asInt());
    assertEquals(6, r.get("per_patient").size());
    for (String score : List.of("measured_slice_reference_score_passes",
        "measured_slice_reference_score_every_slice_whole")) {
      double s = r.get(score).asDouble();
      assertTrue(s > 0 && s <= 1, score + " " + s);
    }
    assertTrue(r.get("discs_compared").asInt() >= 30, r.toString());
    assertTrue(r.get("volume_error_passes_vs_reference").asDouble() >= 0);
    assertTrue(out.toString().contains("reference score of the measured slice"), out.toString());
    // the measured slice's map against its expert mask, per class, both ways
    for (String run : List.of("measured_slice_dice_passes",
        "measured_slice_dice_every_slice_whole")) {
      for (String c : List.of("disc", "vertebra", "canal")) {
        double d = r.get(run).get(c).asDouble();
        assertTrue(d > 0.5 && d <= 1, run + " " + c + " " + d);
      }
    }
  }

  @Test
  void overlap_mapAgainstMask_perClassBothAndEach() {
    PixelSpacing px = new PixelSpacing(1, 1);
    // map: disc, lumbosacral disc (counts as disc), vertebra, canal, background
    LabelMap map = new LabelMap(5, 1, new byte[] {29, 31, 76, (byte) 150, 0}, px,
        LabelMap.Scheme.SPIDER);
    LabelMap mask = new LabelMap(5, 1, new byte[] {29, 29, 29, (byte) 150, (byte) 150}, px,
        LabelMap.Scheme.SPIDER);
    long[][] o = SeriesEvaluation.overlap(map, mask);
    // disc: both 2, map 2, mask 3; vertebra: 0, 1, 0; canal: 1, 1, 2
    assertEquals(List.of(2L, 2L, 3L), List.of(o[0][0], o[0][1], o[0][2]));
    assertEquals(List.of(0L, 1L, 0L), List.of(o[1][0], o[1][1], o[1][2]));
    assertEquals(List.of(1L, 1L, 2L), List.of(o[2][0], o[2][1], o[2][2]));
    SeriesEvaluation.Run run = new SeriesEvaluation.Run(0, java.util.Map.of(), o);
    var dice = SeriesEvaluation.pooledDice(List.<SeriesEvaluation.Run[]>of(
        new SeriesEvaluation.Run[] {run, run}), 0);
    assertEquals(0.8, dice.get("disc"), 1e-9);
    assertEquals(0.0, dice.get("vertebra"), 1e-9);
    assertEquals(0.667, dice.get("canal"), 1e-9);
  }
}
