package io.spoils.proto.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON mapping frontends see (protobuf's canonical proto3 JSON): every event kind survives a
 * round trip, names are lowerCamelCase, enums are their stable names, absent optional values are
 * left out and present ones are kept even when zero.
 */
class AnalysisEventJsonTest {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private static final String ANALYSIS_ID = "5f0c2a7e-3b1d-4e8a-9c61-0d2f4b7a9e13";

  private static AnalysisEvent.Builder envelope(int sequence, double elapsedMs) {
    return AnalysisEvent.newBuilder()
        .setAnalysisId(ANALYSIS_ID).setSequence(sequence).setElapsedMs(elapsedMs);
  }

  private static AnalysisEvent accepted() {
    SeriesInfo series = SeriesInfo.newBuilder()
        .setOrientation(Orientation.ORIENTATION_SAGITTAL).setRows(512).setColumns(512)
        .setRowSpacingMm(0.5859).setColumnSpacingMm(0.5859).setSliceSpacingMm(3.3)
        .setSliceCount(15).setMidSliceIndex(7).build();
    return envelope(1, 41.5).setAccepted(StudyAccepted.newBuilder()
        .setFilesReceived(47).setSeriesFound(3).setSeries(series)).build();
  }

  private static AnalysisEvent segmentation() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
    return envelope(2, 180.25).setSegmentation(SegmentationDone.newBuilder()
        .addAllDiscLevels(List.of(DiscLevel.DISC_LEVEL_L5_S1, DiscLevel.DISC_LEVEL_L4_L5,
            DiscLevel.DISC_LEVEL_L3_L4))
        .addAllVertebraLevels(List.of(VertebraLevel.VERTEBRA_LEVEL_SACRUM,
            VertebraLevel.VERTEBRA_LEVEL_L5, VertebraLevel.VERTEBRA_LEVEL_L4))
        .addVertebrae(VertebraGeometry.newBuilder().setLevel(VertebraLevel.VERTEBRA_LEVEL_L5)
            .setIndexFromBottom(1).setCentroidXPx(251.4).setCentroidYPx(388.9)
            .setHeightMm(27.1).setWidthMm(38.6).setAreaMm2(1012.5))
        .setMask(LabelMask.newBuilder().setWidthPx(512).setHeightPx(512)
            .setPng(ByteString.copyFrom(png)).setRowSpacingMm(0.5859).setColumnSpacingMm(0.5859)))
        .build();
  }

  private static ClassProbabilities distribution(String model, String version, float top) {
    ClassProbabilities.Builder b = ClassProbabilities.newBuilder()
        .setModelName(model).setModelVersion(version);
    float rest = (1f - top) / 10f;
    for (int number = 1; number <= 11; number++) {
      b.addEntries(ClassProbability.newBuilder().setDiscClass(DiscClass.forNumber(number))
          .setProbability(number == DiscClass.DISC_CLASS_4M_VALUE ? top : rest));
    }
    return b.build();
  }

  private static AnalysisEvent disc() {
    DiscGeometry geometry = DiscGeometry.newBuilder()
        .setLevel(DiscLevel.DISC_LEVEL_L4_L5).setIndexFromBottom(1)
        .setCentroidXPx(262.75).setCentroidYPx(371.5).setTiltDeg(-8.25)
        .setAnteriorHeightMm(11.2).setCentralHeightMm(9.6).setPosteriorHeightMm(6.1)
        .setAverageHeightMm(8.9).setAverageWidthMm(41.3).setMidWidthMm(42.0).setAreaMm2(367.6)
        .setHeightIndex(0.31).setSignalMean(212.0).setSignalRatioToCsf(0.38)
        .setSignalRatioToVertebra(1.12).setSignalDiffToNeighbours(-0.21)
        .setCanalApDiameterMm(13.4).build();
    return envelope(3, 402.0).setDisc(DiscResult.newBuilder()
        .setLevel(DiscLevel.DISC_LEVEL_L4_L5).setGeometry(geometry)
        .setCnn(distribution("disc-grade-cnn", "2", 0.62f))
        .setTrees(distribution("disc-grade-xgb", "5", 0.55f))
        .setEnsemble(distribution("ensemble", "1", 0.6f))
        .setPfirrmannGrade(4).setSeverity(Severity.SEVERITY_MEDIUM)
        .setDiscClass(DiscClass.DISC_CLASS_4M).setConfidence(0.6f)
        .addContributions(FeatureContribution.newBuilder().setFeature("signal_ratio_to_csf")
            .setValue(0.38).setContribution(0.91))
        .addContributions(FeatureContribution.newBuilder().setFeature("height_index")
            .setValue(0.31).setContribution(-0.12))
        .setStratum(TreatmentStratum.TREATMENT_STRATUM_EPIDURAL_STEROID_INJECTION)
        .setStratumReason("Moderate degeneration with reduced disc height at L4-L5."))
        .build();
  }

  private static AnalysisEvent warning() {
    return envelope(4, 405.5).setWarning(Warning.newBuilder().setCode("TRANSITIONAL_ANATOMY")
        .setMessage("Six lumbar-type vertebrae found; levels counted from the sacrum.")
        .setLevel(DiscLevel.DISC_LEVEL_L5_S1)).build();
  }

  private static AnalysisEvent summary() {
    return envelope(5, 512.0).setSummary(AnalysisSummary.newBuilder()
        .setStratum(TreatmentStratum.TREATMENT_STRATUM_EPIDURAL_STEROID_INJECTION)
        .setStratumReason("Worst disc L4-L5 is grade 4M; ODI 38 % with moderate pain.")
        .setWorstLevel(DiscLevel.DISC_LEVEL_L4_L5).setWorstClass(DiscClass.DISC_CLASS_4M)
        .setClinical(ClinicalScores.newBuilder().setOdiPercent(38.0).setNrs(0))
        .addTimings(StageTiming.newBuilder().setStage(Stage.STAGE_SEGMENTATION)
            .setDurationMs(131.5))
        .addTimings(StageTiming.newBuilder().setStage(Stage.STAGE_TOTAL).setDurationMs(512.0))
        .addModels(ModelInfo.newBuilder().setName("spine-seg-unet").setVersion("3")
            .setRole(ModelRole.MODEL_ROLE_SEGMENTATION).setBackend("onnxruntime-cuda")
            .setCardSummary("U-Net trained on SPIDER sagittal T2; adults only.")
            .setProvenance("sha256:9b1e4c"))
        .setDiscsGraded(5)
        .setDisclaimer("Decision support for clinicians, not a diagnosis."))
        .build();
  }

  private static <T extends Message> T roundTrip(T message, Message.Builder into)
      throws InvalidProtocolBufferException {
    PARSER.merge(PRINTER.print(message), into);
    @SuppressWarnings("unchecked")
    T back = (T) into.build();
    return back;
  }

  @Test
  void roundTrip_everyEventKind() throws Exception {
    for (AnalysisEvent event : List.of(accepted(), segmentation(), disc(), warning(), summary())) {
      assertEquals(event, roundTrip(event, AnalysisEvent.newBuilder()), event.getEventCase()
          + " changed in a JSON round trip");
    }
  }

  @Test
  void json_namesAreLowerCamelAndEnumsAreNames() throws Exception {
    String json = PRINTER.print(disc());

    assertTrue(json.contains("\"analysisId\": \"" + ANALYSIS_ID + "\""), json);
    assertTrue(json.contains("\"anteriorHeightMm\": 11.2"), json);
    assertTrue(json.contains("\"level\": \"DISC_LEVEL_L4_L5\""), json);
    assertTrue(json.contains("\"discClass\": \"DISC_CLASS_4M\""), json);
    assertTrue(json.contains("\"stratum\": \"TREATMENT_STRATUM_EPIDURAL_STEROID_INJECTION\""),
        json);
  }

  @Test
  void json_absentOptionalOmittedPresentZeroKept() throws Exception {
    String discJson = PRINTER.print(disc());
    // Single-slice analysis: the volume was not measured and must not read as 0 mm³.
    assertFalse(discJson.contains("volumeMm3"), discJson);
    assertTrue(discJson.contains("\"canalApDiameterMm\": 13.4"), discJson);

    String summaryJson = PRINTER.print(summary());
    // NRS 0 (no pain) is a real answer and must survive, unlike a plain proto3 int32.
    assertTrue(summaryJson.contains("\"nrs\": 0"), summaryJson);
    assertTrue(roundTrip(summary(), AnalysisEvent.newBuilder()).getSummary().getClinical()
        .hasNrs());
    DiscGeometry geometry = roundTrip(disc(), AnalysisEvent.newBuilder()).getDisc().getGeometry();
    assertFalse(geometry.hasVolumeMm3());
    assertTrue(geometry.hasCanalApDiameterMm());
  }

  @Test
  void json_bytesAreBase64() throws Exception {
    String json = PRINTER.print(segmentation());

    assertTrue(json.contains("\"png\": \"iVBORw0KGgoAAAAN\""), json);
  }

  @Test
  void parse_protoFieldNamesAccepted() throws Exception {
    String snake = JsonFormat.printer().preservingProtoFieldNames().print(disc());
    assertTrue(snake.contains("\"anterior_height_mm\""), snake);

    AnalysisEvent.Builder back = AnalysisEvent.newBuilder();
    PARSER.merge(snake, back);
    assertEquals(disc(), back.build());
  }

  @Test
  void roundTrip_analyzeRequestWithDicomBytes() throws Exception {
    AnalyzeRequest request = AnalyzeRequest.newBuilder()
        .setFiles(DicomFiles.newBuilder().addFiles(DicomFile.newBuilder().setName("IM0007")
            .setContent(ByteString.copyFrom(new byte[] {'D', 'I', 'C', 'M', 0, 1, 2, (byte) 255}))))
        .setScores(ClinicalScores.newBuilder().setOdiPercent(22.0).setNrs(6))
        .setOptions(AnalysisOptions.newBuilder().setIncludeMask(true).setMaxContributions(3))
        .setRequestId("req-42")
        .build();

    assertEquals(request, roundTrip(request, AnalyzeRequest.newBuilder()));
  }
}
