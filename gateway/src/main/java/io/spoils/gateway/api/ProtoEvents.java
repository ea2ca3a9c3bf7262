package io.spoils.gateway.api;

import com.google.protobuf.ByteString;
import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.Severity;
import io.spoils.feature.decision.TreatmentStratum;
import io.spoils.feature.dicom.Orientation;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.VertebraGeometry;
import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.output.AnalysisResult;
import io.spoils.gateway.output.report.ReportWriter;
import io.spoils.gateway.pipeline.ModelUse;
import io.spoils.gateway.pipeline.PipelineEvent;
import io.spoils.gateway.pipeline.Stage;
import io.spoils.proto.v1.AnalysisEvent;
import io.spoils.proto.v1.AnalysisSummary;
import io.spoils.proto.v1.ClassProbabilities;
import io.spoils.proto.v1.ClassProbability;
import io.spoils.proto.v1.DiscResult;
import io.spoils.proto.v1.FeatureContribution;
import io.spoils.proto.v1.LabelMask;
import io.spoils.proto.v1.ModelInfo;
import io.spoils.proto.v1.ModelRole;
import io.spoils.proto.v1.SegmentationDone;
import io.spoils.proto.v1.SeriesInfo;
import io.spoils.proto.v1.SliceChoice;
import io.spoils.proto.v1.StageTiming;
import io.spoils.proto.v1.StudyAccepted;
import io.spoils.proto.v1.Warning;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * Maps the pipeline's domain events to the public API's {@code spoils.v1.AnalysisEvent}s, one
 * stream at a time: the instance numbers its events (sequence 1, 2, ...) and stamps the analysis id
 * and the time since it was created. Not thread-safe; one instance per stream, used on its context.
 *
 * <p>Measurements that could not be taken (NaN) are left out where the proto field is
 * {@code optional}; the few non-optional geometry fields keep NaN (JSON {@code "NaN"}) rather than a
 * misleading 0, which only happens for partial discs (a {@code DISC_PARTIAL} warning says so).
 */
public final class ProtoEvents {

  /** The CNN's model name when a disc event does not carry it (not expected). */
  private static final String ENSEMBLE = "ensemble";

  /** This analysis' events until its summary, for the written report. */
  private final List<PipelineEvent> seen = new ArrayList<>();
  private final String analysisId;
  private final long startNanos;
  private final int maxContributions;
  private final Function<String, String> provenance;
  private int sequence;

  /**
   * @param analysisId opaque id of the analysis (e.g. a random UUID), never patient data
   * @param startNanos {@link System#nanoTime()} when the request was received
   * @param maxContributions feature contributions per disc, &gt;= 0
   */
  public ProtoEvents(String analysisId, long startNanos, int maxContributions) {
    this(analysisId, startNanos, maxContributions, model -> "");
  }

