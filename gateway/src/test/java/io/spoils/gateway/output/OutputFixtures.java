package io.spoils.gateway.output;

import io.spoils.feature.anatomy.AnatomyLabel;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.DiscDecision;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.decision.StudyDecision;
import io.spoils.feature.decision.TreatmentStratum;
import io.spoils.feature.dicom.DicomReader;
import io.spoils.feature.tooling.dicom.DicomWriter;
import io.spoils.feature.tooling.dicom.MrParams;
import io.spoils.feature.dicom.Orientation;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.image.GreyImage;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.image.PixelSpacing;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.Stage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A small, fully known analysis for the output writers' tests: a 64x80 sagittal MR slice written
 * with {@link DicomWriter}, a label map of six structures, and three discs (L5-S1 graded 4H with
 * a surgical stratum, L4-L5 graded 3M without a canal measurement, one thoracic disc measured only).
 */
public final class OutputFixtures {

  public static final int WIDTH = 64;
  public static final int HEIGHT = 80;
  public static final PixelSpacing SPACING = new PixelSpacing(0.5, 0.5);
  public static final ModelUse SEGMENTATION = new ModelUse("spine_segmentation", "2",
      ModelUse.Role.SEGMENTATION, "onnxruntime-cpu");
  public static final ModelUse CNN = new ModelUse("disc_grading", "2",
      ModelUse.Role.DISC_GRADING_CNN, "onnxruntime-cpu");
  public static final ModelUse TREES = new ModelUse("disc-grading-trees", "2.0.0",
      ModelUse.Role.DISC_GRADING_TREES, "xgboost");

  private OutputFixtures() {
  }

