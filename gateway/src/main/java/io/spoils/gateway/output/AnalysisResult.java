package io.spoils.gateway.output;

import io.spoils.feature.image.LabelMap;
import io.spoils.gateway.pipeline.PipelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one finished analysis as the output writers consume it: the events of
 * {@link io.spoils.gateway.pipeline.AnalysisPipeline}, gathered by kind. Holds no patient data and
 * no DICOM identifiers (those come from {@link SourceImage}).
 *
 * @param accepted the study and the chosen series
 * @param segmentation the measured slice, its levels and (when masks were asked for) label maps
 * @param discs every disc, lowest first, as the pipeline sent them
 * @param warnings the analysis' warnings, in order
 * @param summary the study's stratum, models and timings
 */
public record AnalysisResult(PipelineEvent.Accepted accepted,
    PipelineEvent.Segmentation segmentation, List<PipelineEvent.Disc> discs,
    List<PipelineEvent.Warning> warnings, PipelineEvent.Summary summary) {

  public AnalysisResult {
    Objects.requireNonNull(accepted, "accepted");
    Objects.requireNonNull(segmentation, "segmentation");
    Objects.requireNonNull(summary, "summary");
    discs = List.copyOf(discs);
    warnings = List.copyOf(warnings);
  }

  /**
   * Gathers the events of one analysis.
   *
   * @param events the events in the order sent
   * @throws IllegalArgumentException when the accepted, segmentation or summary event is missing
   *     (a failed analysis has no result to write)
   */
  public static AnalysisResult of(List<PipelineEvent> events) {
    PipelineEvent.Accepted accepted = null;
    PipelineEvent.Segmentation segmentation = null;
    PipelineEvent.Summary summary = null;
    List<PipelineEvent.Disc> discs = new ArrayList<>();
    List<PipelineEvent.Warning> warnings = new ArrayList<>();
    for (PipelineEvent e : events) {
      if (e instanceof PipelineEvent.Accepted a) {
        accepted = a;
      } else if (e instanceof PipelineEvent.Segmentation s) {
        segmentation = s;
      } else if (e instanceof PipelineEvent.Disc d) {
        discs.add(d);
      } else if (e instanceof PipelineEvent.Warning w) {
        warnings.add(w);
      } else if (e instanceof PipelineEvent.Summary s) {
        summary = s;
      }
    }
    if (accepted == null || segmentation == null || summary == null) {
      throw new IllegalArgumentException("the analysis did not finish: no "
          + (accepted == null ? "accepted" : segmentation == null ? "segmentation" : "summary")
          + " event");
    }
    return new AnalysisResult(accepted, segmentation, discs, warnings, summary);
  }

  /** The graded discs (lumbar, with an ensemble grade), lowest first. */
  public List<PipelineEvent.Disc> gradedDiscs() {
    return discs.stream().filter(PipelineEvent.Disc::graded).toList();
  }

  /** The 14-class label map of the measured slice, when masks were asked for. */
  public Optional<LabelMap> anatomyMap() {
    return segmentation.anatomyMap();
  }
}
