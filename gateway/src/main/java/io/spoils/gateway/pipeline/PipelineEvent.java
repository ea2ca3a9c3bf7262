package io.spoils.gateway.pipeline;

import io.spoils.feature.anatomy.DiscLevel;
import io.spoils.feature.anatomy.VertebraLevel;
import io.spoils.feature.decision.ClinicalScores;
import io.spoils.feature.decision.DiscClass;
import io.spoils.feature.decision.DiscDecision;
import io.spoils.feature.decision.EnsembleGrade;
import io.spoils.feature.decision.StudyDecision;
import io.spoils.feature.dicom.Orientation;
import io.spoils.feature.geometry.DiscGeometry;
import io.spoils.feature.geometry.VertebraGeometry;
import io.spoils.feature.image.LabelMap;
import io.spoils.feature.trees.TreeGrade;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one analysis reports, in this order: one {@link Accepted}, one {@link Segmentation}, one
 * {@link Disc} per disc from the lowest upward (each sent as soon as it is graded), one
 * {@link Summary}, always last. {@link Warning}s come anywhere before the summary. A failed analysis
 * sends no summary. No event carries patient data.
 */
public sealed interface PipelineEvent {

  /**
   * The study was decoded and the series chosen.
   *
   * @param filesReceived files given, &gt;= 1
   * @param imagesRead files that were readable DICOM images
   * @param seriesFound distinct series (per plane) among them, &gt;= 1
   * @param series the chosen series and slice
   */
  record Accepted(int filesReceived, int imagesRead, int seriesFound, SeriesSummary series)
      implements PipelineEvent { }

  /**
   * The chosen series and its measured slice.
   *
   * @param orientation plane of the series
   * @param rows slice height, pixels
   * @param columns slice width, pixels
   * @param rowSpacingMm distance between row centres, mm
   * @param columnSpacingMm distance between column centres, mm
   * @param sliceSpacingMm centre-to-centre slice distance, mm; empty for one slice or unknown
   * @param sliceCount slices in the series
   * @param midSliceIndex index of the slice nearest the series' geometric centre, in spatial
   *     order (the slice measured is {@link Segmentation#measuredSlice()})
   * @param t2Weighted whether TE/TR meet the T2 thresholds
   * @param studyInstanceUid Study Instance UID of the series' files, empty when they have none
   * @param seriesInstanceUid Series Instance UID, empty when the files have none
   */
  record SeriesSummary(Orientation orientation, int rows, int columns, double rowSpacingMm,
      double columnSpacingMm, OptionalDouble sliceSpacingMm, int sliceCount, int midSliceIndex,
      boolean t2Weighted, String studyInstanceUid, String seriesInstanceUid) {
    public SeriesSummary {
      Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
      Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
    }

    /** A series without identifiers (tests, tools). */
    public SeriesSummary(Orientation orientation, int rows, int columns, double rowSpacingMm,
        double columnSpacingMm, OptionalDouble sliceSpacingMm, int sliceCount, int midSliceIndex,
        boolean t2Weighted) {
      this(orientation, rows, columns, rowSpacingMm, columnSpacingMm, sliceSpacingMm, sliceCount,
          midSliceIndex, t2Weighted, "", "");
    }
  }

  /**
   * The slice was segmented and its structures named and measured.
   *
   * @param discLevels disc levels from the lowest upward (may repeat THORACIC)
   * @param vertebraLevels vertebra levels from the lowest upward
   * @param vertebrae measurements of every vertebral body, lowest first
   * @param semanticMap the segmentation in the SPIDER scheme (0/29/76/150), when masks were asked for
   * @param anatomyMap the 14-class label map (ANATOMY14), when masks were asked for
   * @param measuredSlice which slice of the series was measured, and why
   */
  record Segmentation(List<DiscLevel> discLevels, List<VertebraLevel> vertebraLevels,
      List<VertebraGeometry> vertebrae, Optional<LabelMap> semanticMap,
      Optional<LabelMap> anatomyMap, MeasuredSlice measuredSlice) implements PipelineEvent {
    public Segmentation {
      discLevels = List.copyOf(discLevels);
      vertebraLevels = List.copyOf(vertebraLevels);
      vertebrae = List.copyOf(vertebrae);
      Objects.requireNonNull(measuredSlice, "measuredSlice");
    }
  }