  /** One synthetic sagittal slice as a Part 10 file. */
  public static byte[] sliceFile(String seriesUid, int instance, double x) {
    float[] pixels = new float[WIDTH * HEIGHT];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i % 97;
    }
    return DicomWriter.writeMr(new GreyImage(WIDTH, HEIGHT, pixels, SPACING),
        MrParams.of(seriesUid).withInstance(instance)
            .withGeometry(MrParams.sagittal(), new double[] {x, -20, 30}));
  }

  /** The source image of a one-slice study. */
  public static SourceImage source() {
    return source(sliceFile(DicomWriter.newUid(), 1, 0));
  }

  /**
   * A source whose Frame of Reference UID repeats its Study Instance UID, as {@link DicomWriter}
   * writes when given a study UID (the bundled series example is such a study).
   */
  public static SourceImage sourceWithReusedFrameOfReference() {
    float[] pixels = new float[WIDTH * HEIGHT];
    return source(DicomWriter.writeMr(new GreyImage(WIDTH, HEIGHT, pixels, SPACING),
        new MrParams(DicomWriter.newUid(), DicomWriter.newUid(), 1, 1, MrParams.sagittal(),
            new double[3], 4.0, 100.0, 3000.0, false, 1.0, 0.0)));
  }

  private static SourceImage source(byte[] file) {
    return new SourceImage(SourceLocator.header(ByteBuffer.wrap(file)),
        DicomReader.create().read(file));
  }

  /** L4, L4-L5 disc, L5, L5-S1 disc, sacrum and canal as horizontal bands. */
  public static LabelMap labelMap() {
    byte[] ids = new byte[WIDTH * HEIGHT];
    AnatomyLabel[] bands = {AnatomyLabel.L4, AnatomyLabel.DISC_L4_L5, AnatomyLabel.L5,
        AnatomyLabel.DISC_L5_S1, AnatomyLabel.SACRUM};
    for (int y = 10; y < 70; y++) {
      for (int x = 10; x < 40; x++) {
        ids[y * WIDTH + x] = (byte) bands[(y - 10) / 12].id();
      }
      for (int x = 44; x < 50; x++) {
        ids[y * WIDTH + x] = (byte) AnatomyLabel.CANAL.id();
      }
    }
    return new LabelMap(WIDTH, HEIGHT, ids, SPACING, LabelMap.Scheme.ANATOMY14);
  }

  /** The analysis' result. */
  public static AnalysisResult result() {
    PipelineEvent.Disc l5s1 = graded(geometry(DiscLevel.L5_S1, 0, 7.25, 0.31, 9.5),
        DiscClass.P4H, 0.64, TreatmentStratum.SURGICAL_CONSULTATION,
        "L5-S1 is 4H (surgical-consultation class) and ODI 45 %, NRS 6/10 is high (area 310 mm² "
            + "≥ 300 mm²).", false);
    PipelineEvent.Disc l4l5 = graded(geometry(DiscLevel.L4_L5, 1, 10.125, 0.42, Double.NaN),
        DiscClass.P3M, 0.51, TreatmentStratum.EPIDURAL_STEROID_INJECTION,
        "L4-L5 is 3M (epidural-steroid-injection class).", false);
    PipelineEvent.Disc thoracic = new PipelineEvent.Disc(
        geometry(DiscLevel.THORACIC, 6, 6.5, Double.NaN, 14.0), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), new DiscDecision(DiscLevel.THORACIC, null,
        TreatmentStratum.NOT_GRADED, "Thoracic disc: not graded.", false), Map.of(), 0);
    StudyDecision decision = new StudyDecision(TreatmentStratum.SURGICAL_CONSULTATION,
        "Most invasive stratum over the graded discs, decided by L5-S1 (4H).",
        l5s1.decision(), List.of(l5s1.decision(), l4l5.decision(), thoracic.decision()));
    PipelineEvent.Summary summary = new PipelineEvent.Summary(decision,
        Optional.of(DiscLevel.L5_S1), Optional.of(DiscClass.P4H),
        Optional.of(new ClinicalScores(45, 6)), Map.of(Stage.DECODE, Duration.ofMillis(3)),
        List.of(SEGMENTATION, CNN, TREES), 2);
    PipelineEvent.Accepted accepted = new PipelineEvent.Accepted(1, 1, 1,
        new PipelineEvent.SeriesSummary(Orientation.SAGITTAL, HEIGHT, WIDTH, 0.5, 0.5,
            OptionalDouble.empty(), 1, 0, true));
    PipelineEvent.Segmentation segmentation = new PipelineEvent.Segmentation(
        List.of(DiscLevel.L5_S1, DiscLevel.L4_L5, DiscLevel.THORACIC), List.of(), List.of(),
        Optional.empty(), Optional.of(labelMap()), new PipelineEvent.MeasuredSlice(0,
        OptionalInt.of(1), "the series has one slice", 0, 0, List.of()));
    return new AnalysisResult(accepted, segmentation, List.of(l5s1, l4l5, thoracic),
        List.of(new PipelineEvent.Warning("SERIES_NOT_T2", "A test warning.", Optional.empty())),
        summary);
  }

  /** A disc's geometry; the other values derive from {@code height}. */
  public static DiscGeometry geometry(DiscLevel level, int index, double height, double dhi,
      double canal) {
    return new DiscGeometry(level, index, 30, 40 - 12 * index, 2.0, height + 1.5, height + 0.75,
        height - 1.25, height, 33.5, 34.0, height * 33.5, dhi, 120.0, 0.215, 0.9, -0.05, canal,
        Double.NaN);
  }

  private static PipelineEvent.Disc graded(DiscGeometry g, DiscClass c, double confidence,
      TreatmentStratum stratum, String reason, boolean discordant) {
    double[] p = new double[DiscClass.COUNT];
    p[c.ordinal()] = confidence;
    p[0] = 1 - confidence;
    return new PipelineEvent.Disc(g, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(new EnsembleGrade(p, c, confidence, EnsembleGrade.Sources.CNN_AND_TREES,
            "mean of the CNN and the trees")),
        new DiscDecision(g.level(), c, stratum, reason, discordant), Map.of(), 0);
  }
}