  /**
   * As {@link #ProtoEvents(String, long, int)}, the summary's models carrying
   * {@code ModelInfo.provenance}.
   *
   * @param provenance a model's name to its provenance line ({@code ""} when unknown)
   */
  public ProtoEvents(String analysisId, long startNanos, int maxContributions,
      Function<String, String> provenance) {
    this.analysisId = Objects.requireNonNull(analysisId, "analysisId");
    this.startNanos = startNanos;
    this.maxContributions = maxContributions;
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  /** The next event of the stream. */
  public AnalysisEvent next(PipelineEvent event) {
    seen.add(event);
    AnalysisEvent.Builder b = AnalysisEvent.newBuilder()
        .setAnalysisId(analysisId)
        .setSequence(++sequence)
        .setElapsedMs(Math.max(0, (System.nanoTime() - startNanos) / 1e6));
    if (event instanceof PipelineEvent.Accepted a) {
      b.setAccepted(accepted(a));
    } else if (event instanceof PipelineEvent.Segmentation s) {
      b.setSegmentation(segmentation(s));
    } else if (event instanceof PipelineEvent.Disc d) {
      b.setDisc(disc(d, maxContributions));
    } else if (event instanceof PipelineEvent.Summary s) {
      b.setSummary(summary(s, provenance).toBuilder().setReportText(reportText()));
    } else if (event instanceof PipelineEvent.Warning w) {
      b.setWarning(warning(w));
    }
    return b.build();
  }

  static StudyAccepted accepted(PipelineEvent.Accepted a) {
    PipelineEvent.SeriesSummary s = a.series();
    SeriesInfo.Builder info = SeriesInfo.newBuilder()
        .setOrientation(orientation(s.orientation()))
        .setRows(s.rows()).setColumns(s.columns())
        .setRowSpacingMm(s.rowSpacingMm()).setColumnSpacingMm(s.columnSpacingMm())
        .setSliceCount(s.sliceCount()).setMidSliceIndex(s.midSliceIndex())
        .setStudyInstanceUid(s.studyInstanceUid()).setSeriesInstanceUid(s.seriesInstanceUid());
    s.sliceSpacingMm().ifPresent(info::setSliceSpacingMm);
    return StudyAccepted.newBuilder().setFilesReceived(a.filesReceived())
        .setSeriesFound(a.seriesFound()).setSeries(info).build();
  }

  static SegmentationDone segmentation(PipelineEvent.Segmentation s) {
    SegmentationDone.Builder b = SegmentationDone.newBuilder();
    s.discLevels().forEach(l -> b.addDiscLevels(discLevel(l)));
    s.vertebraLevels().forEach(l -> b.addVertebraLevels(vertebraLevel(l)));
    s.vertebrae().forEach(v -> b.addVertebrae(vertebra(v)));
    s.anatomyMap().ifPresent(m -> b.setMask(mask(m)));
    b.setMeasuredSlice(measuredSlice(s.measuredSlice()));
    return b.build();
  }

  /** The measured slice and why; a one-slice series has no score. */
  static SliceChoice measuredSlice(PipelineEvent.MeasuredSlice m) {
    SliceChoice.Builder b = SliceChoice.newBuilder().setSliceIndex(m.index())
        .setReason(m.reason()).setGeometricCentreIndex(m.geometricCentre())
        .addAllSliceScoresMm2(m.scoresMm2()).setSopInstanceUid(m.sopInstanceUid());
    m.instanceNumber().ifPresent(b::setInstanceNumber);
    m.frameNumber().ifPresent(b::setFrameNumber);
    if (Double.isFinite(m.scoreMm2())) {
      b.setScoreMm2(m.scoreMm2());
    }
    return b.build();
  }

  /**
   * A disc result with at most {@code maxContributions} feature contributions, by decreasing
   * absolute value; they are the trees' contributions toward the trees' own predicted class (which
   * is usually, not always, the ensemble's class).
   */
  public static DiscResult disc(PipelineEvent.Disc d, int maxContributions) {
    io.spoils.proto.v1.DiscGeometry.Builder geometry = geometry(d.geometry()).toBuilder();
    if (geometry.hasVolumeMm3() && d.volumeSlices() > 0) {
      geometry.setVolumeSliceCount(d.volumeSlices());
    }
    DiscResult.Builder b = DiscResult.newBuilder()
        .setLevel(discLevel(d.level()))
        .setGeometry(geometry)
        .setStratum(stratum(d.decision().stratum()))
        .setStratumReason(d.decision().reason());
    String cnnName = d.cnnModel().map(ModelUse::name).orElse("cnn");
    String cnnVersion = d.cnnModel().map(ModelUse::version).orElse("");
    d.cnn().ifPresent(p -> b.setCnn(probabilities(toDouble(p), cnnName, cnnVersion)));
    d.trees().ifPresent(t -> b.setTrees(probabilities(t.probabilities(), "trees", "")));
    d.ensemble().ifPresent(e -> {
      DiscClass c = e.discClass();
      b.setEnsemble(probabilities(e.probabilities(), ENSEMBLE, ""))
          .setPfirrmannGrade(c.pfirrmann()).setSeverity(severity(c.severity()))
          .setDiscClass(discClass(c)).setConfidence((float) e.confidence());
    });
    d.trees().ifPresent(t -> t.contributions().entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue())))
        .limit(maxContributions)
        .forEach(e -> b.addContributions(FeatureContribution.newBuilder()
            .setFeature(e.getKey())
            .setValue(d.features().getOrDefault(e.getKey(), Double.NaN))
            .setContribution(e.getValue()))));
    return b.build();
  }

  /**
   * The written report of the events so far (the summary is the last), as the summary carries it;
   * the events then go, since nothing follows the summary.
   */
  private String reportText() {
    try {
      return ReportWriter.write(AnalysisResult.of(seen)).text();
    } catch (IllegalArgumentException | IllegalStateException e) {
      // a result the report cannot describe still streams; the field stays empty
      return "";
    } finally {
      seen.clear();
    }
  }

  static AnalysisSummary summary(PipelineEvent.Summary s) {
    return summary(s, model -> "");
  }

  /** The summary, each model with {@code provenance.apply(name)}. */
  static AnalysisSummary summary(PipelineEvent.Summary s, Function<String, String> provenance) {
    AnalysisSummary.Builder b = AnalysisSummary.newBuilder()
        .setStratum(stratum(s.decision().stratum()))
        .setStratumReason(s.decision().reason())
        .setDiscsGraded(s.discsGraded())
        .setDisclaimer(PipelineEvent.Summary.DISCLAIMER);
    s.worstLevel().ifPresent(l -> b.setWorstLevel(discLevel(l)));
    s.worstClass().ifPresent(c -> b.setWorstClass(discClass(c)));
    s.scores().ifPresent(c -> b.setClinical(io.spoils.proto.v1.ClinicalScores.newBuilder()
        .setOdiPercent(c.odiPercent()).setNrs(c.nrs())));
    s.timings().forEach((stage, d) -> b.addTimings(StageTiming.newBuilder()
        .setStage(stage(stage)).setDurationMs(d.toNanos() / 1e6)));
    for (ModelUse m : s.models()) {
      b.addModels(ModelInfo.newBuilder().setName(m.name()).setVersion(m.version())
          .setRole(role(m.role())).setBackend(m.backend())
          .setProvenance(Objects.requireNonNullElse(provenance.apply(m.name()), "")));
    }
    return b.build();
  }

  static Warning warning(PipelineEvent.Warning w) {
    Warning.Builder b = Warning.newBuilder().setCode(w.code()).setMessage(w.message());
    w.level().ifPresent(l -> b.setLevel(discLevel(l)));
    return b.build();
  }

  /** The proto geometry of a disc; NaN optional fields are left out. */
  public static io.spoils.proto.v1.DiscGeometry geometry(DiscGeometry g) {
    io.spoils.proto.v1.DiscGeometry.Builder b = io.spoils.proto.v1.DiscGeometry.newBuilder()
        .setLevel(discLevel(g.level())).setIndexFromBottom(g.indexFromBottom())
        .setCentroidXPx(g.centroidX()).setCentroidYPx(g.centroidY()).setTiltDeg(g.tiltDeg())
        .setAnteriorHeightMm(g.anteriorHeightMm()).setCentralHeightMm(g.centralHeightMm())
        .setPosteriorHeightMm(g.posteriorHeightMm()).setAverageHeightMm(g.averageHeightMm())
        .setAverageWidthMm(g.averageWidthMm()).setMidWidthMm(g.midWidthMm())
        .setAreaMm2(g.areaMm2());
    if (Double.isFinite(g.heightIndex())) {
      b.setHeightIndex(g.heightIndex());
    }
    if (Double.isFinite(g.signalMean())) {
      b.setSignalMean(g.signalMean());
    }
    if (Double.isFinite(g.signalRatioToCsf())) {
      b.setSignalRatioToCsf(g.signalRatioToCsf());
    }
    if (Double.isFinite(g.signalRatioToVertebra())) {
      b.setSignalRatioToVertebra(g.signalRatioToVertebra());
    }
    if (Double.isFinite(g.signalDiffToNeighbours())) {
      b.setSignalDiffToNeighbours(g.signalDiffToNeighbours());
    }
    if (Double.isFinite(g.canalApDiameterMm())) {
      b.setCanalApDiameterMm(g.canalApDiameterMm());
    }
    if (Double.isFinite(g.volumeMm3())) {
      b.setVolumeMm3(g.volumeMm3());
    }
    return b.build();
  }

  /** The proto geometry of a vertebra; a height or width that could not be measured is left out. */
  static io.spoils.proto.v1.VertebraGeometry vertebra(VertebraGeometry v) {
    io.spoils.proto.v1.VertebraGeometry.Builder b = io.spoils.proto.v1.VertebraGeometry.newBuilder()
        .setLevel(vertebraLevel(v.level())).setIndexFromBottom(v.indexFromBottom())
        .setCentroidXPx(v.centroidX()).setCentroidYPx(v.centroidY()).setAreaMm2(v.areaMm2());
    if (Double.isFinite(v.heightMm())) {
      b.setHeightMm(v.heightMm());
    }
    if (Double.isFinite(v.widthMm())) {
      b.setWidthMm(v.widthMm());
    }
    return b.build();
  }

  /** The label map as the API's LabelMask (8-bit greyscale PNG of the class ids). */
  public static LabelMask mask(LabelMap m) {
    return LabelMask.newBuilder().setWidthPx(m.width()).setHeightPx(m.height())
        .setPng(ByteString.copyFrom(png(m)))
        .setRowSpacingMm(m.spacing().rowMm()).setColumnSpacingMm(m.spacing().colMm()).build();
  }

  /** The class ids of {@code m} as an 8-bit greyscale PNG. */
  public static byte[] png(LabelMap m) {
    BufferedImage image = new BufferedImage(m.width(), m.height(), BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, m.width(), m.height(), m.labels().clone());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static ClassProbabilities probabilities(double[] p, String model, String version) {
    ClassProbabilities.Builder b = ClassProbabilities.newBuilder().setModelName(model)
        .setModelVersion(version);
    for (int i = 0; i < p.length; i++) {
      b.addEntries(ClassProbability.newBuilder().setDiscClass(discClass(DiscClass.ofIndex(i)))
          .setProbability((float) p[i]));
    }
    return b.build();
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  public static io.spoils.proto.v1.DiscLevel discLevel(DiscLevel l) {
    return l == DiscLevel.THORACIC ? io.spoils.proto.v1.DiscLevel.DISC_LEVEL_THORACIC
        : io.spoils.proto.v1.DiscLevel.valueOf("DISC_LEVEL_" + l.name());
  }

  static io.spoils.proto.v1.VertebraLevel vertebraLevel(VertebraLevel l) {
    return io.spoils.proto.v1.VertebraLevel.valueOf("VERTEBRA_LEVEL_" + l.name());
  }

  /** DISC_CLASS_3M etc.: the proto number is the model index plus one. */
  public static io.spoils.proto.v1.DiscClass discClass(DiscClass c) {
    return io.spoils.proto.v1.DiscClass.forNumber(c.ordinal() + 1);
  }

  static io.spoils.proto.v1.Severity severity(Severity s) {
    return io.spoils.proto.v1.Severity.valueOf("SEVERITY_" + s.name());
  }

  public static io.spoils.proto.v1.TreatmentStratum stratum(TreatmentStratum s) {
    return io.spoils.proto.v1.TreatmentStratum.valueOf("TREATMENT_STRATUM_" + s.name());
  }

  static io.spoils.proto.v1.Stage stage(Stage s) {
    return io.spoils.proto.v1.Stage.valueOf("STAGE_" + s.name());
  }

  static io.spoils.proto.v1.Orientation orientation(Orientation o) {
    return o == Orientation.UNKNOWN ? io.spoils.proto.v1.Orientation.ORIENTATION_UNSPECIFIED
        : io.spoils.proto.v1.Orientation.valueOf("ORIENTATION_" + o.name());
  }

  static ModelRole role(ModelUse.Role r) {
    return ModelRole.valueOf("MODEL_ROLE_" + r.name());
  }

  /** The proto role of a registered model's role (the same name, prefixed). */
  public static ModelRole role(io.spoils.gateway.backend.ModelRole r) {
    return ModelRole.valueOf("MODEL_ROLE_" + r.name());
  }
}