  /**
   * The slice measured, chosen by anatomy among the segmented slices of the series
   * ({@link io.spoils.feature.geometry.MidSagittalSlice}).
   *
   * @param index the slice's index in the series, spatial order
   * @param instanceNumber its Instance Number, when the file has one
   * @param reason one plain sentence saying why; no patient data
   * @param scoreMm2 its score (canal area times disc share), mm²
   * @param geometricCentre index of the slice nearest the series' geometric centre
   * @param scoresMm2 the score of every segmented slice, in spatial order
   * @param sopInstanceUid its SOP Instance UID, empty when the file has none
   * @param frameNumber its frame (1-based) when its file is a multi-frame object holding the
   *     series (an enhanced MR object: the SOP Instance UID and Instance Number are the object's)
   */
  record MeasuredSlice(int index, OptionalInt instanceNumber, String reason, double scoreMm2,
      int geometricCentre, List<Double> scoresMm2, String sopInstanceUid,
      OptionalInt frameNumber) {
    public MeasuredSlice {
      Objects.requireNonNull(instanceNumber, "instanceNumber");
      Objects.requireNonNull(frameNumber, "frameNumber");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
      scoresMm2 = List.copyOf(scoresMm2);
    }

    /**
     * Where the slice's image is, for people: " (instance 5)", " (instance 1, frame 5)" for a
     * frame of a multi-frame object, " (frame 5)", or empty when neither is known.
     */
    public String sourceLabel() {
      String instance = instanceNumber.isPresent() ? "instance " + instanceNumber.getAsInt() : "";
      String frame = frameNumber.isPresent() ? "frame " + frameNumber.getAsInt() : "";
      String both = instance.isEmpty() || frame.isEmpty() ? instance + frame
          : instance + ", " + frame;
      return both.isEmpty() ? "" : " (" + both + ")";
    }

    /** A slice without a SOP Instance UID (tests, tools). */
    public MeasuredSlice(int index, OptionalInt instanceNumber, String reason, double scoreMm2,
        int geometricCentre, List<Double> scoresMm2) {
      this(index, instanceNumber, reason, scoreMm2, geometricCentre, scoresMm2, "",
          OptionalInt.empty());
    }
  }

  /**
   * Measurements, grades and stratum of one disc. Thoracic discs are measured only: no CNN, trees
   * or ensemble, stratum NOT_GRADED.
   *
   * @param geometry the disc's measurements
   * @param cnn the CNN's 11 probabilities in {@link DiscClass} order, when graded
   * @param cnnModel name and version of the CNN, when graded
   * @param trees the trees' grade with its feature contributions, when graded
   * @param ensemble the combined grade, when graded
   * @param decision the stratum this disc alone suggests, with its reason
   * @param features the trees' input features by name (for contributions), when graded
   * @param volumeSlices slices summed into {@code geometry.volumeMm3()}, 0 when no volume was
   *     computed
   */
  record Disc(DiscGeometry geometry, Optional<float[]> cnn, Optional<ModelUse> cnnModel,
      Optional<TreeGrade> trees, Optional<EnsembleGrade> ensemble, DiscDecision decision,
      Map<String, Double> features, int volumeSlices) implements PipelineEvent {
    public Disc {
      Objects.requireNonNull(geometry, "geometry");
      Objects.requireNonNull(decision, "decision");
      features = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(features));
    }

    public DiscLevel level() {
      return geometry.level();
    }

    /** Whether the disc was graded (a lumbar disc with an ensemble grade). */
    public boolean graded() {
      return ensemble.isPresent();
    }
  }

  /**
   * The outcome of the study; always the last event.
   *
   * @param decision the study's stratum, its reason and the per-disc decisions
   * @param worstLevel the most degenerated graded disc, if any was graded
   * @param worstClass its class
   * @param scores the clinical scores used, empty for an imaging-only analysis
   * @param timings wall time per stage in {@link Stage} order, ending with TOTAL
   * @param models every model that contributed, with its version
   * @param discsGraded number of graded discs
   */
  record Summary(StudyDecision decision, Optional<DiscLevel> worstLevel,
      Optional<DiscClass> worstClass, Optional<ClinicalScores> scores,
      Map<Stage, Duration> timings, List<ModelUse> models, int discsGraded)
      implements PipelineEvent {
    /** Fixed notice shown with every result. */
    public static final String DISCLAIMER = "Decision support for clinicians, not a diagnosis.";

    public Summary {
      timings = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(timings));
      models = List.copyOf(models);
    }
  }

  /**
   * Something unusual the clinician should know; the analysis goes on.
   *
   * @param code stable UPPER_SNAKE_CASE code
   * @param message one plain sentence, no patient data
   * @param level the disc concerned, when there is one
   */
  record Warning(String code, String message, Optional<DiscLevel> level) implements PipelineEvent {
    public Warning {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(level, "level");
    }
  }
}
